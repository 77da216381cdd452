// The one model server the editor may run, owned by the language server
// process so it stops with it. Starting again replaces the running one.
import { startServer, type RunningServer } from '../../serving/server';
import type { ServeRequest, StopRequest } from '../../protocol/lsp';

export class LocalServer {
  private running: RunningServer | undefined;

  get url(): string | undefined {
    return this.running?.url;
  }

  async start(params: ServeRequest.Params): Promise<ServeRequest.Result> {
    await this.stop();
    const server = await startServer({ manifests: params.manifests, host: '127.0.0.1', port: params.port ?? 0, logger: false });
    this.running = server;
    return { url: server.url, models: server.models.map((m) => ({ name: m.name, version: m.defaultVersion })) };
  }

  async stop(): Promise<StopRequest.Result> {
    const server = this.running;
    if (!server) return { stopped: false };
    this.running = undefined;
    await server.close();
    return { stopped: true, url: server.url };
  }
}

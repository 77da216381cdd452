// The one model server the editor may run, owned by the language server
// process so it stops with it. Starting again replaces the running one.
// While it runs, the HTTP requests it answers are counted and reported as a
// rate every few seconds (for the editor's status bar).
import { startServer, type RunningServer } from '../../serving/server';
import type { ServeRequest, StopRequest } from '../../protocol/lsp';

/** How often the request rate is sampled while a server runs. */
export const RATE_INTERVAL_MS = 2_000;

export interface LocalServerOptions {
  /** Called with requests per second (rounded) whenever the sampled rate changes. */
  onRate?: (requestsPerSecond: number) => void;
  rateIntervalMs?: number;
}

export class LocalServer {
  private running: RunningServer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LocalServerOptions = {}) {}

  get url(): string | undefined {
    return this.running?.url;
  }

  async start(params: ServeRequest.Params): Promise<ServeRequest.Result> {
    await this.stop();
    const server = await startServer({ manifests: params.manifests, host: '127.0.0.1', port: params.port ?? 0, logger: false });
    this.running = server;
    this.watchRate(server);
    return { url: server.url, models: server.models.map((m) => ({ name: m.name, version: m.defaultVersion })) };
  }

  async stop(): Promise<StopRequest.Result> {
    const server = this.running;
    if (!server) return { stopped: false };
    this.running = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    await server.close();
    return { stopped: true, url: server.url };
  }

  private watchRate(server: RunningServer): void {
    const onRate = this.opts.onRate;
    if (!onRate) return;
    const interval = this.opts.rateIntervalMs ?? RATE_INTERVAL_MS;
    let count = 0;
    // The Node HTTP server's own event: every request, whatever route or protocol.
    server.app.server.on('request', () => {
      count++;
    });
    let last = process.hrtime.bigint();
    let lastRate = -1;
    this.timer = setInterval(() => {
      const now = process.hrtime.bigint();
      const seconds = Number(now - last) / 1e9;
      last = now;
      const rate = Math.round(count / seconds);
      count = 0;
      if (rate !== lastRate) {
        lastRate = rate;
        onRate(rate);
      }
    }, interval);
    this.timer.unref();
  }
}

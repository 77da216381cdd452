// Owns the extension's lifecycle: the output channel, the language client and
// every disposable. Commands receive a CtxInit, whose client is started, so
// they never null-check it.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ReportStore } from './reportStore';

export class Ctx {
  readonly output: vscode.LogOutputChannel;
  readonly reports: ReportStore;
  private _client: LanguageClient | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('ModelGate', { log: true });
    this.pushDisposable(this.output);
    this.reports = new ReportStore(extension.workspaceState);
    this.pushDisposable(this.reports);
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  pushDisposable(d: vscode.Disposable): void {
    this.extension.subscriptions.push(d);
  }

  /** Starts the language server (dist/server.js) over node IPC. */
  async start(): Promise<CtxInit> {
    if (!this._client) {
      const module = vscode.Uri.joinPath(this.extensionUri, 'dist', 'server.js').fsPath;
      const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
      };
      const clientOptions: LanguageClientOptions = {
        documentSelector: [
          { scheme: 'file', pattern: '**/model.yaml' },
          { scheme: 'file', pattern: '**/*.model.yaml' },
        ],
        synchronize: { configurationSection: 'modelgate' },
        outputChannel: this.output,
      };
      this._client = new LanguageClient('modelgate', 'ModelGate', serverOptions, clientOptions);
      this.pushDisposable({ dispose: () => void this._client?.stop() });
    }
    await this._client.start();
    return Object.assign(this, { client: this._client }) as CtxInit;
  }
}

export type CtxInit = Ctx & { readonly client: LanguageClient };

/** What each entry of the command table builds: a handler bound to the started context. */
export type CommandFactory = (ctx: CtxInit) => (...args: unknown[]) => unknown;

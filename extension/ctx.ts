// Owns the extension's lifecycle: the output channel, the language client and
// every disposable. The client may fail to start (a missing bundle, a bad
// modelgate.server.path): the extension stays active, `server` says why,
// and `restart()` tries again. Commands receive a CtxInit, whose client is
// started, so they never null-check it (commandRegistry.ts picks the
// variant that fits the state).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { explainCodeHref, isCodesDocLink } from './codeLink';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ReportStore } from './reportStore';
import { serverStartFailure, type ServerModule } from './serverDownText';

/** Where the language server is: starting, running, or failed with the reason a user can act on. */
export type ServerStart = { kind: 'starting' } | { kind: 'running' } | { kind: 'failed'; reason: string };

export class Ctx {
  readonly output: vscode.LogOutputChannel;
  readonly reports: ReportStore;
  private _client: LanguageClient | undefined;
  private _server: ServerStart = { kind: 'starting' };
  private starting: Promise<boolean> | undefined;
  private readonly serverChanged = new vscode.EventEmitter<ServerStart>();
  /** Fires when the server starts, fails or stops; a new client means handlers must subscribe again. */
  readonly onDidChangeServer = this.serverChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('ModelGate', { log: true });
    this.pushDisposable(this.output);
    this.reports = new ReportStore(extension.workspaceState);
    this.pushDisposable(this.reports);
    this.pushDisposable(this.serverChanged);
    this.pushDisposable({ dispose: () => void this._client?.stop() });
  }

  get extensionUri(): vscode.Uri {
    return this.extension.extensionUri;
  }

  get server(): ServerStart {
    return this._server;
  }

  /** The started client; undefined while the server does not run. */
  get client(): LanguageClient | undefined {
    return this._server.kind === 'running' ? this._client : undefined;
  }

  /** This context with its started client, or undefined while the server does not run. */
  initialized(): CtxInit | undefined {
    return this.client ? (this as CtxInit) : undefined;
  }

  /** Resolves once a start or restart in progress has ended (at once when none is). */
  async settled(): Promise<void> {
    await this.starting;
  }

  pushDisposable(d: vscode.Disposable): void {
    this.extension.subscriptions.push(d);
  }

  /** Starts the language server; never throws: on failure `server` holds why. Resolves true when it runs. */
  start(): Promise<boolean> {
    this.starting ??= this.startClient().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Stops the client (if any) and starts a new one, reading the settings again. */
  async restart(): Promise<boolean> {
    await this.starting;
    const old = this._client;
    this._client = undefined;
    await old?.stop().catch(() => undefined);
    return this.start();
  }

  private setServer(s: ServerStart): void {
    this._server = s;
    this.serverChanged.fire(s);
  }

  private serverModule(): ServerModule {
    const configured = vscode.workspace.getConfiguration('modelgate').get<string>('server.path')?.trim();
    if (!configured) return { path: vscode.Uri.joinPath(this.extensionUri, 'dist', 'server.js').fsPath, fromSetting: false };
    // A relative path is the workspace's (a development build in the project). The extension does not run in
    // untrusted workspaces (package.json declares no untrustedWorkspaces support), so a workspace value is trusted.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return { path: isAbsolute(configured) || !folder ? configured : join(folder, configured), fromSetting: true };
  }

  private async startClient(): Promise<boolean> {
    this.setServer({ kind: 'starting' });
    const module = this.serverModule();
    if (!existsSync(module.path)) return this.failed(module);
    const serverOptions: ServerOptions = {
      run: { module: module.path, transport: TransportKind.ipc },
      debug: { module: module.path, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', pattern: '**/model.yaml' },
        { scheme: 'file', pattern: '**/*.model.yaml' },
      ],
      synchronize: { configurationSection: 'modelgate' },
      outputChannel: this.output,
      middleware: {
        // A code link opens the rendered code list at its section, not the raw markdown at line 1.
        handleDiagnostics: (uri, diagnostics, next) => next(uri, diagnostics.map(renderedCodeLink)),
      },
    };
    const client = new LanguageClient('modelgate', 'ModelGate', serverOptions, clientOptions);
    this._client = client;
    try {
      await client.start();
    } catch (err) {
      if (this._client === client) this._client = undefined;
      await client.stop().catch(() => undefined);
      return this.failed(module, err);
    }
    // The client gives up after repeated crashes; from then on commands explain it, as for a failed start.
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped && this._client === client) {
        this._client = undefined;
        this.setServer({ kind: 'failed', reason: 'the language server stopped unexpectedly (see the log for its last output)' });
      }
    });
    this.setServer({ kind: 'running' });
    return true;
  }

  private failed(module: ServerModule, err?: unknown): false {
    const reason = serverStartFailure(module, existsSync(module.path), err);
    this.output.error(`the language server did not start: ${reason}`);
    this.setServer({ kind: 'failed', reason });
    return false;
  }
}

export type CtxInit = Ctx & { readonly client: LanguageClient };

export type Cmd = (...args: unknown[]) => unknown;

/**
 * What each entry of the command table builds: the handler while the server
 * runs, bound to the started context, and optionally one for when it does
 * not (by default the command explains why and offers Show log and Retry).
 */
export interface CommandFactory {
  enabled: (ctx: CtxInit) => Cmd;
  disabled?: (ctx: Ctx) => Cmd;
}

/** A command that needs no language server: the same handler in every state. */
export function anyState(build: (ctx: Ctx) => Cmd): CommandFactory {
  return { enabled: build, disabled: build };
}

function renderedCodeLink(d: vscode.Diagnostic): vscode.Diagnostic {
  const code = d.code;
  if (code && typeof code === 'object' && isCodesDocLink(code.target.toString())) {
    d.code = { value: code.value, target: vscode.Uri.parse(explainCodeHref(String(code.value))) };
  }
  return d;
}

// A minimal LSP client over stdio for tests and the benchmark: spawns
// `modelgate lsp --stdio`, speaks JSON-RPC through vscode-jsonrpc, and lets
// callers wait for a publishDiagnostics notification (never a sleep).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const REPO = resolve(__dirname, '../../..');

export interface LspClient {
  conn: MessageConnection;
  child: ChildProcess;
  stderr: () => string;
  /** The first publishDiagnostics for `uri` (already received or future) that satisfies `match`. */
  diagnostics(uri: string, match?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  /** Resolves with the exit code once the server process has ended. */
  exited: Promise<number | null>;
  initialize(initializationOptions?: unknown): Promise<unknown>;
  /** shutdown + exit, then waits for the process to end. */
  stop(): Promise<number | null>;
}

export function startLspClient(args: string[] = ['bin/modelgate.js', 'lsp', '--stdio']): LspClient {
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const received: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    received.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.match(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  return {
    conn,
    child,
    exited,
    stderr: () => err,
    diagnostics(uri, match = () => true) {
      const seen = received.find((p) => p.uri === uri && match(p));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ uri, match, resolve }));
    },
    async initialize(initializationOptions) {
      const result = await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions,
      });
      await conn.sendNotification('initialized', {});
      return result;
    },
    async stop() {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      const code = await exited;
      conn.dispose();
      return code;
    },
  };
}

// What the language server last said about the local model server; the
// status bar and the Models view both follow it. It follows the client too:
// a restarted client is subscribed again, and a server that is down serves
// nothing (the model server lived in its process).
import * as vscode from 'vscode';
import { ServerStatusNotification } from '../server/protocol/lsp';
import type { Ctx } from './ctx';

export class ServerState {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires on a status notification and when the language server starts, fails or stops. */
  readonly onDidChange = this.changed.event;
  current: ServerStatusNotification.Params = { running: false };
  /** The status of the last ServerState made (the extension makes one), for commands that ask before serving again. */
  static latest: ServerStatusNotification.Params = { running: false };

  constructor(ctx: Ctx) {
    ctx.pushDisposable(this.changed);
    // The Stop button shows only while something is served.
    ctx.pushDisposable(
      this.onDidChange(() => {
        ServerState.latest = this.current;
        void vscode.commands.executeCommand('setContext', 'modelgate.serving', this.current.running);
      }),
    );
    let sub: vscode.Disposable | undefined;
    const follow = () => {
      sub?.dispose();
      sub = ctx.client?.onNotification(ServerStatusNotification.type, (s) => {
        this.current = s;
        this.changed.fire();
      });
      if (!sub) this.current = { running: false };
      this.changed.fire();
    };
    ctx.pushDisposable(ctx.onDidChangeServer(follow));
    ctx.pushDisposable({ dispose: () => sub?.dispose() });
    follow();
  }
}

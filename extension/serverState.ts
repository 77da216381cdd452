// What the language server last said about the local model server; the
// status bar and the Models view both follow it.
import * as vscode from 'vscode';
import { ServerStatusNotification } from '../server/protocol/lsp';
import type { CtxInit } from './ctx';

export class ServerState {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  current: ServerStatusNotification.Params = { running: false };

  constructor(ctx: CtxInit) {
    ctx.pushDisposable(this.changed);
    ctx.pushDisposable(ctx.client.onNotification(ServerStatusNotification.type, (s) => {
      this.current = s;
      this.changed.fire();
    }));
  }
}

// Status bar item for the local model server: its address and request rate
// while it runs; a click opens the last report (stop it from the Models view
// or "ModelGate: Stop server").
import * as vscode from 'vscode';
import type { CtxInit } from './ctx';
import type { ServerState } from './serverState';
import { serverStatusText } from './serverStatusText';

export function serverStatusBar(ctx: CtxInit, server: ServerState): void {
  const item = vscode.window.createStatusBarItem('modelgate.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ModelGate server';
  item.command = 'modelgate.openLastReport';
  ctx.pushDisposable(item);
  ctx.pushDisposable(server.onDidChange(() => {
    const shown = serverStatusText(server.current);
    if (!shown) {
      item.hide();
      return;
    }
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.show();
  }));
}

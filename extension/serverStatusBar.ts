// Status bar item for the local model server: its address and request rate
// while it runs; a click opens the last report (stop it from the Models view
// or "ModelGate: Stop server"). While the language server is down it shows a
// warning with the reason, and a click retries.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { serverFailedStatus } from './serverDownText';
import type { ServerState } from './serverState';
import { serverStatusText } from './serverStatusText';

export function serverStatusBar(ctx: Ctx, server: ServerState): void {
  const item = vscode.window.createStatusBarItem('modelgate.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ModelGate server';
  ctx.pushDisposable(item);
  const update = () => {
    const s = ctx.server;
    const failed = s.kind === 'failed';
    const shown = failed ? serverFailedStatus(s.reason) : serverStatusText(server.current);
    if (!shown) {
      item.hide();
      return;
    }
    item.text = shown.text;
    item.tooltip = shown.tooltip;
    item.command = failed ? 'modelgate.restartServer' : 'modelgate.openLastReport';
    item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  ctx.pushDisposable(server.onDidChange(update));
  update();
}

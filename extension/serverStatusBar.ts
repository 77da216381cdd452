// Status bar item for the local model server: its URL while it runs; a click
// stops it.
import * as vscode from 'vscode';
import type { CtxInit } from './ctx';
import type { ServerState } from './serverState';

export function serverStatusBar(ctx: CtxInit, server: ServerState): void {
  const item = vscode.window.createStatusBarItem('modelgate.server', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ModelGate server';
  ctx.pushDisposable(item);
  ctx.pushDisposable(server.onDidChange(() => {
    const s = server.current;
    if (!s.running || !s.url) {
      item.hide();
      return;
    }
    const models = (s.models ?? []).map((m) => `${m.name} ${m.version}`).join(', ');
    item.text = `$(server-process) ${s.url.replace(/^https?:\/\//, '')}`;
    item.tooltip = `ModelGate is serving ${models} at ${s.url}. Click to stop.`;
    item.command = 'modelgate.stop';
    item.show();
  }));
}

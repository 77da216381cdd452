// An engine request under a cancellable progress notification fed by the
// language server's $/progress (work-done progress with a percentage): the
// wrapper every long editor command shares. Cancel resolves to undefined;
// any other failure is thrown for the command to explain.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type CancellationToken, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import type { CtxInit } from './ctx';

export async function withEngineProgress<R>(
  ctx: CtxInit,
  title: string,
  send: (workDoneToken: string, token: CancellationToken) => Promise<R>,
): Promise<R | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let shown = 0;
    const sub = ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'end') return;
      const value = v as WorkDoneProgressBegin | WorkDoneProgressReport;
      const pct = value.percentage ?? shown;
      progress.report({ message: value.message, increment: Math.max(0, pct - shown) });
      shown = Math.max(shown, pct);
    });
    try {
      return await send(workDoneToken, token);
    } catch (err) {
      if (token.isCancellationRequested) return undefined;
      throw err;
    } finally {
      sub.dispose();
    }
  });
}

// Runs suites of one manifest in the language server, under a cancellable
// progress notification fed by the server's $/progress, then stores the
// report and shows it.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import type { Report, SuiteId } from '../server/protocol/report';
import type { CtxInit } from './ctx';
import { runSummary, verdictOf } from './lastResultText';
import { manifestTarget } from './manifestTarget';
import { testSettings } from './testSettings';
import { ReportPanel } from './webview/reportPanel';
import { RunTestsRequest } from '../server/protocol/lsp';

/** Resolves with the report (also returned by the run commands), or undefined when cancelled or failed. */
export async function runSuites(ctx: CtxInit, arg: unknown, only?: SuiteId[]): Promise<Report | undefined> {
  const uri = await manifestTarget(arg);
  if (!uri) return undefined;
  const manifest = uri.fsPath;
  const what = only?.length === 1 ? `${only[0]} tests` : 'tests';
  ctx.output.info(`running ${what} for ${manifest}`);
  const suiteKey = only?.length === 1 ? only[0]! : 'all';
  ReportPanel.notifyRunning(suiteKey, true);
  const result = await Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `ModelGate: running ${what} for ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
    async (progress, token) => {
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
        return await ctx.client.sendRequest(RunTestsRequest.type, { manifest, only, ...testSettings(uri), workDoneToken }, token);
      } catch (err) {
        if (token.isCancellationRequested) {
          void vscode.window.showInformationMessage('ModelGate: tests cancelled.');
          return undefined;
        }
        const message = err instanceof Error ? err.message : String(err);
        ctx.output.error(message);
        void vscode.window.showErrorMessage(`ModelGate: tests could not run. ${message}`, 'Show logs').then((a) => a && ctx.output.show());
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  )).finally(() => ReportPanel.notifyRunning(suiteKey, false));
  if (!result) return undefined;
  const { report } = result;
  await ctx.reports.set(manifest, report);
  ReportPanel.createOrShow(ctx, report);
  const summary = runSummary(report);
  ctx.output.info(summary);
  if (verdictOf(report) === 'passed') void vscode.window.showInformationMessage(`ModelGate: ${summary}`);
  else void vscode.window.showWarningMessage(`ModelGate: ${summary}`);
  return report;
}

// Runs suites of one manifest in the language server, under a cancellable
// progress notification (engineProgress.ts), then stores the report and
// shows it.
import * as vscode from 'vscode';
import type { Report, SuiteId } from '../server/protocol/report';
import type { CtxInit } from './ctx';
import { runSummary, verdictOf } from './lastResultText';
import { withEngineProgress } from './engineProgress';
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
  let result: RunTestsRequest.Result | undefined;
  try {
    result = await withEngineProgress(ctx, `ModelGate: running ${what} for ${vscode.workspace.asRelativePath(uri)}`, (workDoneToken, token) =>
      ctx.client.sendRequest(RunTestsRequest.type, { manifest, only, ...testSettings(uri), workDoneToken }, token),
    );
    if (!result) void vscode.window.showInformationMessage('ModelGate: tests cancelled.');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(message);
    void vscode.window.showErrorMessage(`ModelGate: tests could not run. ${message}`, 'Show logs').then((a) => a && ctx.output.show());
  } finally {
    ReportPanel.notifyRunning(suiteKey, false);
  }
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

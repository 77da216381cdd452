// Runs suites of one manifest in the language server, under a cancellable
// progress notification (engineProgress.ts), then stores the report and
// shows it.
import * as vscode from 'vscode';
import type { Report, SuiteId } from '../server/protocol/report';
import type { CtxInit } from './ctx';
import { gateTable } from './gateOutcome';
import { runSummary } from './lastResultText';
import { errorToast, RERUN, testToast } from './outcomeToast';
import { showOutcome } from './showOutcome';
import { withEngineProgress } from './engineProgress';
import { manifestTarget } from './manifestTarget';
import { testSettings } from './testSettings';
import { ReportPanel } from './webview/reportPanel';
import { RunTestsRequest } from '../server/protocol/lsp';

const RERUN_COMMANDS: Record<SuiteId | 'all', string> = {
  all: 'modelgate.runAll',
  stress: 'modelgate.runStress',
  staleness: 'modelgate.runStaleness',
  metrics: 'modelgate.runMetrics',
};

/** Resolves with the report (also returned by the run commands), or undefined when cancelled or failed. */
export async function runSuites(ctx: CtxInit, arg: unknown, only?: SuiteId[]): Promise<Report | undefined> {
  const uri = await manifestTarget(arg);
  if (!uri) return undefined;
  const manifest = uri.fsPath;
  const what = only?.length === 1 ? `${only[0]} tests` : 'tests';
  ctx.output.info(`running ${what} for ${manifest}`);
  const suiteKey = only?.length === 1 ? only[0]! : 'all';
  const rerun = { command: RERUN_COMMANDS[suiteKey], uri };
  ReportPanel.notifyRunning(suiteKey, true);
  let result: RunTestsRequest.Result | undefined;
  try {
    result = await withEngineProgress(ctx, `ModelGate: running ${what} for ${vscode.workspace.asRelativePath(uri)}`, (workDoneToken, token) =>
      ctx.client.sendRequest(RunTestsRequest.type, { manifest, only, ...testSettings(uri), workDoneToken }, token),
    );
    if (!result) {
      ctx.output.info(`${what} for ${manifest}: cancelled before any result`);
      void showOutcome(ctx, { severity: 'info', text: 'ModelGate: tests cancelled before any result.', actions: [RERUN] }, { rerun });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(message);
    void showOutcome(ctx, errorToast('the tests', message), { rerun });
  } finally {
    ReportPanel.notifyRunning(suiteKey, false);
  }
  if (!result) return undefined;
  const { report } = result;
  await ctx.reports.set(manifest, report);
  ReportPanel.createOrShow(ctx, report);
  // The log keeps the whole story (every gate); the notification only the verdict, with what to do.
  ctx.output.info(`${runSummary(report)} Report: the ModelGate report panel (Open last report).`);
  ctx.output.info(gateTable(report).trimEnd().replace(/\r\n/g, '\n'));
  void showOutcome(ctx, testToast(report), { report, rerun });
  return report;
}

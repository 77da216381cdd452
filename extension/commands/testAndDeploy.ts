// Runs every suite, then publishes when the verdict is passed (every declared gate passed).
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { manifestTarget } from '../manifestTarget';
import { publishManifest } from '../publishManifest';
import { runSuites } from '../runSuites';
import { runSummary, verdictOf } from '../lastResultText';

export const testAndDeploy: CommandFactory = (ctx) => async (arg) => {
  const uri = await manifestTarget(arg);
  if (!uri) return;
  // The report of this run only: a failed or cancelled run publishes nothing, whatever ran before.
  const report = await runSuites(ctx, uri);
  if (!report || report.cancelled) return;
  if (verdictOf(report) !== 'passed') {
    void vscode.window.showWarningMessage(`ModelGate: not publishing ${report.model.name} ${report.model.version}: ${runSummary(report)}`);
    return;
  }
  await publishManifest(ctx, uri);
};

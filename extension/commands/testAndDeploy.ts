// Runs every suite, then publishes when all gates passed.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { manifestTarget } from '../manifestTarget';
import { publishManifest } from '../publishManifest';
import { runSuites } from '../runSuites';

export const testAndDeploy: CommandFactory = (ctx) => async (arg) => {
  const uri = await manifestTarget(arg);
  if (!uri) return;
  // The report of this run only: a failed or cancelled run publishes nothing, whatever ran before.
  const report = await runSuites(ctx, uri);
  if (!report || report.cancelled) return;
  if (!report.summary.passed) {
    void vscode.window.showWarningMessage(`ModelGate: not publishing ${report.model.name} ${report.model.version}: ${report.summary.failed} of ${report.summary.gates} gates failed (see the report).`);
    return;
  }
  await publishManifest(ctx, uri);
};

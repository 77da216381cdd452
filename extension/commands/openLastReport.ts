// Opens the last report of a manifest (or of any manifest) in the report panel.
import * as vscode from 'vscode';
import { isManifestPath } from '../commandIds';
import { anyState } from '../ctx';
import { uriArg } from '../manifestTarget';
import { ReportPanel } from '../webview/reportPanel';

export const openLastReport = anyState((ctx) => async (arg) => {
  const active = vscode.window.activeTextEditor?.document.uri;
  const uri = uriArg(arg) ?? (active && isManifestPath(active.fsPath) ? active : undefined);
  const report = uri ? (ctx.reports.get(uri.fsPath) ?? ctx.reports.latest()?.report) : ctx.reports.latest()?.report;
  if (!report) {
    void vscode.window.showInformationMessage('ModelGate: no report yet. Run "ModelGate: Run all tests" on a model.yaml first.');
    return;
  }
  ReportPanel.createOrShow(ctx, report);
});

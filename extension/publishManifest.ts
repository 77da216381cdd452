// Publishes a manifest's model through the language server with the report
// the editor holds and credentials from SecretStorage, under a progress
// notification.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress } from 'vscode-languageclient/node';
import { PublishRequest } from '../server/protocol/lsp';
import type { CtxInit } from './ctx';
import { firePublished } from './publishedEvent';
import { credentialsFor } from './registryCredentials';
import { undecidedText, verdictOf } from './lastResultText';
import { publishFailureActions, SET_CREDENTIALS, SHOW_LOGS } from './publishFailure';

export async function publishManifest(ctx: CtxInit, uri: vscode.Uri): Promise<PublishRequest.Result | undefined> {
  const manifest = uri.fsPath;
  const target = vscode.workspace.getConfiguration('modelgate', uri).get<string>('registry') || undefined;
  let report = ctx.reports.get(manifest);
  let force = false;
  if (!report || verdictOf(report) !== 'passed') {
    // A gated publish needs a passed verdict over every suite; anything else is published only ungated, and the dialog says why.
    const why = !report
      ? 'has no test report yet'
      : verdictOf(report) === 'cancelled'
        ? 'was last tested in a cancelled run'
        : verdictOf(report) === 'failed'
          ? `failed ${report.summary.failed} of ${report.summary.gates} gates`
          : `has no complete verdict: ${undecidedText(report)}`;
    const choice = await vscode.window.showWarningMessage(
      `ModelGate: ${vscode.workspace.asRelativePath(uri)} ${why}. Only a model that passed every gate of every suite is published as gated: run all tests first, or publish it marked ungated (dev.modelgate.gated=false).`,
      { modal: true },
      'Run all tests first',
      'Publish ungated',
    );
    if (choice === 'Run all tests first') {
      await vscode.commands.executeCommand('modelgate.runAll', uri);
      report = ctx.reports.get(manifest);
      if (!report || verdictOf(report) !== 'passed') return undefined;
    } else if (choice === 'Publish ungated') force = true;
    else return undefined;
  }
  const credentials = await credentialsFor(ctx.extension.secrets, target);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `ModelGate: publishing ${vscode.workspace.asRelativePath(uri)}`, cancellable: true },
      async (progress, token) => {
        const workDoneToken = randomUUID();
        const sub = ctx.client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
          if (v.kind !== 'end' && v.message) progress.report({ message: v.message });
        });
        try {
          return await ctx.client.sendRequest(PublishRequest.type, { manifest, target, report, force, credentials, workDoneToken }, token);
        } catch (err) {
          if (token.isCancellationRequested) return undefined;
          throw err;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!result) {
      void vscode.window.showInformationMessage('ModelGate: publish cancelled. No version tag was written; publishing again finishes it.');
      return undefined;
    }
    firePublished(manifest);
    ctx.output.info(`published ${result.reference} (${result.digest}, ${result.size} bytes, ${result.gated ? 'gated' : 'UNGATED'})`);
    void vscode.window.showInformationMessage(`ModelGate: published ${result.reference}${result.gated ? '' : ' (ungated)'}.`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(message);
    const action = await vscode.window.showErrorMessage(`ModelGate: publish failed. ${message}`, ...publishFailureActions(err));
    if (action === SET_CREDENTIALS) await vscode.commands.executeCommand('modelgate.setRegistryCredentials');
    else if (action === SHOW_LOGS) ctx.output.show();
    return undefined;
  }
}

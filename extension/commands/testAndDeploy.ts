// Test & Deploy is `modelgate deploy`: one engine request (lint, every suite
// with the target's champion as the baseline, the reports, the same-version
// rule, publish when the verdict is passed, the Kubernetes and remote steps)
// under a cancellable progress notification. The extension only shows it.
import * as vscode from 'vscode';
import { DeployRequest } from '../../server/protocol/lsp';
import type { CommandFactory } from '../ctx';
import { withEngineProgress } from '../engineProgress';
import { deploySummary } from '../lastResultText';
import { deployToast, RERUN } from '../outcomeToast';
import { showOutcome } from '../showOutcome';
import { manifestTarget } from '../manifestTarget';
import { publishFailureActions, SET_CREDENTIALS, SHOW_LOGS } from '../publishFailure';
import { firePublished } from '../publishedEvent';
import { credentialsFor } from '../registryCredentials';
import { testSettings } from '../testSettings';
import { ReportPanel } from '../webview/reportPanel';

export const testAndDeploy: CommandFactory = {
  enabled: (ctx) => async (arg) => {
    const uri = await manifestTarget(arg);
    if (!uri) return;
    const manifest = uri.fsPath;
    const rerun = { command: 'modelgate.testAndDeploy', uri };
    const target = vscode.workspace.getConfiguration('modelgate', uri).get<string>('registry') || undefined;
    const credentials = await credentialsFor(ctx.extension.secrets, target);
    ctx.output.info(`testing and deploying ${manifest}`);
    ReportPanel.notifyRunning('all', true);
    let result: DeployRequest.Result | undefined;
    try {
      result = await withEngineProgress(ctx, `ModelGate: testing and deploying ${vscode.workspace.asRelativePath(uri)}`, (workDoneToken, token) =>
        ctx.client.sendRequest(DeployRequest.type, { manifest, target, credentials, ...testSettings(uri), workDoneToken }, token),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.output.error(message);
      const action = await vscode.window.showErrorMessage(`ModelGate: Test & Deploy failed. ${message}`, ...publishFailureActions(err));
      if (action === SET_CREDENTIALS) await vscode.commands.executeCommand('modelgate.setRegistryCredentials');
      else if (action === SHOW_LOGS) ctx.output.show();
      return;
    } finally {
      ReportPanel.notifyRunning('all', false);
    }
    if (!result) {
      ctx.output.info(`Test & Deploy of ${manifest}: cancelled before any result; nothing was published`);
      void showOutcome(ctx, { severity: 'info', text: 'ModelGate: Test & Deploy cancelled; nothing was published.', actions: [RERUN] }, { rerun });
      return;
    }
    await ctx.reports.set(manifest, result.report);
    ReportPanel.createOrShow(ctx, result.report);
    for (const n of [...result.notices, ...result.steps]) ctx.output.info(n);
    ctx.output.info(`reports: ${result.reportPaths.html} (JSON: ${result.reportPaths.json})`);
    ctx.output.info(deploySummary(result));
    if (result.published || result.alreadyPublished) firePublished(manifest);
    // One notification: the verdict in a line, with what to do next.
    void showOutcome(ctx, deployToast(result), { report: result.report, rerun });
  },
};

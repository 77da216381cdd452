// Shows one outcome notification (outcomeToast.ts) and runs the action the
// user picks: the report panel, the same run again, the ungated publish
// dialog or the log.
import * as vscode from 'vscode';
import type { Report } from '../server/protocol/report';
import type { Ctx } from './ctx';
import { OPEN_REPORT, PUBLISH_UNGATED, RERUN, SHOW_LOGS_ACTION, type Toast } from './outcomeToast';
import { ReportPanel } from './webview/reportPanel';

export interface OutcomeTargets {
  report?: Report;
  /** The command that runs the same thing again, with the manifest as its argument. */
  rerun: { command: string; uri: vscode.Uri };
}

export async function showOutcome(ctx: Ctx, toast: Toast, targets: OutcomeTargets): Promise<void> {
  const actions = toast.actions.filter((a) => a !== OPEN_REPORT || targets.report);
  const show =
    toast.severity === 'error'
      ? vscode.window.showErrorMessage
      : toast.severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  const picked = await show(toast.text, ...actions);
  if (picked === OPEN_REPORT && targets.report) ReportPanel.createOrShow(ctx, targets.report);
  else if (picked === RERUN) await vscode.commands.executeCommand(targets.rerun.command, targets.rerun.uri);
  else if (picked === PUBLISH_UNGATED) await vscode.commands.executeCommand('modelgate.publish', targets.rerun.uri);
  else if (picked === SHOW_LOGS_ACTION) ctx.output.show();
}

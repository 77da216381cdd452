// "Score a CSV file": the engine's scoring job (modelgate score) through the
// language server, under a cancellable progress notification. The CSV is the
// one given (explorer menu on a .csv, or the second argument), else the
// user's pick: the manifest's validation data or a file from the open
// dialog. The predictions go next to it as <name>.scored.csv and open.
import * as vscode from 'vscode';
import { ScoreRequest } from '../../server/protocol/lsp';
import type { CommandFactory, CtxInit } from '../ctx';
import { withEngineProgress } from '../engineProgress';
import { manifestTarget, uriArg } from '../manifestTarget';
import { errorDataOf, SHOW_LOGS } from '../publishFailure';
import { NOT_A_NUMBER, scoreSummaryText, SKIP_ROWS } from '../scoreText';

const isCsv = (u: vscode.Uri | undefined): u is vscode.Uri => !!u && /\.csv$/i.test(u.fsPath);

/** The CSV to score: undefined for the manifest's validation data, null when the user cancelled. */
async function pickInput(manifest: vscode.Uri): Promise<vscode.Uri | undefined | null> {
  const validation = { label: "$(database) The manifest's validation data", detail: 'data.validation of the manifest' };
  const other = { label: '$(folder-opened) Choose a CSV file…' };
  const pick = await vscode.window.showQuickPick([validation, other], {
    title: `ModelGate: score with ${vscode.workspace.asRelativePath(manifest)}`,
    placeHolder: 'Which data?',
  });
  if (!pick) return null;
  if (pick === validation) return undefined;
  const chosen = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: vscode.Uri.joinPath(manifest, '..'),
    filters: { CSV: ['csv'] },
    openLabel: 'Score',
    title: 'ModelGate: CSV file to score',
  });
  return chosen?.[0] ?? null;
}

async function score(ctx: CtxInit, manifest: vscode.Uri, input: vscode.Uri | undefined, skipInvalid: boolean): Promise<ScoreRequest.Result | undefined> {
  const what = input ? vscode.workspace.asRelativePath(input) : 'the validation data';
  // through the nodes of `modelgate serve --queue` when a queue is set (the password stays in MODELGATE_REDIS_PASSWORD)
  const queue = vscode.workspace.getConfiguration('modelgate', manifest).get<string>('queue')?.trim() || undefined;
  try {
    const result = await withEngineProgress(ctx, `ModelGate: scoring ${what}`, (workDoneToken, token) =>
      ctx.client.sendRequest(
        ScoreRequest.type,
        { manifest: manifest.fsPath, ...(input ? { input: input.fsPath } : {}), skipInvalid, ...(queue ? { queue } : {}), workDoneToken },
        token,
      ),
    );
    if (!result) {
      void vscode.window.showInformationMessage('ModelGate: scoring cancelled; no predictions file was written.');
      return undefined;
    }
    const summary = scoreSummaryText(result, (p) => vscode.workspace.asRelativePath(p));
    ctx.output.info(summary);
    await vscode.window.showTextDocument(vscode.Uri.file(result.output), { preview: false });
    if (result.skipped.count) void vscode.window.showWarningMessage(`ModelGate: ${summary}`);
    else void vscode.window.showInformationMessage(`ModelGate: ${summary}`);
    return result;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.output.error(message);
    const actions = errorDataOf(err)?.code === NOT_A_NUMBER && !skipInvalid ? [SKIP_ROWS, SHOW_LOGS] : [SHOW_LOGS];
    const action = await vscode.window.showErrorMessage(`ModelGate: could not score ${what}. ${message}`, ...actions);
    if (action === SKIP_ROWS) return score(ctx, manifest, input, true);
    if (action === SHOW_LOGS) ctx.output.show();
    return undefined;
  }
}

/** Resolves with what was scored where (rows, rows left out, output), or undefined when cancelled or failed. */
export const scoreCsv: CommandFactory = {
  enabled: (ctx) => async (arg, second) => {
    const first = uriArg(arg);
    const csvFirst = isCsv(first);
    const manifest = await manifestTarget(csvFirst ? second : arg);
    if (!manifest) return undefined;
    const given = csvFirst ? first : uriArg(second);
    const input = isCsv(given) ? given : await pickInput(manifest);
    if (input === null) return undefined;
    return score(ctx, manifest, input, false);
  },
};

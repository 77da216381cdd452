// Opens the diagnostic code list rendered (markdown preview) at one code's
// section: the target of the code link in the Problems panel.
import * as vscode from 'vscode';
import { codeAnchor } from '../codeLink';
import { anyState } from '../ctx';

export const explainCode = anyState((ctx) => async (code?: unknown) => {
  const doc = vscode.Uri.joinPath(ctx.extension.extensionUri, 'docs', 'diagnostic-codes.md');
  const anchor = typeof code === 'string' ? codeAnchor(code) : undefined;
  await vscode.commands.executeCommand('markdown.showPreview', anchor ? doc.with({ fragment: anchor }) : doc);
});

// Which manifest a command acts on: the Uri it was invoked with (CodeLens,
// explorer, editor title), else the active manifest editor, else a pick.
import * as vscode from 'vscode';
import { isManifestPath, MANIFEST_GLOB } from './commandIds';

export async function manifestTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isManifestPath(arg.fsPath)) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && isManifestPath(active.fsPath)) return active;
  const found = await vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**', 200);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showErrorMessage('ModelGate: no model.yaml in this workspace. Create one with `modelgate init <model.onnx>` or open a folder that has one.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which manifest?' },
  );
  return pick?.uri;
}

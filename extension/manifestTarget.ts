// Which manifest a command acts on: the Uri it was invoked with (CodeLens,
// explorer, editor title), else the active manifest editor, else the only
// manifest visible in an editor, else the only one in the workspace, else a pick.
import * as vscode from 'vscode';
import { isManifestPath, MANIFEST_GLOB } from './commandIds';

/** A Uri argument, or the `uri` of a Models view node (menus there pass the node). */
export function uriArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const uri = (arg as { uri?: unknown } | undefined)?.uri;
  return uri instanceof vscode.Uri ? uri : undefined;
}

export async function manifestTarget(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = uriArg(arg);
  if (given && isManifestPath(given.fsPath)) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && isManifestPath(active.fsPath)) return active;
  // Focus in a view or the report panel: the one manifest open in an editor, if only one is.
  const visible = [
    ...new Set(
      vscode.window.visibleTextEditors
        .map((e) => e.document.uri)
        .filter((u) => u.scheme === 'file' && isManifestPath(u.fsPath))
        .map((u) => u.toString()),
    ),
  ];
  if (visible.length === 1) return vscode.Uri.parse(visible[0]!);
  const found = await vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**', 200);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showErrorMessage(
      'ModelGate: no model.yaml in this workspace. Create one with `modelgate init <model.onnx>` or open a folder that has one.',
    );
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which manifest?' },
  );
  return pick?.uri;
}

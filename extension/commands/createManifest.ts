// Writes a starter model.yaml next to an ONNX file (from the explorer's
// context menu or a file picker) and opens it; never overwrites.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { CreateManifestRequest } from '../../server/protocol/lsp';

export const createManifest: CommandFactory = {
  enabled: (ctx) => async (arg) => {
    let model = arg instanceof vscode.Uri && arg.fsPath.endsWith('.onnx') ? arg : undefined;
    if (!model) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { 'ONNX model': ['onnx'] },
        title: 'ModelGate: ONNX file to describe',
      });
      model = picked?.[0];
    }
    if (!model) return;
    const output = vscode.Uri.joinPath(model, '..', 'model.yaml');
    try {
      await vscode.workspace.fs.stat(output);
      // Not awaited: the command ends now, whether or not the user answers.
      void vscode.window
        .showWarningMessage(`ModelGate: ${vscode.workspace.asRelativePath(output)} already exists; not overwriting it.`, 'Open it')
        .then((open) => {
          if (open) void vscode.window.showTextDocument(output);
        });
      return;
    } catch {
      // No manifest yet: write one.
    }
    try {
      const starter = await ctx.client.sendRequest(CreateManifestRequest.type, { model: model.fsPath, output: output.fsPath });
      // The split of a single CSV the manifest points at; an existing file is kept.
      for (const f of starter.files) {
        const uri = vscode.Uri.file(f.path);
        const there = await vscode.workspace.fs.stat(uri).then(
          () => true,
          () => false,
        );
        if (there) ctx.output.warn(`${vscode.workspace.asRelativePath(uri)} exists; kept as it is`);
        else await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(f.text));
      }
      await vscode.workspace.fs.writeFile(output, new TextEncoder().encode(starter.text));
      for (const note of starter.notes) ctx.output.info(note);
      await vscode.window.showTextDocument(output);
      void vscode.window.showInformationMessage(
        `ModelGate: wrote ${vscode.workspace.asRelativePath(output)}. Set its gates (or run \`modelgate init --force\` to measure them), then run the tests (notes in "ModelGate: Show logs").`,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.output.error(message);
      void vscode.window.showErrorMessage(`ModelGate: could not describe ${vscode.workspace.asRelativePath(model)}. ${message}`);
    }
  },
};

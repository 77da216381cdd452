// The language side inside a real extension host: activation on a manifest,
// the command table, diagnostics, quick fixes, completion, hover, symbols and
// the CodeLens row, all through the `vscode` API as other extensions see them.
import assert from 'node:assert/strict';
import { describe, it, before } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, expectedBrokenDiagnostics, modelgateDiagnostics, unregisteredCommands, workspaceUri } from './helpers';

describe('ModelGate language features', () => {
  const broken = workspaceUri('broken', 'model.yaml');
  const valid = workspaceUri('breast-cancer', 'model.yaml');
  let expected: ReturnType<typeof expectedBrokenDiagnostics>;

  before(async () => {
    expected = expectedBrokenDiagnostics();
    await vscode.window.showTextDocument(broken);
  });

  it('activates on a manifest and registers every contributed command', async () => {
    assert.deepEqual(await unregisteredCommands(), [], 'contributed commands without a handler');
  });

  it('lists every mistake of the broken sample with its code, on its line', async () => {
    const want = new Set(expected.map((e) => `${e.code}@${e.line}`));
    const diags = await modelgateDiagnostics(broken, (d) => [...want].every((w) => d.some((x) => `${codeOf(x)}@${x.range.start.line + 1}` === w)));
    const got = new Set(diags.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`));
    for (const w of want) assert.ok(got.has(w), `${w} missing; got ${[...got].join(', ')}`);
    for (const d of diags) {
      assert.ok(d.message.length > 20, `a terse message: ${d.message}`);
      // The link runs the command that opens the rendered code list at this code's section.
      assert.ok(
        typeof d.code === 'object' && d.code.target.toString() === `command:modelgate.explainCode?${encodeURIComponent(JSON.stringify([codeOf(d)]))}`,
        `${codeOf(d)} has no link to its explanation: ${typeof d.code === 'object' ? d.code.target.toString() : String(d.code)}`,
      );
    }
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    assert.ok(errors >= 10, `only ${errors} errors`);
  });

  it('offers the did-you-mean quick fix, and applying it removes the diagnostic', async () => {
    const diags = await modelgateDiagnostics(broken, (d) => d.some((x) => codeOf(x) === 'MG110'));
    const typo = diags.find((d) => codeOf(d) === 'MG110')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      broken,
      typo.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Change to classLabels');
    assert.ok(fix?.edit, `no rename fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    const after = await modelgateDiagnostics(broken, (d) => d.length > 0 && !d.some((x) => codeOf(x) === 'MG110'));
    assert.ok(
      after.some((d) => codeOf(d) === 'MG305'),
      'the other diagnostics stay',
    );
    // Put the file back as it was for the specs that follow.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await modelgateDiagnostics(broken, (d) => d.some((x) => codeOf(x) === 'MG110'));
  });

  it('completes input names from the ONNX file and shows its signature on hover', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', broken, new vscode.Position(24, 20));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('features'), `completion offers ${labels.slice(0, 20).join(', ')}`);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', broken, new vscode.Position(17, 16));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\| input \| `features` \| float32 \| \[batch, 30\] \|/);
  });

  it('outlines a manifest by its top-level sections', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', valid);
    const names = symbols.map((s) => s.name);
    for (const section of ['apiVersion', 'kind', 'metadata', 'model', 'signature', 'gates'])
      assert.ok(names.includes(section), `outline lacks ${section}: ${names.join(', ')}`);
  });

  it('puts Serve, Test and Test & Deploy lenses on a manifest', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', valid);
    const commands = lenses.map((l) => l.command?.command);
    for (const id of ['modelgate.serve', 'modelgate.runAll', 'modelgate.testAndDeploy'])
      assert.ok(commands.includes(id), `no ${id} lens: ${commands.join(', ')}`);
    const serve = lenses.find((l) => l.command?.command === 'modelgate.serve')!;
    assert.equal((serve.command!.arguments?.[0] as vscode.Uri).toString(), valid.toString());
  });
});

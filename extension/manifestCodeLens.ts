// CodeLens at the top of a manifest: ▶ Serve · ✓ Test · ⇪ Test & Deploy · the last result.
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { lastResultText } from './lastResultText';

export class ManifestCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.pushDisposable(this.changed);
    ctx.pushDisposable(ctx.reports.onDidChange(() => this.changed.fire()));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: '▶ Serve', command: 'modelgate.serve', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: '✓ Test', command: 'modelgate.runAll', arguments: [doc.uri] }),
      new vscode.CodeLens(top, { title: '⇪ Test & Deploy', command: 'modelgate.testAndDeploy', arguments: [doc.uri] }),
    ];
    const report = this.ctx.reports.get(doc.uri.fsPath);
    if (report) lenses.push(new vscode.CodeLens(top, { title: lastResultText(report, new Date()), command: 'modelgate.openLastReport', arguments: [doc.uri] }));
    return lenses;
  }
}

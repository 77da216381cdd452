// The hover on a gate's line of model.yaml: that gate's last result from the
// report the editor holds (the language server knows the schema, the editor
// knows the runs; VS Code shows both hovers together).
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import { gateHoverLines } from './gateOutcome';
import { ago } from './lastResultText';

export function gateHover(ctx: Ctx): void {
  ctx.pushDisposable(
    vscode.languages.registerHoverProvider(
      [
        { scheme: 'file', pattern: '**/model.yaml' },
        { scheme: 'file', pattern: '**/*.model.yaml' },
      ],
      {
        provideHover(doc, position) {
          const report = ctx.reports.get(doc.uri.fsPath);
          if (!report) return undefined;
          const lines = gateHoverLines(report, position.line, ago(new Date(report.createdAt), new Date()));
          if (!lines.length) return undefined;
          const md = new vscode.MarkdownString();
          // Report text is shown as text, never as markdown or HTML.
          lines.forEach((l, i) => (i === 0 ? md.appendMarkdown('**').appendText(l).appendMarkdown('**') : md.appendMarkdown('\n\n').appendText(l)));
          return new vscode.Hover(md, doc.lineAt(position.line).range);
        },
      },
    ),
  );
}

// Entry point: wires the command table, CodeLens, the report panel
// serializer, the status bar, the Models view, the Test Explorer and the
// gate hover, then
// starts the language client. Everything is wired before the start, and the
// start never throws: when the server cannot start, the extension stays
// active and every command explains why (commandRegistry.ts).
import * as vscode from 'vscode';
import { registerCommands } from './commandRegistry';
import { commandTable } from './commands';
import { Ctx } from './ctx';
import { gateHover } from './gateHover';
import { ManifestCodeLens } from './manifestCodeLens';
import { modelsView } from './modelsView';
import { ServerState } from './serverState';
import { serverStatusBar } from './serverStatusBar';
import { testExplorer } from './testExplorer';
import { ReportPanel, reportPanelSerializer } from './webview/reportPanel';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const ctx = new Ctx(context);
  registerCommands(ctx, commandTable);
  ctx.pushDisposable(
    vscode.languages.registerCodeLensProvider(
      [
        { scheme: 'file', pattern: '**/model.yaml' },
        { scheme: 'file', pattern: '**/*.model.yaml' },
      ],
      new ManifestCodeLens(ctx),
    ),
  );
  ctx.pushDisposable(vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, reportPanelSerializer(ctx)));
  const server = new ServerState(ctx);
  serverStatusBar(ctx, server);
  modelsView(ctx, server);
  testExplorer(ctx);
  gateHover(ctx);
  await ctx.start();
}

export function deactivate(): void {
  // Disposables registered on the context (client included) are disposed by VS Code.
}

// Entry point: wires the language client, the command table, CodeLens, the
// report panel serializer, the status bar, the Models view and the Test Explorer. Behaviour lives elsewhere.
import * as vscode from 'vscode';
import { commandTable } from './commands';
import { COMMANDS, type CommandId } from './commandIds';
import { Ctx } from './ctx';
import { ManifestCodeLens } from './manifestCodeLens';
import { modelsView } from './modelsView';
import { ServerState } from './serverState';
import { serverStatusBar } from './serverStatusBar';
import { testExplorer } from './testExplorer';
import { ReportPanel, reportPanelSerializer } from './webview/reportPanel';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const ctx = await new Ctx(context).start();
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    ctx.pushDisposable(vscode.commands.registerCommand(id, commandTable[id](ctx)));
  }
  ctx.pushDisposable(vscode.languages.registerCodeLensProvider(
    [{ scheme: 'file', pattern: '**/model.yaml' }, { scheme: 'file', pattern: '**/*.model.yaml' }],
    new ManifestCodeLens(ctx),
  ));
  ctx.pushDisposable(vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, reportPanelSerializer(ctx)));
  const server = new ServerState(ctx);
  serverStatusBar(ctx, server);
  modelsView(ctx, server);
  testExplorer(ctx);
}

export function deactivate(): void {
  // Disposables registered on the context (client included) are disposed by VS Code.
}

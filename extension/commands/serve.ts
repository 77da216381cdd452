// Serves a manifest's model on 127.0.0.1 from the language server process.
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { manifestTarget } from '../manifestTarget';
import { ServeRequest } from '../../server/protocol/lsp';
import { ServerState } from '../serverState';

function portOf(url: string): number {
  try {
    return Number(new URL(url).port) || 0;
  } catch {
    return 0;
  }
}

export const serve: CommandFactory = {
  enabled: (ctx) => async (arg) => {
    const uri = await manifestTarget(arg);
    if (!uri) return undefined;
    const configured = vscode.workspace.getConfiguration('modelgate', uri).get<number>('server.port') ?? 0;
    const now = ServerState.latest;
    // Serving again keeps the address: the running server is kept, or restarted on its own port.
    if (now.running && now.url && now.manifests?.includes(uri.fsPath)) {
      const choice = await vscode.window.showInformationMessage(
        `ModelGate: ${vscode.workspace.asRelativePath(uri)} is already served at ${now.url}.`,
        'Keep it running',
        'Restart on the same port',
      );
      if (choice !== 'Restart on the same port') return { url: now.url, models: now.models ?? [] };
    }
    const port = configured || (now.running && now.url ? portOf(now.url) : 0);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `ModelGate: loading ${vscode.workspace.asRelativePath(uri)}` },
        () => ctx.client.sendRequest(ServeRequest.type, { manifests: [uri.fsPath], port }),
      );
      const models = result.models.map((m) => `${m.name} ${m.version}`).join(', ');
      ctx.output.info(`serving ${models} at ${result.url}`);
      void vscode.window.showInformationMessage(`ModelGate: serving ${models} at ${result.url}`, 'Open metrics').then((open) => {
        if (open) void vscode.env.openExternal(vscode.Uri.parse(`${result.url}/metrics`));
      });
      // Returned for callers of the command (other extensions, tests): where it serves what.
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.output.error(message);
      void vscode.window.showErrorMessage(`ModelGate: could not serve ${vscode.workspace.asRelativePath(uri)}. ${message}`);
      return undefined;
    }
  },
};

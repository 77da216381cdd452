// Shared by the extension-host specs: the workspace the runner prepared
// (copies of samples/broken and samples/breast-cancer), waiting on VS Code
// events instead of sleeping, and the expected diagnostics of the broken sample.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'modelgate.modelgate';

/** Activates the extension and returns the contributed commands that have no handler (none, when all is well). */
export async function unregisteredCommands(): Promise<string[]> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  await ext.activate();
  if (!ext.isActive) throw new Error(`${EXTENSION_ID} did not activate`);
  const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
  const registered = new Set(await vscode.commands.getCommands(true));
  return contributed.filter((c) => !registered.has(c));
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host suite needs a workspace folder with the samples (see test/vscode/prepare.mjs)');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

/** Resolves with the first value `probe` returns that is not undefined, re-checked on every `event`; rejects after `ms`. */
export function waitFor<T>(what: string, event: vscode.Event<unknown>, probe: () => T | undefined, ms = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = probe();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const sub = event(() => {
      const v = probe();
      if (v === undefined) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

/** Diagnostics from the ModelGate language server for `uri`, once `ready` accepts them. */
export function modelgateDiagnostics(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const get = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'modelgate');
  return waitFor(`ModelGate diagnostics for ${uri.fsPath}`, vscode.languages.onDidChangeDiagnostics, () => {
    const d = get();
    return ready(d) ? d : undefined;
  });
}

export interface ExpectedDiagnostic {
  line: number;
  code: string;
}

export function expectedBrokenDiagnostics(): ExpectedDiagnostic[] {
  return JSON.parse(readFileSync(workspaceUri('broken', 'expected-diagnostics.json').fsPath, 'utf8')) as ExpectedDiagnostic[];
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

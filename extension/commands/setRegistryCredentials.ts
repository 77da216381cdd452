// Asks for a registry's user name and password (or token) and keeps them in
// SecretStorage only; settings.json and logs never see them.
import * as vscode from 'vscode';
import { anyState } from '../ctx';
import { storeCredentials } from '../registryCredentials';
import { registryHost } from '../registryHost';

export const setRegistryCredentials = anyState((ctx) => async () => {
  const target = vscode.workspace.getConfiguration('modelgate').get<string>('registry') ?? '';
  const host = await vscode.window.showInputBox({
    title: 'ModelGate: registry credentials (1/3)',
    prompt: 'Registry host, e.g. ghcr.io or localhost:5000',
    value: registryHost(target) ?? '',
    validateInput: (v) => (registryHost(`${v.trim()}/x`) ? undefined : 'Give a host name with a dot or a port, or localhost, e.g. ghcr.io'),
  });
  if (!host) return;
  const username = await vscode.window.showInputBox({ title: 'ModelGate: registry credentials (2/3)', prompt: `User name for ${host}`, ignoreFocusOut: true });
  if (!username) return;
  const password = await vscode.window.showInputBox({
    title: 'ModelGate: registry credentials (3/3)',
    prompt: `Password or access token for ${username}@${host}`,
    password: true,
    ignoreFocusOut: true,
  });
  if (!password) return;
  await storeCredentials(ctx.extension.secrets, host.trim().toLowerCase(), username, password);
  ctx.output.info(`stored credentials for ${username}@${host.trim().toLowerCase()} in the editor's secret storage`);
  void vscode.window.showInformationMessage(`ModelGate: credentials for ${host} saved in the editor's secret storage.`);
});

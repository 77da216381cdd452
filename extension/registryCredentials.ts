// Registry credentials live only in SecretStorage, one entry per registry host.
import * as vscode from 'vscode';
import { registryHost, secretKey } from './registryHost';

export async function credentialsFor(secrets: vscode.SecretStorage, target: string | undefined): Promise<{ username: string; password: string } | undefined> {
  const host = registryHost(target);
  if (!host) return undefined;
  const stored = await secrets.get(secretKey(host));
  if (!stored) return undefined;
  try {
    const c = JSON.parse(stored) as { username?: unknown; password?: unknown };
    return typeof c.username === 'string' && typeof c.password === 'string' ? { username: c.username, password: c.password } : undefined;
  } catch {
    return undefined;
  }
}

export async function storeCredentials(secrets: vscode.SecretStorage, host: string, username: string, password: string): Promise<void> {
  await secrets.store(secretKey(host), JSON.stringify({ username, password }));
}

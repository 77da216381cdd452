// Turns a target (oci://… reference or layout path) into an ArtifactStore,
// with credentials resolved the default way unless the caller injects them.
import type { ArtifactStore } from './artifactStore';
import { defaultCredentials, type CredentialsProvider, type RegistryCredentials } from './credentials';
import { LayoutStore } from './layoutStore';
import { parseReference, type Target } from './reference';
import type { RegistryClientOptions } from './registryClient';
import { RegistryStore } from './registryStore';

export interface StoreOptions {
  /** Injected credentials (the editor's SecretStorage), tried before env and Docker config. */
  credentials?: CredentialsProvider | RegistryCredentials;
  /** Plain http for a non-loopback registry (loopback hosts use http anyway). */
  plainHttp?: boolean;
  /** Resolves relative layout paths (default: process.cwd()). */
  cwd?: string;
  retry?: RegistryClientOptions['retry'];
  chunkThreshold?: number;
  chunkSize?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Cancels the registry requests (cancel from the editor). */
  signal?: AbortSignal;
}

export function credentialsProvider(c: StoreOptions['credentials']): CredentialsProvider | undefined {
  if (!c) return undefined;
  if (typeof c === 'function') return c;
  return async () => ({ source: 'the caller', ...c });
}

export function openStore(target: Target | string, opts: StoreOptions = {}): ArtifactStore {
  const t = typeof target === 'string' ? parseReference(target, { plainHttp: opts.plainHttp, cwd: opts.cwd }) : target;
  if (t.kind === 'layout') return new LayoutStore(t);
  const client: Omit<RegistryClientOptions, 'registry' | 'plainHttp'> = {
    credentials: defaultCredentials(credentialsProvider(opts.credentials)),
  };
  if (opts.retry) client.retry = opts.retry;
  if (opts.chunkThreshold !== undefined) client.chunkThreshold = opts.chunkThreshold;
  if (opts.chunkSize !== undefined) client.chunkSize = opts.chunkSize;
  if (opts.timeoutMs !== undefined) client.timeoutMs = opts.timeoutMs;
  if (opts.fetch) client.fetch = opts.fetch;
  if (opts.signal) client.signal = opts.signal;
  return new RegistryStore(opts.plainHttp ? { ...t, plainHttp: true } : t, client);
}

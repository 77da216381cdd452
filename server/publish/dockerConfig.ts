// Reads registry credentials the way the docker CLI stores them, so a user
// who ran `docker login HOST` (or configured a credential helper) needs no
// extra setup: $DOCKER_CONFIG/config.json or ~/.docker/config.json with
// `credHelpers` (per host), `credsStore` (default helper) and `auths`
// (base64 `user:password` in `auth`, or an `identitytoken`).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RegistryCredentials } from './credentials';

export interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export interface DockerCredentialOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
  /** Runs `docker-credential-<helper> get`; replaceable in tests. */
  runHelper?: (helper: string, serverUrl: string, env: NodeJS.ProcessEnv) => Promise<RegistryCredentials | undefined>;
}

/** The username docker uses when the secret is an OAuth2 refresh (identity) token. */
export const IDENTITY_TOKEN_USER = '<token>';

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env, configDir?: string): string {
  return join(configDir || env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
}

export async function readDockerConfig(path: string): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as DockerConfig) : undefined;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); fix it or run \`docker login\` again to rewrite it`, { cause: err });
  }
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://index.docker.io/v1/` → `docker.io`, `http://127.0.0.1:5000/` → `127.0.0.1:5000` */
export function normaliseRegistryKey(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, '')
    .split('/')[0]!
    .toLowerCase();
  return DOCKER_HUB.has(host) ? 'docker.io' : host;
}

function findKey<T>(map: Record<string, T> | undefined, registry: string): [string, T] | undefined {
  if (!map) return undefined;
  const want = normaliseRegistryKey(registry);
  for (const [k, v] of Object.entries(map)) if (normaliseRegistryKey(k) === want) return [k, v];
  return undefined;
}

export function decodeAuthField(auth: string): { username: string; password: string } | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}

export async function dockerCredentials(registry: string, opts: DockerCredentialOptions = {}): Promise<RegistryCredentials | undefined> {
  const env = opts.env ?? process.env;
  const path = dockerConfigPath(env, opts.configDir);
  const config = await readDockerConfig(path);
  if (!config) return undefined;
  const run = opts.runHelper ?? runCredentialHelper;
  const hubUrl = 'https://index.docker.io/v1/';
  const serverUrl = normaliseRegistryKey(registry) === 'docker.io' ? hubUrl : registry;

  const helper = findKey(config.credHelpers, registry);
  if (helper) {
    const creds = await run(helper[1], helper[0], env);
    if (creds) return creds;
  } else if (config.credsStore) {
    const creds = await run(config.credsStore, serverUrl, env);
    if (creds) return creds;
  }
  const entry = findKey(config.auths, registry);
  if (!entry) return undefined;
  const [, a] = entry;
  if (a.identitytoken) return { username: IDENTITY_TOKEN_USER, password: a.identitytoken, source: `${path} (identity token)` };
  if (a.auth) {
    const decoded = decodeAuthField(a.auth);
    if (decoded) return { ...decoded, source: path };
  }
  if (a.username && a.password !== undefined) return { username: a.username, password: a.password, source: path };
  return undefined;
}

/**
 * Runs `docker-credential-<helper> get` with the server URL on stdin. A
 * missing helper or "credentials not found" means no credentials, not an
 * error: the registry may allow anonymous access.
 */
/** How long a credential helper may take (it may wait on a keychain prompt). */
const HELPER_TIMEOUT_MS = 15_000;

export function runCredentialHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryCredentials | undefined> {
  const bin = `docker-credential-${helper}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    // Our own kill timer, cleared on every ending: spawn's `timeout` option
    // keeps its timer when the helper is not installed (no 'exit' follows
    // ENOENT), which held the process open for the whole timeout.
    const timer = setTimeout(() => child.kill(), HELPER_TIMEOUT_MS);
    timer.unref();
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') resolvePromise(undefined);
      else reject(new Error(`credential helper ${bin} failed to start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal)
        return reject(
          new Error(
            `credential helper ${bin} did not answer within ${HELPER_TIMEOUT_MS / 1000} s; check that it works with \`echo ${serverUrl} | ${bin} get\``,
          ),
        );
      if (code !== 0) {
        // the helpers' own wording for "nothing stored for this server"
        if (/not found|no credentials/i.test(out + err)) return resolvePromise(undefined);
        return reject(
          new Error(
            `credential helper ${bin} exited with code ${code}: ${(out + err).trim().split('\n')[0] ?? ''}; fix the helper or run \`docker login ${serverUrl}\``,
          ),
        );
      }
      try {
        const parsed = JSON.parse(out) as { Username?: string; Secret?: string };
        if (!parsed.Secret) return resolvePromise(undefined);
        resolvePromise({ username: parsed.Username ?? '', password: parsed.Secret, source: bin });
      } catch {
        reject(new Error(`credential helper ${bin} printed something that is not JSON; check that it works with \`echo ${serverUrl} | ${bin} get\``));
      }
    });
    child.stdin.on('error', () => {
      /* helper exited before reading stdin: reported by 'close' */
    });
    child.stdin.end(serverUrl);
  });
}

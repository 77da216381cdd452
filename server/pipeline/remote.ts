// Deploy to a remote ModelGate node (`modelgate serve --admin-token-file`):
// after publishing, ask the node's admin API to load the published reference
// and then either activate it or give it a canary share. The URL must be
// https, or http to a loopback host (the token travels in a header).
import { readFile } from 'node:fs/promises';
import type { LoadedManifest } from '../manifest/load';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export class RemoteDeployError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.remoteDeploy, message, 2);
  }
}

export interface RemoteTarget {
  url: URL;
  token: string;
  /** 1–99: a canary share; undefined (or 100): activate. */
  canaryPercent?: number;
}

export interface RemoteOutcome {
  url: string;
  reference: string;
  version: string;
  loaded: 'loaded' | 'already loaded';
  action: 'activated' | 'canary' | 'unchanged';
  weight?: number;
  /** Percent of unnamed traffic per version afterwards, as the node reports it. */
  weights: Record<string, number>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** https anywhere; http only to a loopback host. */
export function checkRemoteUrl(text: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RemoteDeployError(`${where}: "${text}" is not a URL; write e.g. https://node.example.com:8500`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || /^127\./.test(url.hostname))) return url;
  throw new RemoteDeployError(`${where}: ${text} must use https (plain http only for loopback hosts, since the admin token travels with every request)`);
}

/** The remote node to deploy to, from --remote or deploy.remote; undefined when neither is set. The token is read here, before any test runs. */
export async function resolveRemote(
  loaded: LoadedManifest,
  opts: { remote?: string; adminToken?: string; adminTokenFile?: string; env?: NodeJS.ProcessEnv },
): Promise<RemoteTarget | undefined> {
  const fromManifest = loaded.manifest.deploy?.remote;
  const text = opts.remote ?? fromManifest;
  if (!text) return undefined;
  const url = checkRemoteUrl(text, opts.remote ? '--remote' : `${loaded.path}: deploy.remote`);
  let token = opts.adminToken?.trim();
  if (!token && opts.adminTokenFile) {
    try {
      token = (await readFile(opts.adminTokenFile, 'utf8')).trim();
    } catch (err) {
      throw new RemoteDeployError(`--admin-token-file ${opts.adminTokenFile}: ${(err as Error).message}`);
    }
    if (!token) throw new RemoteDeployError(`--admin-token-file ${opts.adminTokenFile} is empty; put the node's admin token in it`);
  }
  token ||= (opts.env ?? process.env).MODELGATE_ADMIN_TOKEN?.trim();
  if (!token) throw new RemoteDeployError(`deploying to ${url.origin} needs the node's admin token: set MODELGATE_ADMIN_TOKEN or pass --admin-token-file`);
  const pct = loaded.manifest.deploy?.canaryPercent;
  if (pct !== undefined && (!(pct >= 0) || pct > 100))
    throw new RemoteDeployError(`${loaded.path}: deploy.canaryPercent ${pct} must be a percentage from 0 to 100`);
  return { url, token, ...(pct !== undefined && pct > 0 && pct < 100 ? { canaryPercent: pct } : {}) };
}

/** The parts of the node's admin API answers this client reads. */
interface AdminModel {
  name: string;
  traffic?: { weights?: Record<string, number> };
}
interface AdminBody {
  error?: string;
  models?: AdminModel[];
  model?: AdminModel;
}
interface Answer {
  status: number;
  body: AdminBody | undefined;
}

async function call(target: RemoteTarget, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = new URL(`admin${path}`, target.url.href.endsWith('/') ? target.url : `${target.url.href}/`);
  let r: Response;
  try {
    r = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${target.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new RemoteDeployError(
      `cannot reach the node at ${target.url.origin} (${cause?.code ?? cause?.message ?? (err as Error).message}); is \`modelgate serve --admin-token-file …\` running there?`,
    );
  }
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { error: text.slice(0, 300) };
  }
  if (r.status === 401)
    throw new RemoteDeployError(
      `the node at ${target.url.origin} refused the admin token (${(parsed as { error?: string }).error ?? '401'}); check MODELGATE_ADMIN_TOKEN or --admin-token-file`,
    );
  if (r.status === 404 && path === '/models')
    throw new RemoteDeployError(`the node at ${target.url.origin} has no admin API; start it with \`modelgate serve --admin-token-file FILE\``);
  return { status: r.status, body: parsed && typeof parsed === 'object' ? (parsed as AdminBody) : undefined };
}

const fail = (what: string, a: Answer) => new RemoteDeployError(`${what}: HTTP ${a.status}: ${a.body?.error ?? JSON.stringify(a.body)}`);

/** Loads `reference` (name and version of the published model) on the node, then activates it or sets the canary. */
export async function deployRemote(target: RemoteTarget, model: { name: string; version: string }, reference: string): Promise<RemoteOutcome> {
  const { name, version } = model;
  const at = `${name} ${version} on ${target.url.origin}`;
  await call(target, 'GET', '/models'); // auth and presence first, with their own messages
  const load = await call(target, 'POST', `/models/${encodeURIComponent(name)}/load`, { reference });
  let loaded: RemoteOutcome['loaded'] = 'loaded';
  if (load.status === 409 && /already served/.test(load.body?.error ?? '')) loaded = 'already loaded';
  else if (load.status !== 201) throw fail(`loading ${reference} as ${at} failed`, load);

  let action: RemoteOutcome['action'];
  let answer: Answer;
  if (target.canaryPercent !== undefined) {
    answer = await call(target, 'POST', `/models/${encodeURIComponent(name)}/canary`, { version, weight: target.canaryPercent });
    action = 'canary';
    if (answer.status === 409 && /already the stable/.test(answer.body?.error ?? '')) {
      action = 'unchanged';
      answer = await call(target, 'GET', '/models');
      answer = { status: answer.status, body: { model: answer.body?.models?.find((m) => m.name === name) } };
    } else if (answer.status !== 200) throw fail(`setting a ${target.canaryPercent}% canary for ${at} failed`, answer);
  } else {
    answer = await call(target, 'POST', `/models/${encodeURIComponent(name)}/activate`, { version });
    action = 'activated';
    if (answer.status !== 200) throw fail(`activating ${at} failed`, answer);
  }
  return {
    url: target.url.origin,
    reference,
    version,
    loaded,
    action,
    ...(action === 'canary' ? { weight: target.canaryPercent } : {}),
    weights: answer.body?.model?.traffic?.weights ?? {},
  };
}

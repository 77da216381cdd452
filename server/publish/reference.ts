// Where artifacts go and come from. Two forms:
//   oci://host[:port]/repo[:tag][@sha256:…]   an OCI distribution registry
//   path/to/layout[:tag][@sha256:…]           an OCI image layout directory
//                                             (`oci:` prefix as in skopeo accepted)
// Registries are reached over https unless the host is loopback or the
// caller asks for plain http explicitly.
import { resolve } from 'node:path';
import { isDigest } from './digest';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface RegistryTarget {
  kind: 'registry';
  /** host[:port] as written, e.g. `127.0.0.1:5000`, `[::1]:5000`, `ghcr.io` */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
  plainHttp: boolean;
}

export interface LayoutTarget {
  kind: 'layout';
  /** Absolute path of the layout directory */
  dir: string;
  tag?: string;
  digest?: string;
}

export type Target = RegistryTarget | LayoutTarget;

const REPO_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPO_RE = new RegExp(`^${REPO_COMPONENT}(?:/${REPO_COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** A model reference (oci://…, a layout path, a tag or digest) that cannot be used as written. */
export class ModelReferenceError extends ModelGateError {
  constructor(
    readonly reference: string,
    message: string,
  ) {
    super(ERROR_CODES.badReference, message);
  }
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** OCI tags cannot hold `+`; semver build metadata becomes `_` (as Helm does). */
export function versionTag(version: string): string {
  const tag = version.replace(/\+/g, '_');
  if (!isValidTag(tag))
    throw new ModelReferenceError(
      version,
      `version "${version}" cannot be an OCI tag (allowed: letters, digits, '.', '_', '-', at most 128 characters); fix metadata.version in model.yaml`,
    );
  return tag;
}

export function isLoopbackHost(hostPort: string): boolean {
  const host = hostOnly(hostPort).toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** `[::1]:5000` → `::1`, `host:5000` → `host` */
export function hostOnly(hostPort: string): string {
  if (hostPort.startsWith('[')) return hostPort.slice(1, hostPort.indexOf(']'));
  const i = hostPort.lastIndexOf(':');
  return i >= 0 ? hostPort.slice(0, i) : hostPort;
}

/** `modelgate://` is the storageUri scheme of the KServe storage initializer (kserve/storageUri.ts); it names the same artifact. */
export function isRegistryReference(ref: string): boolean {
  return /^(oci|docker|modelgate):\/\//.test(ref);
}

export function parseReference(ref: string, opts: { plainHttp?: boolean; cwd?: string } = {}): Target {
  if (isRegistryReference(ref)) return parseRegistryReference(ref, opts.plainHttp ?? false);
  return parseLayoutReference(ref, opts.cwd ?? process.cwd());
}

function splitTagDigest(ref: string, rest: string): { name: string; tag?: string; digest?: string } {
  let name = rest;
  let digest: string | undefined;
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!isDigest(digest)) throw new ModelReferenceError(ref, `"${digest}" in ${ref} is not a sha256 digest (expected @sha256:<64 hex digits>)`);
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon >= 0 && !name.slice(colon + 1).includes('/') && !name.slice(colon + 1).includes('\\')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!isValidTag(tag)) throw new ModelReferenceError(ref, `"${tag}" in ${ref} is not a valid tag (letters, digits, '.', '_', '-'; at most 128 characters)`);
  }
  return { name, tag, digest };
}

function parseRegistryReference(ref: string, plainFlag: boolean): RegistryTarget {
  const body = ref.replace(/^(oci|docker|modelgate):\/\//, '');
  const slash = body.indexOf('/');
  if (slash <= 0)
    throw new ModelReferenceError(ref, `${ref} names no repository; write oci://HOST[:PORT]/REPOSITORY, e.g. oci://127.0.0.1:5000/ml/breast-cancer`);
  const registry = body.slice(0, slash);
  if (!/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(registry)) {
    throw new ModelReferenceError(ref, `"${registry}" in ${ref} is not a registry host[:port]`);
  }
  const { name, tag, digest } = splitTagDigest(ref, body.slice(slash + 1));
  if (!REPO_RE.test(name)) {
    throw new ModelReferenceError(
      ref,
      `"${name}" in ${ref} is not a valid repository name: use lowercase letters, digits and separators ('.', '_', '-', '/'), e.g. ml/breast-cancer`,
    );
  }
  const target: RegistryTarget = { kind: 'registry', registry, repository: name, plainHttp: plainFlag || isLoopbackHost(registry) };
  if (tag !== undefined) target.tag = tag;
  if (digest !== undefined) target.digest = digest;
  return target;
}

function parseLayoutReference(ref: string, cwd: string): LayoutTarget {
  const body = ref.startsWith('oci:') ? ref.slice(4) : ref;
  if (body === '') throw new ModelReferenceError(ref, 'empty layout path; give a directory such as .modelgate/registry/breast-cancer');
  const { name, tag, digest } = splitTagDigest(ref, body);
  const target: LayoutTarget = { kind: 'layout', dir: resolve(cwd, name) };
  if (tag !== undefined) target.tag = tag;
  if (digest !== undefined) target.digest = digest;
  return target;
}

/** The reference as users write it, pointing at a tag or digest. */
export function formatReference(t: Target, at?: { tag?: string; digest?: string }): string {
  const tag = at?.tag ?? t.tag;
  const digest = at?.digest ?? t.digest;
  const base = t.kind === 'registry' ? `oci://${t.registry}/${t.repository}` : t.dir;
  return base + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

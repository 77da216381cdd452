// What `--baseline` names: a manifest on disk (model.yaml or its folder), or
// a published version — `oci://host/repo:tag` (or modelgate://),
// `host:port/repo:tag`, `oci:layout-dir:tag`, or `layout-dir:tag` when that
// directory is an OCI layout (it has an `oci-layout` file) and no file of
// that name exists.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isRegistryReference, parseReference } from '../publish/reference';

/** The reference to pull, normalised for the publish layer, or undefined when `ref` is a manifest path. */
export function publishedReference(ref: string, cwd = process.cwd()): string | undefined {
  if (isRegistryReference(ref) || ref.startsWith('oci:')) return ref;
  if (existsSync(resolve(cwd, ref))) return undefined;
  if (!isAbsolute(ref) && !ref.startsWith('.') && /^[a-z0-9.-]+(:\d+)?\/[^\s]+[:@][\w.-]+$/i.test(ref) && !/\.ya?ml$/i.test(ref)) {
    const host = ref.slice(0, ref.indexOf('/'));
    // `dir/sub:tag` where dir is a local folder is a layout, not a registry host
    if (host.includes('.') || host.includes(':') || host === 'localhost') {
      if (!existsSync(resolve(cwd, host))) return `oci://${ref}`;
    }
  }
  try {
    const t = parseReference(ref, { cwd });
    if (t.kind === 'layout' && (t.tag !== undefined || t.digest !== undefined) && existsSync(join(t.dir, 'oci-layout'))) return ref;
  } catch {
    // not a reference either: left to loadManifest, whose error names the path
  }
  return undefined;
}

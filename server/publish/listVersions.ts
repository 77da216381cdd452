// listVersions: every tag of a repository with what its manifest says
// (version, created, gate summary), newest semver first, then labels such
// as `stable` with the version they point at. Referrers fallback tags
// (`sha256-…`) are bookkeeping and not listed.
import semver from 'semver';
import type { OciImageManifest } from './artifactStore';
import { ANNOTATION } from './mediaTypes';
import { openStore, type StoreOptions } from './openStore';
import { parseReference } from './reference';

export interface VersionInfo {
  tag: string;
  digest: string;
  version?: string;
  created?: string;
  gates?: string;
  gated?: boolean;
  artifactType?: string;
  /** Other tags pointing at the same digest (labels on a version, the version for a label). */
  aliases: string[];
}

export const REFERRERS_TAG_RE = /^sha256-[a-f0-9]{64}$/;

export async function listVersions(repoRef: string, opts: StoreOptions = {}): Promise<{ location: string; versions: VersionInfo[] }> {
  const target = parseReference(repoRef, opts);
  const store = openStore({ ...target, tag: undefined, digest: undefined }, opts);
  const tags = (await store.listTags()).filter((t) => !REFERRERS_TAG_RE.test(t));
  const infos: VersionInfo[] = [];
  // a few manifests at a time: registries rate-limit bursts
  for (let i = 0; i < tags.length; i += 8) {
    const batch = await Promise.all(
      tags.slice(i, i + 8).map(async (tag) => {
        const fetched = await store.getManifest(tag);
        if (!fetched) return undefined; // deleted between list and get
        let manifest: Partial<OciImageManifest> = {};
        try {
          manifest = JSON.parse(fetched.bytes.toString('utf8')) as Partial<OciImageManifest>;
        } catch {
          /* listed with digest only */
        }
        const a = manifest.annotations ?? {};
        const info: VersionInfo = { tag, digest: fetched.digest, aliases: [] };
        if (a[ANNOTATION.version]) info.version = a[ANNOTATION.version];
        if (a[ANNOTATION.created]) info.created = a[ANNOTATION.created];
        if (a[ANNOTATION.gates]) info.gates = a[ANNOTATION.gates];
        if (a[ANNOTATION.gated]) info.gated = a[ANNOTATION.gated] === 'true';
        if (manifest.artifactType) info.artifactType = manifest.artifactType;
        return info;
      }),
    );
    for (const b of batch) if (b) infos.push(b);
  }
  for (const info of infos) info.aliases = infos.filter((o) => o !== info && o.digest === info.digest).map((o) => o.tag);
  const sv = (t: string): string | null => semver.valid(t.replace(/_/g, '+'));
  infos.sort((a, b) => {
    const va = sv(a.tag);
    const vb = sv(b.tag);
    if (va && vb) return semver.rcompare(va, vb);
    if (va) return -1;
    if (vb) return 1;
    return a.tag.localeCompare(b.tag);
  });
  return { location: store.location, versions: infos };
}

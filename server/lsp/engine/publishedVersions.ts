// The published versions of a manifest's model, for the editor's Models view:
// read from where "Publish" would put it (the same target rules), newest
// first. A layout that does not exist yet simply has no versions.
import { existsSync } from 'node:fs';
import { loadManifest } from '../../manifest/load';
import type { VersionsRequest } from '../../protocol/lsp';
import { formatReference, listVersions, resolvePublishTarget } from '../../publish';
import { projectRoot } from '../../manifest/projectRoot';

export async function publishedVersions(params: VersionsRequest.Params): Promise<VersionsRequest.Result> {
  const loaded = await loadManifest(params.manifest, { semantic: false });
  const target = resolvePublishTarget(loaded, params.target || undefined, { cwd: projectRoot(loaded.path) });
  if (target.kind === 'layout' && !existsSync(target.dir)) return { location: target.dir, versions: [] };
  const { location, versions } = await listVersions(formatReference(target), {
    cwd: projectRoot(loaded.path),
    ...(params.credentials ? { credentials: params.credentials } : {}),
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    timeoutMs: 10_000,
  });
  const sorted = [...versions].sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || b.tag.localeCompare(a.tag));
  return {
    location,
    versions: sorted.map((v) => ({
      tag: v.tag,
      digest: v.digest,
      aliases: v.aliases,
      ...(v.created ? { created: v.created } : {}),
      ...(v.gated !== undefined ? { gated: v.gated } : {}),
      ...(v.gates ? { gates: v.gates } : {}),
    })),
  };
}

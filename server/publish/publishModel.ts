// publishModel: the one call the pipeline, the CLI and the editor use to
// put a model version into a registry or an OCI layout. Blobs first, then
// the manifest under the version tag, then the extra labels (stable,
// latest). Nothing is tagged unless every blob arrived and was verified, so
// an interrupted publish leaves no tag and a re-run finishes it.
import { dirname, join, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import type { ArtifactStore } from './artifactStore';
import { gatedPublishRefusal, gateSummary, readGateReport, type GateReport } from './gateReport';
import { gitInfo } from './gitInfo';
import { OCI_MANIFEST, type ArtifactFormat } from './mediaTypes';
import { buildModelArtifact, type BuiltArtifact } from './modelArtifact';
import { PublishCancelledError } from './registryErrors';
import { openStore, type StoreOptions } from './openStore';
import { formatReference, isValidTag, parseReference, versionTag, type Target } from './reference';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';
import { projectRoot } from '../manifest/projectRoot';

export interface PublishProgress {
  suite: 'publish';
  /** hash → blob (per file) → manifest → tag (per tag) → done */
  step: 'hash' | 'blob' | 'manifest' | 'tag' | 'done';
  message: string;
  percent?: number;
  /** blob steps: layer title (or `config`), its digest and bytes */
  file?: string;
  digest?: string;
  bytes?: number;
  total?: number;
  /** blob steps: true when the store already had it */
  skipped?: boolean;
  /** blob steps: true once the blob is stored and verified */
  done?: boolean;
}

export interface PublishOptions extends StoreOptions {
  loaded: LoadedManifest;
  /** oci://host[:port]/repo, a layout directory, or undefined for deploy.oci / the default layout. */
  target: string | undefined;
  /** File paths of the report written by the test run. */
  report?: { json: string; html?: string };
  /** true: every gate passed (the report must say so); false: forced, marked ungated. */
  gated: boolean;
  /** Extra tags moved to this version, e.g. ['stable']. */
  tags?: string[];
  /** Replace an existing version tag that points at different content. */
  overwrite?: boolean;
  /** RFC 3339 creation time; default: see createdFor (never the clock, so digests are stable). */
  created?: string;
  /** Artifact format: modelpack (default) or modelgate; default deploy.format in the manifest. */
  format?: ArtifactFormat;
  /** Annotations; default from `git` in the manifest's directory. `false` disables git lookup. */
  source?: string | false;
  revision?: string | false;
  /** Cancels the publish until its manifest is written (nothing is tagged then); later it completes. */
  signal?: AbortSignal;
  /** Awaited: a hook may pause the publish (tests kill the registry here). */
  onProgress?: (e: PublishProgress) => void | Promise<void>;
}

export interface PublishResult {
  /** Reference of the version tag, e.g. oci://127.0.0.1:5000/ml/breast-cancer:1.0.0 */
  reference: string;
  digest: string;
  tags: string[];
  /** Bytes of manifest + config + layers */
  size: number;
  /** Where it went: `oci://host/repo` or the layout directory */
  location: string;
  uploaded: number;
  skipped: number;
  gates: string;
}

export class PublishError extends ModelGateError {
  constructor(message: string, exitCode: 1 | 2 | 3 = 2) {
    super(ERROR_CODES.publishRefused, message, exitCode);
  }
}

/** The default offline target: `.modelgate/registry/<name>` in the manifest's project root (see projectRoot). */
export function defaultLayoutDir(loaded: LoadedManifest): string {
  return join(projectRoot(loaded.path), '.modelgate', 'registry', loaded.manifest.metadata.name);
}

/**
 * Explicit target (a relative layout path is relative to `cwd`: the shell's
 * directory for the CLI, the project root for the editor), else the
 * manifest's deploy.oci (relative to the manifest, as every path in it), else
 * the default layout in the project root — the same in every door.
 */
export function resolvePublishTarget(loaded: LoadedManifest, target: string | undefined, opts: { cwd?: string; plainHttp?: boolean } = {}): Target {
  const oci = loaded.manifest.deploy?.oci;
  const ref = target ?? oci ?? defaultLayoutDir(loaded);
  const t = parseReference(ref, { ...opts, cwd: target !== undefined ? opts.cwd : dirname(loaded.path) });
  if (t.tag || t.digest) {
    throw new PublishError(
      `publish target ${ref} names a ${t.tag ? 'tag' : 'digest'}; give the repository only (the tag is metadata.version from ${loaded.path})`,
    );
  }
  return t;
}

async function checkReport(loaded: LoadedManifest, opts: PublishOptions): Promise<GateReport | undefined> {
  const m = loaded.manifest.metadata;
  const report = opts.report ? await readGateReport(resolve(opts.report.json)) : undefined;
  if (opts.gated) {
    const refusal = gatedPublishRefusal(report, `refusing to publish ${m.name} ${m.version} as gated`);
    if (refusal) throw new PublishError(refusal.message, refusal.exitCode);
  }
  if (report?.model) {
    if ((report.model.name && report.model.name !== m.name) || (report.model.version && report.model.version !== m.version)) {
      throw new PublishError(
        `${report.path} is the report of ${report.model.name ?? '?'} ${report.model.version ?? '?'}, not of ${m.name} ${m.version} (${loaded.path}); re-run the tests for this version`,
      );
    }
  }
  return report;
}

export async function publishModel(opts: PublishOptions): Promise<PublishResult> {
  // A cancel stops the publish until the manifest is written: it aborts a blob
  // upload in flight, or takes effect at the next step. From the manifest on
  // (one PUT that also tags) the publish completes, so a cancel never leaves
  // it unclear whether the version was tagged.
  let committing = false;
  const uploads = new AbortController();
  const onCancel = () => {
    if (!committing) uploads.abort();
  };
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  if (opts.signal?.aborted) uploads.abort();
  const progress = async (e: Omit<PublishProgress, 'suite'>): Promise<void> => {
    if (!committing && uploads.signal.aborted) throw new PublishCancelledError(e.step);
    await opts.onProgress?.({ suite: 'publish', ...e });
  };
  try {
    return await publishSteps(opts, progress, uploads.signal, () => {
      committing = true;
    });
  } finally {
    opts.signal?.removeEventListener('abort', onCancel);
  }
}

async function publishSteps(
  opts: PublishOptions,
  progress: (e: Omit<PublishProgress, 'suite'>) => Promise<void>,
  uploadSignal: AbortSignal,
  commit: () => void,
): Promise<PublishResult> {
  const { loaded } = opts;
  const m = loaded.manifest.metadata;

  const target = resolvePublishTarget(loaded, opts.target, opts);
  const tag = versionTag(m.version);
  const extraTags = [...new Set((opts.tags ?? []).filter((t) => t !== tag))];
  for (const t of extraTags) if (!isValidTag(t)) throw new PublishError(`"${t}" is not a valid tag (letters, digits, '.', '_', '-'; at most 128 characters)`);
  const report = await checkReport(loaded, opts);

  await progress({ step: 'hash', message: `hashing ${m.name} ${m.version}` });
  const vcs = opts.source === false && opts.revision === false ? {} : await gitInfo(loaded.dir);
  const artifact: BuiltArtifact = await buildModelArtifact({
    loaded,
    report: opts.report,
    gateReport: report,
    gated: opts.gated,
    created: opts.created,
    format: opts.format,
    source: opts.source === false ? undefined : (opts.source ?? vcs.source),
    revision: opts.revision === false ? undefined : (opts.revision ?? vcs.revision),
  });

  // the report must be about this very model file, not an earlier build of it
  const modelLayer = artifact.layers[0]!;
  const tested = report?.model?.artifactSha256;
  if (tested && `sha256:${tested.replace(/^sha256:/, '')}` !== modelLayer.digest) {
    throw new PublishError(
      `${report!.path} tested a model file with sha256 ${tested}, but ${modelLayer.path ?? modelLayer.title} is ${modelLayer.digest}; the model changed after testing — test it again`,
      opts.gated ? 1 : 2,
    );
  }

  const store: ArtifactStore = openStore(target, { ...opts, signal: uploadSignal });
  const existing = await store.getManifest(tag);
  if (existing && existing.digest !== artifact.digest && !opts.overwrite) {
    throw new PublishError(
      `${formatReference(target, { tag })} already holds different content (${existing.digest}, this publish would be ${artifact.digest}); bump metadata.version in ${loaded.path}, or pass --overwrite to replace it`,
    );
  }

  const blobs = [{ ...artifact.config, title: 'config' }, ...artifact.layers];
  const total = blobs.reduce((s, b) => s + b.size, 0);
  let sent = 0;
  let uploaded = 0;
  let skipped = 0;
  for (const blob of blobs) {
    const base = sent;
    await progress({
      step: 'blob',
      file: blob.title,
      digest: blob.digest,
      bytes: 0,
      total: blob.size,
      percent: pct(base, total),
      message: `uploading ${blob.title} (${blob.size} bytes)`,
    });
    const pushed = await store.pushBlob(blob, (n) => {
      void opts.onProgress?.({
        suite: 'publish',
        step: 'blob',
        file: blob.title,
        digest: blob.digest,
        bytes: n,
        total: blob.size,
        percent: pct(base + n, total),
        message: `uploading ${blob.title}`,
      });
    });
    sent += blob.size;
    if (pushed) uploaded++;
    else skipped++;
    await progress({
      step: 'blob',
      file: blob.title,
      digest: blob.digest,
      bytes: blob.size,
      total: blob.size,
      percent: pct(sent, total),
      skipped: !pushed,
      done: true,
      message: `${blob.title}: ${pushed ? 'uploaded' : 'already present'}`,
    });
  }

  commit();
  await progress({ step: 'manifest', digest: artifact.digest, message: `writing manifest ${artifact.digest}` });
  const put = await store.putManifest(artifact.manifestBytes, OCI_MANIFEST, tag);
  if (put.digest !== artifact.digest) throw new PublishError(`${store.location} stored the manifest as ${put.digest}, expected ${artifact.digest}`);
  await progress({ step: 'tag', message: `tagged ${tag}` });
  for (const t of extraTags) {
    await store.putManifest(artifact.manifestBytes, OCI_MANIFEST, t);
    await progress({ step: 'tag', message: `tagged ${t}` });
  }
  const reference = formatReference(target, { tag });
  await progress({ step: 'done', percent: 100, digest: artifact.digest, message: `published ${reference}@${artifact.digest}` });
  return {
    reference,
    digest: artifact.digest,
    tags: [tag, ...extraTags],
    size: artifact.size,
    location: store.location,
    uploaded,
    skipped,
    gates: gateSummary(report, opts.gated),
  };
}

function pct(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(99, Math.floor((done / total) * 100));
}

// Test reports made after a model was published (a nightly staleness run,
// a re-test against new data) attach to the model artifact as OCI
// referrers: an image manifest whose `subject` is the model manifest.
// Registries with the Referrers API index it themselves (they answer the
// PUT with OCI-Subject); for the others — docker-registry 2.8 and OCI
// layouts — we maintain the referrers tag schema: tag `sha256-<hex>` holds
// an index of referrer descriptors, updated read-modify-write.
import { basename, resolve } from 'node:path';
import type { ArtifactStore, OciDescriptor, OciImageManifest, OciIndex } from './artifactStore';
import { canonicalJson } from './canonicalJson';
import { digestFile, digestHex, digestOf } from './digest';
import { gateSummary, readGateReport } from './gateReport';
import { ANNOTATION, EMPTY_JSON, OCI_EMPTY, OCI_INDEX, OCI_MANIFEST, REPORT_ARTIFACT_TYPE, REPORT_HTML, REPORT_JSON } from './mediaTypes';
import { normaliseCreated } from './modelArtifact';
import { openStore, type StoreOptions } from './openStore';
import { formatReference, parseReference } from './reference';
import type { ReferrerDescriptor } from './registryClient';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface AttachResult {
  /** The report manifest, by digest */
  reference: string;
  digest: string;
  subject: string;
  /** Set when the referrers tag schema was used (no Referrers API). */
  fallbackTag?: string;
}

export class AttachError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.attach, message, 2);
  }
}

export function referrersTag(digest: string): string {
  return `sha256-${digestHex(digest)}`;
}

export async function attachReport(ref: string, report: { json: string; html?: string }, opts: StoreOptions = {}): Promise<AttachResult> {
  const target = parseReference(ref, opts);
  const at = target.digest ?? target.tag;
  if (!at) throw new AttachError(`${ref} names no version; attach to a tag or digest, e.g. ${ref}:1.0.0`);
  const store = openStore(target, opts);
  const subjectManifest = await store.getManifest(at);
  if (!subjectManifest) throw new AttachError(`${formatReference(target)} does not exist; publish the model first`);
  const subject: OciDescriptor = { mediaType: subjectManifest.mediaType, digest: subjectManifest.digest, size: subjectManifest.bytes.length };

  const gate = await readGateReport(resolve(report.json));
  const files = [{ path: resolve(report.json), mediaType: REPORT_JSON }, ...(report.html ? [{ path: resolve(report.html), mediaType: REPORT_HTML }] : [])];
  const layers: OciDescriptor[] = [];
  await store.pushBlob({ digest: digestOf(EMPTY_JSON), size: EMPTY_JSON.length, data: EMPTY_JSON });
  for (const f of files) {
    const { digest, size } = await digestFile(f.path);
    await store.pushBlob({ digest, size, path: f.path });
    layers.push({ mediaType: f.mediaType, digest, size, annotations: { [ANNOTATION.title]: basename(f.path) } });
  }
  const annotations: Record<string, string> = {
    [ANNOTATION.gates]: gateSummary(gate, gate.passed),
    [ANNOTATION.gated]: String(gate.passed),
  };
  if (gate.createdAt) annotations[ANNOTATION.created] = normaliseCreated(gate.createdAt, `${report.json}: createdAt`);
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: REPORT_ARTIFACT_TYPE,
    config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY_JSON), size: EMPTY_JSON.length },
    layers,
    subject,
    annotations,
  };
  const bytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const put = await store.putManifest(bytes, OCI_MANIFEST);
  const result: AttachResult = { reference: formatReference(target, { tag: '', digest: put.digest }), digest: put.digest, subject: subject.digest };
  if (!put.subjectProcessed) {
    result.fallbackTag = await addToReferrersTag(store, subject.digest, {
      mediaType: OCI_MANIFEST,
      digest: put.digest,
      size: bytes.length,
      artifactType: REPORT_ARTIFACT_TYPE,
      annotations,
    });
  }
  return result;
}

/** Read-modify-write of the `sha256-<hex>` index; a descriptor already listed is not added twice. */
async function addToReferrersTag(store: ArtifactStore, subjectDigest: string, desc: OciDescriptor): Promise<string> {
  const tag = referrersTag(subjectDigest);
  const current = await store.getManifest(tag);
  let index: OciIndex = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
  if (current) {
    try {
      const parsed = JSON.parse(current.bytes.toString('utf8')) as OciIndex;
      if (Array.isArray(parsed.manifests)) index = { ...parsed, manifests: parsed.manifests };
    } catch {
      // a broken fallback index is replaced rather than kept
    }
  }
  if (!index.manifests.some((m) => m.digest === desc.digest)) index.manifests.push(desc);
  await store.putManifest(Buffer.from(canonicalJson(index), 'utf8'), OCI_INDEX, tag);
  return tag;
}

/** Referrers of a manifest: the Referrers API when the store has one, else the tag schema. */
export async function listReferrers(ref: string, opts: StoreOptions & { artifactType?: string } = {}): Promise<ReferrerDescriptor[]> {
  const target = parseReference(ref, opts);
  const at = target.digest ?? target.tag;
  if (!at) throw new AttachError(`${ref} names no version; give a tag or digest`);
  const store = openStore(target, opts);
  const subject = target.digest ?? (await store.getManifest(at))?.digest;
  if (!subject) throw new AttachError(`${formatReference(target)} does not exist`);
  const viaApi = await store.referrers(subject, opts.artifactType);
  if (viaApi) return viaApi;
  const fallback = await store.getManifest(referrersTag(subject));
  if (!fallback) return [];
  const index = JSON.parse(fallback.bytes.toString('utf8')) as OciIndex;
  return (index.manifests ?? []).filter((d) => !opts.artifactType || d.artifactType === opts.artifactType) as ReferrerDescriptor[];
}

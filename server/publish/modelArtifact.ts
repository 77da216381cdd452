// Builds the OCI artifact for one model version (docs/oci-artifact.md), in
// one of two formats. ModelPack (the default): artifactType
// application/vnd.cncf.model.manifest.v1+json, a ModelPack model config, the
// ONNX file as a weight layer, model.yaml as a weight-config layer, the
// report as doc layers. ModelGate (the earlier format): artifactType
// application/vnd.modelgate.model.v1, the normalised manifest as config and
// ModelGate's own layer types. Deterministic: the same inputs give
// byte-identical JSON (sorted keys, `created` from the inputs, never from the clock).
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import type { OciDescriptor, OciImageManifest } from './artifactStore';
import { canonicalJson } from './canonicalJson';
import { digestFile, digestOf } from './digest';
import { gateSummary, type GateReport } from './gateReport';
import {
  ANNOTATION,
  DEFAULT_ARTIFACT_FORMAT,
  MODEL_ARTIFACT_TYPE,
  MODEL_CONFIG,
  MODEL_MANIFEST_YAML,
  MODEL_ONNX,
  MODELPACK,
  OCI_MANIFEST,
  REPORT_HTML,
  REPORT_JSON,
  type ArtifactFormat,
} from './mediaTypes';
import { layerAnnotations, modelPackConfig } from './modelPack';
import { readModelFacts } from '../runtime/onnxGraph';
import type { BlobSource } from './registryClient';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface ModelArtifactInput {
  loaded: LoadedManifest;
  report?: { json: string; html?: string };
  /** Parsed report.json (read once by the caller). */
  gateReport?: GateReport;
  gated: boolean;
  /** RFC 3339; default: model.trainedAt, then $SOURCE_DATE_EPOCH, else omitted. */
  created?: string;
  source?: string;
  revision?: string;
  /** modelpack (default) or modelgate; see mediaTypes.ts. */
  format?: ArtifactFormat;
}

export interface ArtifactLayer extends BlobSource {
  mediaType: string;
  title: string;
}

export interface BuiltArtifact {
  manifest: OciImageManifest;
  manifestBytes: Buffer;
  digest: string;
  config: BlobSource;
  layers: ArtifactLayer[];
  /** Bytes of manifest + config + layers */
  size: number;
}

export class ArtifactInputError extends ModelGateError {
  constructor(message: string) {
    super(ERROR_CODES.artifactInput, message, 2);
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RFC 3339 as OCI wants it; date-only or other parseable forms are normalised to UTC. */
export function normaliseCreated(value: unknown, what: string): string {
  const s = value instanceof Date ? value.toISOString() : String(value);
  if (RFC3339.test(s)) return s;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new ArtifactInputError(`${what} "${s}" is not a date-time; write it as RFC 3339, e.g. 2026-11-01T12:00:00Z`);
  return new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * The artifact's creation time. ModelGate format: --created, else
 * model.trainedAt, else $SOURCE_DATE_EPOCH. ModelPack (whose createdAt is when
 * the artifact was made): --created, else $SOURCE_DATE_EPOCH, else the time of
 * the test run whose report gates this publish, else model.trainedAt. Never
 * the clock at publish time, so the same inputs give the same digest and a
 * re-publish is recognised as the same content.
 */
export function createdFor(
  input: Pick<ModelArtifactInput, 'created' | 'loaded' | 'gateReport'>,
  env: NodeJS.ProcessEnv = process.env,
  format: ArtifactFormat = 'modelgate',
): string | undefined {
  if (input.created) return normaliseCreated(input.created, 'created');
  const epoch =
    env.SOURCE_DATE_EPOCH && /^\d+$/.test(env.SOURCE_DATE_EPOCH)
      ? new Date(Number(env.SOURCE_DATE_EPOCH) * 1000).toISOString().replace(/\.000Z$/, 'Z')
      : undefined;
  if (format === 'modelpack') {
    if (epoch) return epoch;
    if (input.gateReport?.createdAt) return normaliseCreated(input.gateReport.createdAt, `${input.gateReport.path}: createdAt`);
  }
  const trainedAt = input.loaded.manifest.model.trainedAt;
  if (trainedAt) return normaliseCreated(trainedAt, `${input.loaded.path}: model.trainedAt`);
  return epoch;
}

/**
 * The layer title of a file next to the manifest: its relative path when it
 * lives under the manifest's directory (so `artifact:` still resolves after
 * a pull), else its base name.
 */
export function layerTitle(manifestDir: string, file: string): string {
  const rel = relative(manifestDir, file);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  return basename(file);
}

async function fileLayer(path: string, mediaType: string, title: string, what: string): Promise<ArtifactLayer> {
  try {
    if (!(await stat(path)).isFile()) throw new ArtifactInputError(`${what} ${path} is not a file`);
  } catch (err) {
    if (err instanceof ArtifactInputError) throw err;
    throw new ArtifactInputError(
      `${what} ${path} cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`,
    );
  }
  const { digest, size } = await digestFile(path);
  return { digest, size, path, mediaType, title };
}

/** The artifact format a publish uses: the explicit choice, else deploy.format in the manifest, else ModelPack. */
export function artifactFormat(loaded: LoadedManifest, format?: string): ArtifactFormat {
  const f = format ?? loaded.manifest.deploy?.format ?? DEFAULT_ARTIFACT_FORMAT;
  if (f !== 'modelpack' && f !== 'modelgate') throw new ArtifactInputError(`artifact format "${f}" is not known; use modelpack (the default) or modelgate`);
  return f;
}

export async function buildModelArtifact(input: ModelArtifactInput): Promise<BuiltArtifact> {
  const { loaded } = input;
  const m = loaded.manifest;
  const format = artifactFormat(loaded, input.format);
  const pack = format === 'modelpack';
  const modelPath = resolve(loaded.dir, m.model.artifact);
  const layers: ArtifactLayer[] = [];
  layers.push(await fileLayer(modelPath, pack ? MODELPACK.weight : MODEL_ONNX, layerTitle(loaded.dir, modelPath), `${loaded.path}: model.artifact`));
  // model.yaml exactly as validated (the text loadManifest read), not re-read from disk
  const yamlBytes = Buffer.from(loaded.parsed.text, 'utf8');
  layers.push({
    digest: digestOf(yamlBytes),
    size: yamlBytes.length,
    data: yamlBytes,
    mediaType: pack ? MODELPACK.weightConfig : MODEL_MANIFEST_YAML,
    title: basename(loaded.path),
  });
  if (input.report) {
    layers.push(await fileLayer(resolve(input.report.json), pack ? MODELPACK.doc : REPORT_JSON, basename(input.report.json), 'report'));
    if (input.report.html)
      layers.push(await fileLayer(resolve(input.report.html), pack ? MODELPACK.doc : REPORT_HTML, basename(input.report.html), 'HTML report'));
  }
  const titles = new Set<string>();
  for (const l of layers) {
    if (titles.has(l.title)) throw new ArtifactInputError(`two files would be stored as "${l.title}" in the artifact; rename one of them`);
    titles.add(l.title);
  }

  const created = createdFor(input, process.env, format);
  const configBytes = Buffer.from(
    canonicalJson(
      pack
        ? modelPackConfig({
            loaded,
            created,
            source: input.source,
            revision: input.revision,
            facts: await readModelFacts(modelPath),
            diffIds: layers.map((l) => l.digest),
          })
        : m,
    ),
    'utf8',
  );
  const config: BlobSource = { digest: digestOf(configBytes), size: configBytes.length, data: configBytes };

  const annotations: Record<string, string> = {
    [ANNOTATION.title]: m.metadata.name,
    [ANNOTATION.version]: m.metadata.version,
    [ANNOTATION.model]: m.metadata.name,
    [ANNOTATION.gates]: gateSummary(input.gateReport, input.gated),
    [ANNOTATION.gated]: String(input.gated),
  };
  if (pack) {
    annotations[ANNOTATION.manifestApiVersion] = m.apiVersion;
    const g = input.gateReport;
    if (g?.gates !== undefined) {
      annotations[ANNOTATION.gatesTotal] = String(g.gates);
      annotations[ANNOTATION.gatesPassed] = String(g.passedGates ?? g.gates - (g.failed ?? 0));
    }
    const reportLayer = input.report ? layers.find((l) => l.title === basename(input.report!.json)) : undefined;
    if (reportLayer) annotations[ANNOTATION.reportDigest] = reportLayer.digest;
  }
  if (created) annotations[ANNOTATION.created] = created;
  if (m.metadata.description) annotations[ANNOTATION.description] = m.metadata.description;
  if (input.source) annotations[ANNOTATION.source] = input.source;
  if (input.revision) annotations[ANNOTATION.revision] = input.revision;

  const descriptor = (l: ArtifactLayer): OciDescriptor => ({
    mediaType: l.mediaType,
    digest: l.digest,
    size: l.size,
    annotations: pack ? layerAnnotations(l.title, l.size) : { [ANNOTATION.title]: l.title },
  });
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: pack ? MODELPACK.artifactType : MODEL_ARTIFACT_TYPE,
    config: { mediaType: pack ? MODELPACK.config : MODEL_CONFIG, digest: config.digest, size: config.size },
    layers: layers.map(descriptor),
    annotations,
  };
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const size = manifestBytes.length + config.size + layers.reduce((s, l) => s + l.size, 0);
  return { manifest, manifestBytes, digest: digestOf(manifestBytes), config, layers, size };
}

// The CNCF ModelPack parts of a published artifact: the model config
// (application/vnd.cncf.model.config.v1+json, docs/config.md of
// modelpack/model-spec), the layer annotations (docs/annotations.md), and a
// checker for both written from the spec's text, used by the tests and on
// pull. Everything here is deterministic: the same inputs give the same JSON.
import type { LoadedManifest } from '../manifest/load';
import type { ModelFacts } from '../runtime/onnxGraph';
import { MODELPACK, MODELPACK_ANNOTATION, MODELPACK_LAYER_TYPES } from './mediaTypes';

export interface ModelPackConfig {
  descriptor: {
    createdAt?: string;
    authors?: string[];
    name?: string;
    version?: string;
    title?: string;
    description?: string;
    sourceURL?: string;
    datasetsURL?: string[];
    revision?: string;
    licenses?: string[];
  };
  config: { architecture?: string; format?: string; paramSize?: string; precision?: string };
  modelfs: { type: 'layers'; diffIds: string[] };
}

const SCALES: [number, string][] = [
  [1e15, 'Q'],
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/** A parameter count in the spec's `<count><scale-prefix>` form, one decimal at most: 4,417 → "4.4K", 2,300,000 → "2.3M". */
export function paramSize(count: number): string | undefined {
  if (!(count > 0)) return undefined;
  // the smallest scale whose rounded count stays under 1000 (999,950 is 1M, not 1000K); below 1,000, a fraction of K
  for (let i = SCALES.length - 1; i >= 0; i--) {
    const [scale, prefix] = SCALES[i]!;
    const v = Math.max(0.1, Math.round((count / scale) * 10) / 10);
    if (v < 1000 || i === 0) return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}${prefix}`;
  }
  return undefined;
}

const isUri = (s: unknown): s is string => typeof s === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

/** Dataset locations of the manifest that are URIs (local paths say nothing to someone who pulls the artifact). */
export function datasetUris(loaded: LoadedManifest): string[] {
  const d = loaded.manifest.data ?? {};
  const all = [...(d.training ?? []).map((t) => t.path), ...(d.validation ?? []).map((v) => v.path), d.reference, d.current];
  return [...new Set(all.filter(isUri))];
}

export interface ModelPackInput {
  loaded: LoadedManifest;
  created?: string;
  source?: string;
  revision?: string;
  facts?: ModelFacts;
  /** Digests of the layers, in layer order (raw layers: the digest of the file itself). */
  diffIds: string[];
}

export function modelPackConfig(input: ModelPackInput): ModelPackConfig {
  const m = input.loaded.manifest;
  const descriptor: ModelPackConfig['descriptor'] = { name: m.metadata.name, version: m.metadata.version };
  if (input.created) descriptor.createdAt = input.created;
  if (m.metadata.owner) descriptor.authors = [m.metadata.owner];
  if (m.metadata.description) descriptor.description = m.metadata.description;
  if (m.metadata.license) descriptor.licenses = [m.metadata.license];
  if (input.source) descriptor.sourceURL = input.source;
  if (input.revision) descriptor.revision = input.revision;
  const datasets = datasetUris(input.loaded);
  if (datasets.length) descriptor.datasetsURL = datasets;
  const config: ModelPackConfig['config'] = { format: 'onnx' };
  if (input.facts?.architecture) config.architecture = input.facts.architecture;
  const size = input.facts ? paramSize(input.facts.parameters) : undefined;
  if (size) config.paramSize = size;
  const precision = input.facts?.precision ?? precisionOfSignature(input.loaded);
  if (precision) config.precision = precision;
  return { descriptor, config, modelfs: { type: 'layers', diffIds: input.diffIds } };
}

const DTYPE_PRECISION: Record<string, string> = { float32: 'fp32', float16: 'fp16', float64: 'fp64', int8: 'int8', uint8: 'uint8' };

/** Without weights to look at, the float type of the signature (the inputs the model computes on). */
function precisionOfSignature(loaded: LoadedManifest): string | undefined {
  const types = new Set((loaded.manifest.signature?.inputs ?? []).map((i) => DTYPE_PRECISION[i.dtype]).filter((p): p is string => !!p));
  return types.size === 1 ? [...types][0] : types.size > 1 ? 'mixed' : undefined;
}

/** The spec's file metadata of a raw layer (annotation org.cncf.model.file.metadata+json): fixed owner, mode and time, for reproducible digests. */
export function fileMetadata(name: string, size: number): string {
  return JSON.stringify({ name, mode: 0o644, uid: 0, gid: 0, size, mtime: '1970-01-01T00:00:00Z', typeflag: 48 });
}

export function layerAnnotations(filepath: string, size: number): Record<string, string> {
  return {
    'org.opencontainers.image.title': filepath,
    [MODELPACK_ANNOTATION.filepath]: filepath,
    [MODELPACK_ANNOTATION.fileMetadata]: fileMetadata(filepath, size),
    [MODELPACK_ANNOTATION.untested]: 'false',
  };
}

// ---- checks, from the spec's text -------------------------------------

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const PARAM_SIZE = /^\d+(\.\d)?[QqTtBbMmKk]$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DESCRIPTOR_KEYS = [
  'createdAt',
  'authors',
  'vendor',
  'family',
  'name',
  'version',
  'title',
  'description',
  'docURL',
  'sourceURL',
  'datasetsURL',
  'revision',
  'licenses',
];
const CONFIG_KEYS = ['architecture', 'format', 'paramSize', 'precision', 'quantization', 'capabilities'];
const CAPABILITY_KEYS = ['inputTypes', 'outputTypes', 'knowledgeCutoff', 'reasoning', 'toolUsage', 'reward', 'languages'];
const STRING_LISTS = new Set(['authors', 'licenses', 'datasetsURL']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of a model config against docs/config.md, each with its JSON path; [] when it conforms. */
export function checkModelPackConfig(value: unknown): string[] {
  const out: string[] = [];
  if (!isObject(value)) return ['the config is not a JSON object'];
  for (const k of Object.keys(value)) if (!['descriptor', 'config', 'modelfs'].includes(k)) out.push(`${k}: not a property of the model config`);
  const { descriptor, config, modelfs } = value;
  if (!isObject(descriptor)) out.push('descriptor: required, an object');
  else {
    for (const [k, v] of Object.entries(descriptor)) {
      if (!DESCRIPTOR_KEYS.includes(k)) out.push(`descriptor.${k}: not a descriptor property`);
      else if (STRING_LISTS.has(k)) {
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) out.push(`descriptor.${k}: must be an array of strings`);
      } else if (typeof v !== 'string') out.push(`descriptor.${k}: must be a string`);
    }
    if (descriptor.createdAt !== undefined && !(typeof descriptor.createdAt === 'string' && RFC3339.test(descriptor.createdAt)))
      out.push(`descriptor.createdAt: ${JSON.stringify(descriptor.createdAt)} is not an RFC 3339 date-time`);
    if (descriptor.name !== undefined && descriptor.name === '') out.push('descriptor.name: must not be empty');
  }
  if (!isObject(config)) out.push('config: required, an object');
  else {
    for (const [k, v] of Object.entries(config)) {
      if (!CONFIG_KEYS.includes(k)) out.push(`config.${k}: not a config property`);
      else if (k === 'capabilities') {
        if (!isObject(v)) out.push('config.capabilities: must be an object');
        else for (const c of Object.keys(v)) if (!CAPABILITY_KEYS.includes(c)) out.push(`config.capabilities.${c}: not a capability`);
      } else if (typeof v !== 'string') out.push(`config.${k}: must be a string`);
    }
    if (typeof config.paramSize === 'string' && !PARAM_SIZE.test(config.paramSize))
      out.push(`config.paramSize: ${JSON.stringify(config.paramSize)} is not <count><scale-prefix> (e.g. 6.7B, 100m)`);
  }
  if (!isObject(modelfs)) out.push('modelfs: required, an object');
  else {
    for (const k of Object.keys(modelfs)) if (!['type', 'diffIds'].includes(k)) out.push(`modelfs.${k}: not a modelfs property`);
    if (modelfs.type !== 'layers') out.push(`modelfs.type: must be "layers", not ${JSON.stringify(modelfs.type)}`);
    if (!Array.isArray(modelfs.diffIds) || modelfs.diffIds.length === 0) out.push('modelfs.diffIds: required, a non-empty array');
    else
      modelfs.diffIds.forEach(
        (d, i) => (typeof d === 'string' && DIGEST.test(d)) || out.push(`modelfs.diffIds[${i}]: ${JSON.stringify(d)} is not a sha256 digest`),
      );
  }
  return out;
}

interface ManifestLike {
  mediaType?: string;
  artifactType?: string;
  config?: { mediaType?: string };
  layers?: { mediaType: string; digest: string; annotations?: Record<string, string> }[];
}

/** Problems of an image manifest and its config against docs/spec.md; diffIds must be the raw layers' digests, in order. */
export function checkModelPackManifest(manifest: ManifestLike, config: unknown): string[] {
  const out: string[] = [];
  if (manifest.mediaType !== 'application/vnd.oci.image.manifest.v1+json') out.push(`mediaType: ${manifest.mediaType} is not the OCI image manifest type`);
  if (manifest.artifactType !== MODELPACK.artifactType) out.push(`artifactType: ${manifest.artifactType} is not ${MODELPACK.artifactType}`);
  if (manifest.config?.mediaType !== MODELPACK.config) out.push(`config.mediaType: ${manifest.config?.mediaType} is not ${MODELPACK.config}`);
  const layers = manifest.layers ?? [];
  layers.forEach((l, i) => {
    if (!MODELPACK_LAYER_TYPES.includes(l.mediaType)) out.push(`layers[${i}].mediaType: ${l.mediaType} is not a ModelPack layer type`);
    if (!l.annotations?.[MODELPACK_ANNOTATION.filepath]) out.push(`layers[${i}]: no ${MODELPACK_ANNOTATION.filepath} annotation`);
    const meta = l.annotations?.[MODELPACK_ANNOTATION.fileMetadata];
    if (meta !== undefined) {
      try {
        const m = JSON.parse(meta) as Record<string, unknown>;
        if (typeof m.name !== 'string' || typeof m.size !== 'number') out.push(`layers[${i}]: ${MODELPACK_ANNOTATION.fileMetadata} lacks name or size`);
      } catch {
        out.push(`layers[${i}]: ${MODELPACK_ANNOTATION.fileMetadata} is not JSON`);
      }
    }
  });
  out.push(...checkModelPackConfig(config));
  if (isObject(config) && isObject(config.modelfs) && Array.isArray(config.modelfs.diffIds)) {
    // a raw layer's DiffID is its digest (the content is not archived or compressed)
    if (layers.every((l) => l.mediaType.endsWith('.raw')) && JSON.stringify(config.modelfs.diffIds) !== JSON.stringify(layers.map((l) => l.digest)))
      out.push('modelfs.diffIds: not the digests of the raw layers, in layer order');
  }
  return out;
}

// Every media type, artifact type and annotation key ModelGate writes into
// OCI manifests. docs/oci-artifact.md describes each one; keep them in sync.

/** OCI image manifest: the only manifest kind registries such as docker-registry 2.8 accept for artifacts. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index: used for the referrers tag-schema fallback. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** Docker's manifest types, accepted when reading someone else's repository. */
export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** The OCI empty descriptor's media type (content `{}`), config of report referrers. */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

/** artifactType of a published model version. */
export const MODEL_ARTIFACT_TYPE = 'application/vnd.modelgate.model.v1';
/** Config blob: the normalised manifest (model.yaml as canonical JSON). */
export const MODEL_CONFIG = 'application/vnd.modelgate.model.config.v1+json';
/**
 * The ONNX file itself. No ONNX media type is registered with IANA (projects
 * use application/vnd.onnx, application/vnd.onnx.model or application/onnx
 * inconsistently), so we define our own rather than squat an unregistered one.
 */
export const MODEL_ONNX = 'application/vnd.modelgate.model.onnx.v1';
/** model.yaml exactly as written by the user. */
export const MODEL_MANIFEST_YAML = 'application/vnd.modelgate.manifest.v1+yaml';
/** The versioned test report (server/protocol/report.ts). */
export const REPORT_JSON = 'application/vnd.modelgate.report.v1+json';
/** The standalone HTML rendering of the same report. */
export const REPORT_HTML = 'text/html';
/** artifactType of a report attached later to a model version as a referrer. */
export const REPORT_ARTIFACT_TYPE = 'application/vnd.modelgate.report.v1';

/**
 * The CNCF ModelPack format (github.com/modelpack/model-spec, docs/spec.md,
 * docs/config.md, docs/annotations.md): what ModelGate publishes by default,
 * so KitOps, modctl, Docker's model runner and Harbor can read it.
 */
export const MODELPACK = {
  artifactType: 'application/vnd.cncf.model.manifest.v1+json',
  config: 'application/vnd.cncf.model.config.v1+json',
  /** The ONNX file, unarchived and uncompressed. */
  weight: 'application/vnd.cncf.model.weight.v1.raw',
  /** model.yaml: the configuration of the weights (how to feed them, what they answer). */
  weightConfig: 'application/vnd.cncf.model.weight.config.v1.raw',
  /** The test report, JSON and HTML. */
  doc: 'application/vnd.cncf.model.doc.v1.raw',
} as const;

/** Every layer media type the ModelPack spec defines: five kinds, each raw or a tar archive (plain, gzip, zstd). */
export const MODELPACK_LAYER_TYPES: readonly string[] = ['weight', 'weight.config', 'doc', 'code', 'dataset'].flatMap((kind) =>
  ['raw', 'tar', 'tar+gzip', 'tar+zstd'].map((form) => `application/vnd.cncf.model.${kind}.v1.${form}`),
);

/** ModelPack layer annotations (docs/annotations.md "Layer Annotation Keys"). */
export const MODELPACK_ANNOTATION = {
  filepath: 'org.cncf.model.filepath',
  fileMetadata: 'org.cncf.model.file.metadata+json',
  untested: 'org.cncf.model.file.mediatype.untested',
} as const;

export type ArtifactFormat = 'modelpack' | 'modelgate';
export const DEFAULT_ARTIFACT_FORMAT: ArtifactFormat = 'modelpack';

export const ANNOTATION = {
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version',
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  description: 'org.opencontainers.image.description',
  refName: 'org.opencontainers.image.ref.name',
  /** Gate summary: `12/12 passed`, `ungated (10/12 passed)` or `ungated`. */
  gates: 'dev.modelgate.gates',
  /** `true` only when every gate passed; `false` for a forced publish. */
  gated: 'dev.modelgate.gated',
  /** Model name from metadata.name (the repository name may differ). */
  model: 'dev.modelgate.model',
  /** Gates passed and declared, as numbers (ModelPack artifacts). */
  gatesPassed: 'dev.modelgate.gates.passed',
  gatesTotal: 'dev.modelgate.gates.total',
  /** Digest of the report.json layer the gates come from. */
  reportDigest: 'dev.modelgate.report.digest',
  /** apiVersion of the model.yaml inside (modelgate/v1). */
  manifestApiVersion: 'dev.modelgate.manifest.apiVersion',
} as const;

/** The OCI empty JSON blob `{}` (image-spec 1.1 "empty descriptor"). */
export const EMPTY_JSON = Buffer.from('{}');

/** What a layer (or a file extracted from a tar layer) is to ModelGate, whichever format published it. */
export type LayerRole = 'model' | 'manifest' | 'report' | 'other';

const MANIFEST_FILE = /(^|\/)([\w.-]+\.)?model\.ya?ml$/;

/** The layer's file name: ModelPack's org.cncf.model.filepath, else the OCI title. */
export function layerFilePath(annotations: Record<string, string> | undefined): string | undefined {
  return annotations?.[MODELPACK_ANNOTATION.filepath] || annotations?.[ANNOTATION.title] || undefined;
}

export function layerRole(mediaType: string, path: string): LayerRole {
  if (mediaType === MODEL_ONNX) return 'model';
  if (mediaType === MODEL_MANIFEST_YAML) return 'manifest';
  if (mediaType === REPORT_JSON || mediaType === REPORT_HTML) return 'report';
  const kind = /^application\/vnd\.cncf\.model\.(weight\.config|weight|doc|code|dataset)\.v1\./.exec(mediaType)?.[1];
  if (kind === 'weight' && /\.onnx$/i.test(path)) return 'model';
  if (kind === 'weight.config' && MANIFEST_FILE.test(path)) return 'manifest';
  if (kind === 'doc' && /\.(json|html)$/i.test(path)) return 'report';
  return 'other';
}

/** A ModelPack layer archived as tar (plain, gzip or zstd), which a pull extracts. */
export const isTarLayer = (mediaType: string): boolean => /^application\/vnd\.cncf\.model\.[a-z.]+\.v1\.tar(\+gzip|\+zstd)?$/.test(mediaType);

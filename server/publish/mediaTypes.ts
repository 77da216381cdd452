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
} as const;

/** The OCI empty JSON blob `{}` (image-spec 1.1 "empty descriptor"). */
export const EMPTY_JSON = Buffer.from('{}');

// Every label and annotation key ModelGate writes on Kubernetes objects,
// plus the KServe ones it sets. docs/kubernetes.md lists them; keep in sync.
// Kubernetes keys use the DNS prefix `modelgate.dev/` (the OCI annotations in
// ../mediaTypes.ts use the reverse-DNS form `dev.modelgate.*`, as OCI does).

export const KSERVE_DEPLOYMENT_MODE = 'serving.kserve.io/deploymentMode';

/**
 * Values of the deployment-mode annotation. KServe later renamed them to
 * `Knative` / `Standard` but still accepts these and maps them over; releases up to at least 0.15
 * know only these. Writing the old names works on both.
 */
export const DEPLOYMENT_MODE = { serverless: 'Serverless', raw: 'RawDeployment' } as const;
export type DeploymentModeValue = (typeof DEPLOYMENT_MODE)[keyof typeof DEPLOYMENT_MODE];

export const LABEL = {
  name: 'app.kubernetes.io/name',
  version: 'app.kubernetes.io/version',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'modelgate';

export const ANNOTATION = {
  /** The artifact reference as published (`oci://host/repo:1.2.0`), for people. */
  artifact: 'modelgate.dev/artifact',
  /** sha256 digest of the artifact manifest; the storageUri pins the same digest. */
  digest: 'modelgate.dev/artifact-digest',
  /** metadata.version exactly (the version label may have lost `+build`). */
  version: 'modelgate.dev/model-version',
  /** Gate summary copied from the artifact, e.g. `12/12 passed`. */
  gates: 'modelgate.dev/gates',
  /** `true` only when every gate passed; `false` for a forced publish. */
  gated: 'modelgate.dev/gated',
  /** The revision this one replaced: what a rollback goes back to. */
  previousArtifact: 'modelgate.dev/previous-artifact',
  previousDigest: 'modelgate.dev/previous-digest',
  previousVersion: 'modelgate.dev/previous-version',
  /** Set on an object produced by planRollback: the digest it rolled back from. */
  rolledBackFrom: 'modelgate.dev/rolled-back-from',
} as const;

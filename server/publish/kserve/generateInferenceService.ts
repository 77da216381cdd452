// A KServe InferenceService (serving.kserve.io/v1beta1) for one published,
// gated model artifact. Pure: the same manifest and artifact always give the
// same object, so --dry-run output equals what is applied.
import type { ModelManifest } from '../../manifest/types';
import { KServeError } from './kserveError';
import { ANNOTATION, DEPLOYMENT_MODE, KSERVE_DEPLOYMENT_MODE, LABEL, MANAGED_BY } from './keys';
import { DNS1123_LABEL_MAX, isDns1123Label, isInferenceServiceName, toLabelValue } from './names';
import type { InferenceService, PredictorSpec } from './objects';
import { predictorResources } from './predictorResources';
import { storageUriFor } from './storageUri';
import { predictorHostLabel, validateObject } from './validateObject';

/**
 * Triton serves ONNX on CPU and GPU from the same image, speaks the Open
 * Inference Protocol (v2) that `modelgate serve` also speaks, and reads the
 * model-repository layout our storage initializer writes. Naming it, instead
 * of letting KServe auto-select, keeps that layout contract explicit.
 */
export const DEFAULT_RUNTIME = 'kserve-tritonserver';

/** One deployed revision, as recorded in the InferenceService annotations. */
export interface Revision {
  /** Artifact reference as published, e.g. `oci://registry.example.com/ml/breast-cancer:1.2.0`. */
  reference: string;
  /** sha256 digest of the artifact manifest. */
  digest: string;
  /** metadata.version of that revision. */
  version: string;
}

export interface ArtifactInput {
  /** `oci://host[:port]/repo:tag` or `…@sha256:…`; a local layout path is refused. */
  reference: string;
  /** sha256 digest of the artifact manifest (what publish returned). */
  digest: string;
  /** Size in bytes of the ONNX layer, when known: sizes the memory request of large models. */
  modelBytes?: number;
  /** Gate summary from the artifact annotations (dev.modelgate.gates), e.g. `12/12 passed`. */
  gates?: string;
  /** dev.modelgate.gated: false for a forced, ungated publish. */
  gated?: boolean;
}

export interface InferenceServiceInput {
  manifest: ModelManifest;
  artifact: ArtifactInput;
  /** Overrides deploy.kubernetes.namespace; when neither is set the apply step uses the kubeconfig's. */
  namespace?: string;
  /** Overrides metadata.name as the InferenceService name. */
  name?: string;
  /** The revision being replaced (see previousFor); needed for a canary and for rollback. */
  previous?: Revision;
  /** Serving runtime name; `null` lets KServe auto-select one for ONNX. Default kserve-tritonserver. */
  runtime?: string | null;
}

export function generateInferenceService(input: InferenceServiceInput): InferenceService {
  const { manifest, artifact } = input;
  const model = `${manifest.metadata.name} ${manifest.metadata.version}`;
  const k8s = manifest.deploy?.kubernetes ?? {};
  const mode = k8s.mode ?? 'serverless';

  if (mode === 'raw' && k8s.canaryPercent !== undefined) {
    throw new KServeError(
      `${model}: deploy.kubernetes.canaryPercent (${k8s.canaryPercent}) is set with mode: raw, but KServe silently ignores ` +
        'canaryTrafficPercent in RawDeployment mode (kserve/kserve#5335), so the new version would take all traffic at once. ' +
        'Fix: set deploy.kubernetes.mode: serverless to split traffic, or remove canaryPercent to roll out all at once.',
      'deploy.kubernetes.canaryPercent',
      'MG125',
    );
  }

  const name = input.name ?? manifest.metadata.name;
  if (!isInferenceServiceName(name)) {
    const why = /^[0-9]/.test(name)
      ? 'KServe requires InferenceService names to start with a letter'
      : `it must be lowercase letters, digits and '-', at most ${DNS1123_LABEL_MAX} characters`;
    throw new KServeError(
      `${model}: "${name}" cannot be an InferenceService name: ${why}. Fix: rename metadata.name in model.yaml (e.g. "m-${name}") or pass another name for the deployment.`,
      'metadata.name',
    );
  }
  const namespace = input.namespace ?? k8s.namespace;
  if (namespace !== undefined) {
    if (!isDns1123Label(namespace)) {
      throw new KServeError(
        `${model}: namespace "${namespace}" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters); fix deploy.kubernetes.namespace`,
        'deploy.kubernetes.namespace',
      );
    }
    const host = predictorHostLabel(name, namespace);
    if (host.length > DNS1123_LABEL_MAX) {
      throw new KServeError(
        `${model}: KServe names the predictor host "${host}" (${host.length} characters) and fails to reconcile above ${DNS1123_LABEL_MAX} ` +
          `(kserve/kserve#4807, default domain template {name}-{namespace}). Fix: shorten metadata.name or deploy.kubernetes.namespace by ${host.length - DNS1123_LABEL_MAX} characters.`,
        'metadata.name',
      );
    }
  }

  const { storageUri } = storageUriFor(artifact.reference, artifact.digest, model);
  const { resources } = predictorResources(manifest, artifact.modelBytes);
  const instances = manifest.serving?.instances ?? 1;
  if (!Number.isInteger(instances) || instances < 1) {
    // KServe reads maxReplicas 0 as "unbounded", so 0 instances would not mean none.
    throw new KServeError(`${model}: serving.instances must be a whole number ≥ 1, not ${instances}`, 'serving.instances');
  }

  const previous = input.previous && input.previous.digest !== artifact.digest ? input.previous : undefined;
  const runtime = input.runtime === undefined ? DEFAULT_RUNTIME : input.runtime;
  // A first rollout has nothing to split with, and 100 % is a plain rollout:
  // both are written without canaryTrafficPercent.
  const canary = mode === 'serverless' && previous && k8s.canaryPercent !== undefined && k8s.canaryPercent < 100 ? k8s.canaryPercent : undefined;
  const predictor: PredictorSpec = {
    minReplicas: instances,
    maxReplicas: instances,
    ...(canary !== undefined ? { canaryTrafficPercent: canary } : {}),
    model: {
      modelFormat: { name: 'onnx' },
      ...(runtime ? { runtime } : {}),
      protocolVersion: 'v2',
      storageUri,
      resources,
    },
  };

  const annotations: Record<string, string> = {
    [KSERVE_DEPLOYMENT_MODE]: DEPLOYMENT_MODE[mode],
    [ANNOTATION.artifact]: artifact.reference,
    [ANNOTATION.digest]: artifact.digest,
    [ANNOTATION.version]: manifest.metadata.version,
  };
  if (artifact.gates !== undefined) annotations[ANNOTATION.gates] = artifact.gates;
  if (artifact.gated !== undefined) annotations[ANNOTATION.gated] = String(artifact.gated);
  if (previous) {
    annotations[ANNOTATION.previousArtifact] = previous.reference;
    annotations[ANNOTATION.previousDigest] = previous.digest;
    annotations[ANNOTATION.previousVersion] = previous.version;
  }

  const isvc: InferenceService = {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      labels: {
        [LABEL.name]: toLabelValue(manifest.metadata.name),
        [LABEL.version]: toLabelValue(manifest.metadata.version),
        [LABEL.managedBy]: MANAGED_BY,
      },
      annotations,
    },
    spec: { predictor },
  };
  const problems = validateObject(isvc);
  if (problems.length) {
    throw new KServeError(`${model}: the generated InferenceService would be rejected: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  return isvc;
}

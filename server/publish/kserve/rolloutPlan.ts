// Rollout planning on InferenceService objects, without a cluster: which
// revision to record as "previous", the object that rolls back to it, and the
// one that promotes a canary. Every result is a complete desired state for a
// server-side apply by the `modelgate` field manager, so fields it leaves out
// (canaryTrafficPercent after a rollback or promotion) are removed.
import type { InferenceService } from './objects';
import { isInferenceService } from './objects';
import type { Revision } from './generateInferenceService';
import { KServeError } from './kserveError';
import { ANNOTATION, KSERVE_DEPLOYMENT_MODE } from './keys';
import { validateObject } from './validateObject';

/** Fields the API server owns; sending them back in an apply is wrong or rejected. */
const SERVER_META = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'finalizers',
];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The revision an InferenceService serves, from the annotations generateInferenceService writes. */
export function revisionOf(isvc: InferenceService): Revision | undefined {
  const a = isvc.metadata.annotations ?? {};
  const reference = a[ANNOTATION.artifact];
  const digest = a[ANNOTATION.digest];
  const version = a[ANNOTATION.version];
  return reference && digest && version ? { reference, digest, version } : undefined;
}

/** The revision it replaced: where a rollback goes. */
export function previousRevisionOf(isvc: InferenceService): Revision | undefined {
  const a = isvc.metadata.annotations ?? {};
  const reference = a[ANNOTATION.previousArtifact];
  const digest = a[ANNOTATION.previousDigest];
  const version = a[ANNOTATION.previousVersion];
  return reference && digest && version ? { reference, digest, version } : undefined;
}

/**
 * What to pass as `previous` when deploying `digest` over `current` (the
 * object in the cluster, if any): the revision it serves now, or, when the
 * same artifact is deployed again, the older one it already records, so the
 * rollback target is not lost.
 */
export function previousFor(current: InferenceService | undefined, digest: string): Revision | undefined {
  if (!current) return undefined;
  const serving = revisionOf(current);
  if (serving && serving.digest !== digest) return serving;
  return previousRevisionOf(current);
}

/** A copy without status and server-populated metadata, ready to be applied again. */
export function stripServerFields<T extends InferenceService>(obj: T): T {
  const copy = structuredClone(obj) as T & { status?: unknown };
  delete copy.status;
  for (const k of SERVER_META) delete copy.metadata[k];
  if (copy.metadata.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED];
    if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

export interface RollbackInput {
  /** The InferenceService as it is in the cluster now. */
  current: InferenceService;
  /** The revision to go back to: the object generated for it (generateInferenceService on its manifest and artifact). */
  previous: InferenceService;
}

/**
 * The object to re-apply to go back to `previous`: its spec and labels, all
 * traffic at once (no canary: a rollback is for when the new version is
 * bad), in the current deployment mode (KServe refuses to change the mode of
 * an existing InferenceService), remembering the current revision as the
 * one to roll forward to.
 */
export function planRollback({ current, previous }: RollbackInput): InferenceService {
  if (!isInferenceService(current) || !isInferenceService(previous)) {
    throw new KServeError('rollback needs two serving.kserve.io/v1beta1 InferenceService objects (the current one and the previous revision)');
  }
  const name = current.metadata.name;
  if (previous.metadata.name !== name) {
    throw new KServeError(
      `rollback: the previous revision is for InferenceService "${previous.metadata.name}", not "${name}"; generate it from the same model's previous artifact`,
    );
  }
  const now = revisionOf(current);
  const target = revisionOf(previous);
  if (!target) {
    throw new KServeError(
      `rollback of "${name}": the previous revision carries no ${ANNOTATION.digest} annotation, so it cannot be told apart from the current one; generate it with generateInferenceService`,
    );
  }
  if (now && now.digest === target.digest) {
    throw new KServeError(`rollback of "${name}": it already serves ${target.version} (${target.digest}); nothing to roll back to`);
  }

  const out = stripServerFields(previous);
  out.metadata.name = name;
  if (current.metadata.namespace !== undefined) out.metadata.namespace = current.metadata.namespace;
  delete out.spec.predictor.canaryTrafficPercent;
  const annotations = { ...(out.metadata.annotations ?? {}) };
  const mode = current.metadata.annotations?.[KSERVE_DEPLOYMENT_MODE];
  if (mode) annotations[KSERVE_DEPLOYMENT_MODE] = mode;
  delete annotations[ANNOTATION.previousArtifact];
  delete annotations[ANNOTATION.previousDigest];
  delete annotations[ANNOTATION.previousVersion];
  if (now) {
    annotations[ANNOTATION.previousArtifact] = now.reference;
    annotations[ANNOTATION.previousDigest] = now.digest;
    annotations[ANNOTATION.previousVersion] = now.version;
    annotations[ANNOTATION.rolledBackFrom] = now.digest;
  }
  out.metadata.annotations = annotations;
  assertValid(out, `rollback of "${name}"`);
  return out;
}

/** The object that ends a canary: the same revision with all traffic (canaryTrafficPercent removed). */
export function planPromotion(current: InferenceService): InferenceService {
  const name = current.metadata.name;
  if (current.spec?.predictor?.canaryTrafficPercent === undefined) {
    throw new KServeError(`promote "${name}": it has no canary in progress (no spec.predictor.canaryTrafficPercent); nothing to promote`);
  }
  const out = stripServerFields(current);
  delete out.spec.predictor.canaryTrafficPercent;
  assertValid(out, `promotion of "${name}"`);
  return out;
}

/**
 * KServe's webhook rejects an update that changes the deployment mode; say so
 * before the cluster does, with the way out.
 */
export function checkModeChange(current: InferenceService | undefined, next: InferenceService): void {
  if (!current) return;
  const was = current.metadata.annotations?.[KSERVE_DEPLOYMENT_MODE];
  const now = next.metadata.annotations?.[KSERVE_DEPLOYMENT_MODE];
  if (was && now && was !== now) {
    throw new KServeError(
      `InferenceService "${next.metadata.name}" runs in ${was} mode and KServe cannot switch an existing one to ${now}. ` +
        `Fix: keep deploy.kubernetes.mode as it was, or delete the InferenceService first (kubectl delete isvc ${next.metadata.name}) and deploy again.`,
      'deploy.kubernetes.mode',
    );
  }
}

function assertValid(obj: InferenceService, what: string): void {
  const problems = validateObject(obj);
  if (problems.length) throw new KServeError(`${what} would be rejected: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
}

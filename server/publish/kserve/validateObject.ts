// Rules the cluster would enforce on the objects we generate, checked without
// a cluster: Kubernetes ObjectMeta and ResourceRequirements validation, and
// the KServe admission-webhook rules for the fields we set. The JSON Schemas
// in test/fixtures/kserve/ cover the structure; these are the rules a schema
// cannot say (cross-field, sizes, quantity arithmetic).
import { KSERVE_DEPLOYMENT_MODE } from './keys';
import { ANNOTATIONS_TOTAL_MAX, DNS1123_LABEL_MAX, isDns1123Label, isDns1123Subdomain, isInferenceServiceName, isLabelValue, isQualifiedName } from './names';
import type { KubeObject, ResourceRequirements } from './objects';
import { isQuantity, parseQuantity } from './quantity';

export interface ObjectProblem {
  /** Where in the object, e.g. `spec.predictor.model.resources.limits.cpu`. */
  path: string;
  message: string;
}

const CLUSTER_SCOPED = new Set(['ClusterStorageContainer', 'ClusterServingRuntime', 'Namespace']);
/** Resources Kubernetes lets a container overcommit; all others are extended resources. */
const STANDARD_RESOURCE = /^(cpu|memory|ephemeral-storage|hugepages-.+)$/;

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export function validateObject(obj: KubeObject): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  validateMeta(obj, problems);
  if (obj.kind === 'InferenceService') validateInferenceService(obj, problems);
  if (obj.kind === 'ClusterStorageContainer') validateStorageContainer(obj, problems);
  return problems;
}

function validateMeta(obj: KubeObject, out: ObjectProblem[]): void {
  const meta = obj.metadata;
  const name = typeof meta?.name === 'string' ? meta.name : '';
  if (!name) out.push({ path: 'metadata.name', message: 'metadata.name is required' });
  else if (obj.kind === 'InferenceService' && !isInferenceServiceName(name)) {
    out.push({
      path: 'metadata.name',
      message: `"${name}" is not a valid InferenceService name: KServe wants lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most ${DNS1123_LABEL_MAX} characters`,
    });
  } else if (!isDns1123Subdomain(name)) {
    out.push({ path: 'metadata.name', message: `"${name}" is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)` });
  }
  if (meta?.namespace !== undefined) {
    if (isClusterScoped(obj.kind)) out.push({ path: 'metadata.namespace', message: `${obj.kind} is cluster-scoped and takes no namespace` });
    else if (typeof meta.namespace !== 'string' || !isDns1123Label(meta.namespace)) {
      out.push({
        path: 'metadata.namespace',
        message: `"${String(meta.namespace)}" is not a valid namespace (a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters)`,
      });
    }
  }
  for (const [k, v] of Object.entries(meta?.labels ?? {})) {
    if (!isQualifiedName(k))
      out.push({
        path: `metadata.labels.${k}`,
        message: `label key "${k}" is not a qualified name ([prefix/]name, name at most 63 alphanumerics, '-', '_', '.')`,
      });
    if (typeof v !== 'string' || !isLabelValue(v))
      out.push({
        path: `metadata.labels.${k}`,
        message: `label value "${String(v)}" is not valid: at most 63 characters, alphanumerics, '-', '_', '.', alphanumeric at both ends`,
      });
  }
  let total = 0;
  for (const [k, v] of Object.entries(meta?.annotations ?? {})) {
    if (!isQualifiedName(k)) out.push({ path: `metadata.annotations.${k}`, message: `annotation key "${k}" is not a qualified name` });
    if (typeof v !== 'string') out.push({ path: `metadata.annotations.${k}`, message: 'annotation values must be strings' });
    total += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (total > ANNOTATIONS_TOTAL_MAX)
    out.push({ path: 'metadata.annotations', message: `annotations total ${total} bytes, more than the ${ANNOTATIONS_TOTAL_MAX} Kubernetes allows` });
}

export function validateResources(res: ResourceRequirements | undefined, path: string): ObjectProblem[] {
  const out: ObjectProblem[] = [];
  if (!res) return out;
  for (const part of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries(res[part] ?? {})) {
      if (!isQualifiedName(name)) out.push({ path: `${path}.${part}.${name}`, message: `"${name}" is not a valid resource name` });
      if (!isQuantity(q)) out.push({ path: `${path}.${part}.${name}`, message: `"${q}" is not a Kubernetes quantity (e.g. 500m, 2, 1.5Gi)` });
      else if (parseQuantity(q) < 0) out.push({ path: `${path}.${part}.${name}`, message: `${name} ${part} must not be negative` });
    }
  }
  for (const [name, req] of Object.entries(res.requests ?? {})) {
    const lim = res.limits?.[name];
    if (lim !== undefined && isQuantity(req) && isQuantity(lim) && parseQuantity(req) > parseQuantity(lim)) {
      out.push({ path: `${path}.requests.${name}`, message: `${name} request ${req} is above its limit ${lim}` });
    }
  }
  // Extended resources such as nvidia.com/gpu cannot be overcommitted: whole
  // numbers only, a limit is required, and a request must equal the limit.
  const names = new Set([...Object.keys(res.requests ?? {}), ...Object.keys(res.limits ?? {})]);
  for (const name of names) {
    if (STANDARD_RESOURCE.test(name)) continue;
    const req = res.requests?.[name];
    const lim = res.limits?.[name];
    if (lim === undefined) {
      out.push({ path: `${path}.limits.${name}`, message: `extended resource ${name} needs a limit` });
      continue;
    }
    if (!Number.isInteger(parseQuantity(lim)))
      out.push({ path: `${path}.limits.${name}`, message: `extended resource ${name} must be a whole number, not ${lim}` });
    if (req !== undefined && parseQuantity(req) !== parseQuantity(lim))
      out.push({ path: `${path}.requests.${name}`, message: `extended resource ${name}: request ${req} must equal limit ${lim}` });
  }
  return out;
}

/** `{name}-predictor-{namespace}`: one DNS label under KServe's default domain template. */
export function predictorHostLabel(name: string, namespace: string): string {
  return `${name}-predictor-${namespace}`;
}

function validateInferenceService(obj: KubeObject, out: ObjectProblem[]): void {
  const predictor = ((obj.spec as Record<string, unknown> | undefined)?.predictor ?? {}) as Record<string, unknown>;
  const min = predictor.minReplicas;
  const max = predictor.maxReplicas;
  if (min !== undefined && (!Number.isInteger(min) || (min as number) < 0))
    out.push({ path: 'spec.predictor.minReplicas', message: 'minReplicas must be a whole number ≥ 0' });
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 0))
    out.push({ path: 'spec.predictor.maxReplicas', message: 'maxReplicas must be a whole number ≥ 0' });
  // KServe: max 0 means "no upper bound", otherwise min may not exceed it.
  if (typeof min === 'number' && typeof max === 'number' && max !== 0 && min > max) {
    out.push({ path: 'spec.predictor.minReplicas', message: `minReplicas ${min} is greater than maxReplicas ${max}` });
  }
  const canary = predictor.canaryTrafficPercent;
  if (canary !== undefined) {
    if (!Number.isInteger(canary) || (canary as number) < 0 || (canary as number) > 100) {
      out.push({ path: 'spec.predictor.canaryTrafficPercent', message: 'canaryTrafficPercent must be a whole number from 0 to 100' });
    }
    const mode = obj.metadata.annotations?.[KSERVE_DEPLOYMENT_MODE];
    if (mode === 'RawDeployment' || mode === 'Standard') {
      out.push({
        path: 'spec.predictor.canaryTrafficPercent',
        message: `canaryTrafficPercent is silently ignored in ${mode} mode (kserve/kserve#5335): the new revision would take all traffic`,
      });
    }
  }
  const model = (predictor.model ?? {}) as Record<string, unknown>;
  out.push(...validateResources(model.resources as ResourceRequirements | undefined, 'spec.predictor.model.resources'));
  const ns = obj.metadata.namespace;
  if (typeof ns === 'string' && typeof obj.metadata.name === 'string') {
    const host = predictorHostLabel(obj.metadata.name, ns);
    if (host.length > DNS1123_LABEL_MAX) {
      out.push({
        path: 'metadata.name',
        message: `"${host}" (name-predictor-namespace) is ${host.length} characters; KServe builds the predictor host name from it and fails above ${DNS1123_LABEL_MAX} (kserve/kserve#4807)`,
      });
    }
  }
}

function validateStorageContainer(obj: KubeObject, out: ObjectProblem[]): void {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const container = (spec.container ?? {}) as Record<string, unknown>;
  // KServe finds its init container by this name; another name yields a second, duplicate init container.
  if (container.name !== 'storage-initializer')
    out.push({ path: 'spec.container.name', message: 'the container must be named storage-initializer, or KServe cannot recognise the init container' });
  // KServe merges this container over its own, whose args are [storageUri, /mnt/models]; args here would replace them.
  if (container.args !== undefined)
    out.push({
      path: 'spec.container.args',
      message: 'args must be left to KServe (it passes the storage URI and destination directory); put fixed arguments in command',
    });
  if (typeof container.image !== 'string' || container.image === '') out.push({ path: 'spec.container.image', message: 'an image is required' });
  out.push(...validateResources(container.resources as ResourceRequirements | undefined, 'spec.container.resources'));
  const formats = spec.supportedUriFormats;
  if (!Array.isArray(formats) || formats.length === 0) out.push({ path: 'spec.supportedUriFormats', message: 'at least one supported URI format is required' });
  else
    formats.forEach((f: Record<string, unknown>, i) => {
      const n = (typeof f.prefix === 'string' && f.prefix !== '' ? 1 : 0) + (typeof f.regex === 'string' && f.regex !== '' ? 1 : 0);
      if (n !== 1) out.push({ path: `spec.supportedUriFormats[${i}]`, message: 'each URI format needs exactly one of prefix or regex' });
    });
}

// Kubernetes naming rules, as k8s.io/apimachinery/pkg/util/validation states
// them. The API server enforces them on apply; checking here turns a late
// 422 from the cluster into an early message that names the manifest field.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// The name part of a label/annotation key, and a label value (when not empty).
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// KServe's webhook is stricter than DNS-1123: the first character must be a
// letter (IsvcNameFmt in pkg/apis/serving/v1beta1/inference_service_validation.go).
const ISVC_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_VALUE_MAX = 63;
/** metadata.annotations as a whole, keys plus values (TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_TOTAL_MAX = 256 * 1024;

/** Namespaces, Service names: lowercase alphanumerics and '-', at most 63. */
export function isDns1123Label(s: string): boolean {
  return s.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(s);
}

/** Most object names (e.g. cluster-scoped custom resources): dot-separated labels, at most 253. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(s);
}

/** A label or annotation key: `[prefix/]name`, prefix a DNS-1123 subdomain, name at most 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '' || !isDns1123Subdomain(prefix)) return false;
  }
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** A label value: empty, or at most 63 alphanumerics, '-', '_', '.', alphanumeric at both ends. */
export function isLabelValue(v: string): boolean {
  return v === '' || (v.length <= LABEL_VALUE_MAX && QUALIFIED_NAME.test(v));
}

/**
 * Best label value for free text (e.g. a semver with `+build`): invalid
 * characters become '_', the ends are trimmed to alphanumerics. The exact
 * text always goes into an annotation as well, since this loses information.
 */
export function toLabelValue(s: string): string {
  let v = s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, LABEL_VALUE_MAX);
  v = v.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return v;
}

/** KServe InferenceService name: a DNS-1123 label that starts with a letter. */
export function isInferenceServiceName(s: string): boolean {
  return s.length <= DNS1123_LABEL_MAX && ISVC_NAME.test(s);
}

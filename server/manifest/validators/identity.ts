// MG104: is this a ModelGate manifest at all? Checked before the schema, so
// a Kubernetes YAML or a stray list named model.yaml gets one clear message
// instead of a screen of schema errors.
import type { ManifestDiagnostic } from '../diagnostics';
import schema from '../model.schema.json';
import { report, shown, type ParsedManifest } from './types';

const API_VERSION = 'modelgate/v1';
const KIND = 'Model';
const HEADER = '`apiVersion: modelgate/v1` and `kind: Model`';
const KNOWN_KEYS = new Set(Object.keys(schema.properties));

export interface IdentityResult {
  diagnostics: ManifestDiagnostic[];
  /** True when the document is not a manifest, so no further layer should run. */
  stop: boolean;
}

export function checkIdentity(parsed: ParsedManifest): IdentityResult {
  const v = parsed.value;
  if (v === null || v === undefined) {
    return {
      stop: true,
      diagnostics: [
        report(
          parsed,
          [],
          'MG104',
          `the file is empty: a model.yaml starts with ${HEADER}, then metadata and model (run \`modelgate init model.onnx\` to write a starter manifest)`,
        ),
      ],
    };
  }
  if (typeof v !== 'object' || Array.isArray(v)) {
    const what = Array.isArray(v) ? 'a list' : typeof v === 'string' ? 'a single text' : `a single value (${shown(parsed, [], v)})`;
    return {
      stop: true,
      diagnostics: [
        report(
          parsed,
          [],
          'MG104',
          `not a ModelGate manifest: the file is ${what}, but a model.yaml is a mapping that starts with ${HEADER} (run \`modelgate init model.onnx\` to write one)`,
        ),
      ],
    };
  }
  const doc = v as Record<string, unknown>;
  const keys = Object.keys(doc);
  const out: ManifestDiagnostic[] = [];
  const hasApi = 'apiVersion' in doc;
  const hasKind = 'kind' in doc;
  const ours = keys.some((k) => KNOWN_KEYS.has(k) && k !== 'apiVersion' && k !== 'kind');
  if (!hasApi && !hasKind) {
    out.push(report(parsed, [], 'MG104', `not a ModelGate manifest: apiVersion and kind are missing; add ${HEADER} as the first two lines`));
    return { diagnostics: out, stop: !ours };
  }
  const apiOk = doc.apiVersion === API_VERSION;
  const kindOk = doc.kind === KIND;
  if (!hasApi) out.push(report(parsed, [], 'MG104', `apiVersion is missing: add \`apiVersion: ${API_VERSION}\` at the top of the file`));
  else if (!apiOk) {
    const val = doc.apiVersion;
    const why =
      typeof val === 'string' && /^modelgate\//i.test(val) && val.toLowerCase() !== API_VERSION
        ? `this ModelGate reads ${API_VERSION} manifests`
        : 'this is not a ModelGate manifest version';
    out.push(
      report(parsed, ['apiVersion'], 'MG104', `apiVersion ${shown(parsed, ['apiVersion'], val)} is not supported: ${why}; use \`apiVersion: ${API_VERSION}\``, {
        data: { suggestion: API_VERSION },
      }),
    );
  }
  if (!hasKind) out.push(report(parsed, [], 'MG104', `kind is missing: add \`kind: ${KIND}\` below apiVersion`));
  else if (!kindOk) {
    const near = typeof doc.kind === 'string' && doc.kind.toLowerCase() === 'model';
    out.push(
      report(
        parsed,
        ['kind'],
        'MG104',
        `kind ${shown(parsed, ['kind'], doc.kind)} is not a ModelGate kind: use \`kind: ${KIND}\`${near ? ' (with a capital M)' : ''}`,
        { data: { suggestion: KIND } },
      ),
    );
  }
  // A file that is someone else's resource (wrong apiVersion and kind, no
  // manifest sections) gets only this; a ModelGate manifest with a typo in
  // its header is still checked in full.
  const foreign = !apiOk && !kindOk && !ours;
  return { diagnostics: out, stop: foreign };
}

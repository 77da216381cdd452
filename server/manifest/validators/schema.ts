// The schema layer: the JSON Schema (model.schema.json) checked with ajv,
// every error translated into a located, friendly diagnostic. Synchronous and
// cheap (the schema is compiled once), so the editor can run it on every
// keystroke. Also records which paths failed, so later layers skip them.
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { ManifestDiagnostic } from '../diagnostics';
import schema from '../model.schema.json';
import { checkIdentity } from './identity';
import { pathOf, translate, type Translated } from './schemaMessages';
import { fieldName, report, type JsonPath, type ParsedManifest } from './types';

// discriminator: a step is checked against the subschema of its `op` only.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, discriminator: true });
addFormats(ajv);
ajv.addFormat('date-or-date-time', /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])([Tt ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/);
const check = ajv.compile(schema);

const MAX_TRANSLATED = 300;

export interface SchemaResult {
  diagnostics: ManifestDiagnostic[];
  /** Paths with a schema error; nothing at, above or below them is trusted. */
  invalid: JsonPath[];
  /** The document is not a manifest at all; no later layer should run. */
  stop: boolean;
}

export function checkSchema(parsed: ParsedManifest): SchemaResult {
  const identity = checkIdentity(parsed);
  if (identity.stop) return { diagnostics: identity.diagnostics, invalid: [[]], stop: true };
  const diagnostics = [...identity.diagnostics];
  const invalid: JsonPath[] = [];
  if (check(parsed.value)) return { diagnostics, invalid, stop: false };
  const errors = (check.errors ?? []).filter((e) => !isIdentityError(e) && !isMissingTag(e));
  // Thousands of errors (a file of unknown keys) would cost seconds to
  // locate one by one; past the first few hundred, only their paths matter.
  for (const e of errors.slice(MAX_TRANSLATED)) if (e.keyword !== 'additionalProperties') invalid.push(pathOf(e.instancePath));
  for (const t of translateAll(parsed, errors.slice(0, MAX_TRANSLATED))) {
    diagnostics.push(report(parsed, t.path, t.code, t.message, { prefer: t.prefer, data: t.data }));
    // An unknown key is only a warning: the rest of its mapping is still fine.
    if (t.code === 'MG110') continue;
    invalid.push(t.code === 'MG107' && typeof t.data?.missing === 'string' ? [...t.path, t.data.missing] : t.path);
  }
  return { diagnostics, invalid, stop: false };
}

// apiVersion and kind are reported by checkIdentity with a better message.
function isIdentityError(e: ErrorObject): boolean {
  if (e.instancePath === '/apiVersion' || e.instancePath === '/kind') return true;
  return e.instancePath === '' && e.keyword === 'required' && (e.params.missingProperty === 'apiVersion' || e.params.missingProperty === 'kind');
}

// A step without `op` is reported once, by `required`.
function isMissingTag(e: ErrorObject): boolean {
  return e.keyword === 'discriminator' && e.params.tagValue === undefined;
}

/**
 * ajv reports an `anyOf` as one error per failed branch plus a summary. We
 * keep one message: the branch whose type fits the value (its real
 * problem), or else a single "must be X or Y".
 */
function translateAll(parsed: ParsedManifest, errors: ErrorObject[]): Translated[] {
  const groups = errors.filter((e) => e.keyword === 'anyOf');
  const inGroup = (e: ErrorObject): ErrorObject | undefined =>
    groups.find(
      (g) => g !== e && e.schemaPath.startsWith(g.schemaPath + '/') && (e.instancePath === g.instancePath || e.instancePath.startsWith(g.instancePath + '/')),
    );
  const out: Translated[] = [];
  for (const e of errors) {
    if (inGroup(e)) continue;
    if (e.keyword !== 'anyOf') {
      out.push(translate(parsed, e));
      continue;
    }
    const branches = new Map<string, ErrorObject[]>();
    for (const b of errors) {
      if (inGroup(b) !== e) continue;
      const idx = b.schemaPath.slice(e.schemaPath.length + 1).split('/')[0] ?? '';
      branches.set(idx, [...(branches.get(idx) ?? []), b]);
    }
    out.push(...translateAnyOf(parsed, e, branches));
  }
  return out;
}

function translateAnyOf(parsed: ParsedManifest, e: ErrorObject, branches: Map<string, ErrorObject[]>): Translated[] {
  const path = pathOf(e.instancePath);
  const field = fieldName(path);
  const all = [...branches.values()];
  // Every branch only lacks a key: a gate with neither min nor max.
  if (all.length > 0 && all.every((errs) => errs.every((b) => b.keyword === 'required' && b.instancePath === e.instancePath))) {
    const keys = all.flat().map((b) => String(b.params.missingProperty));
    return [
      {
        code: 'MG107',
        path,
        message: `${field} needs ${keys.map((k) => `"${k}"`).join(' or ')}: add ${keys.join(' and/or ')} with the threshold the gate checks`,
        prefer: 'key',
      },
    ];
  }
  const typeFits = all.find((errs) => !errs.some((b) => b.keyword === 'type' && b.instancePath === e.instancePath));
  const isShapeDim = path.length >= 2 && path[path.length - 2] === 'shape' && path[0] === 'signature';
  if (isShapeDim) {
    const v = e.data;
    return [
      {
        code: typeof v === 'string' ? 'MG109' : typeof v === 'number' ? 'MG108' : 'MG105',
        path,
        message: `${field} ${JSON.stringify(v) ?? 'empty'} is not a dimension: use a positive size (e.g. 30), -1, or a name such as batch for a dynamic axis`,
      },
    ];
  }
  if (typeFits) return typeFits.map((b) => translate(parsed, b));
  const types = [
    ...new Set(
      all
        .flat()
        .filter((b) => b.keyword === 'type')
        .flatMap((b) => String(b.params.type).split(',')),
    ),
  ];
  const names: Record<string, string> = {
    number: 'a number',
    integer: 'a whole number',
    string: 'a text',
    array: 'a list',
    object: 'a mapping',
    boolean: 'true or false',
  };
  return [
    {
      code: 'MG105',
      path,
      message: `${field} must be ${types.map((t) => names[t] ?? t).join(' or ')}, but it is ${describe(e.data)}: write e.g. ${types.includes('array') ? '0 or [0, 1, 2]' : '0'}`,
    },
  ];
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'string' ? 'the text' : 'the value'} ${JSON.stringify(v)}`;
}

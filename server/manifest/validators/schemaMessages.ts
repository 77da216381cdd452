// Turns one ajv error into a message for a data scientist: what is wrong with
// which field, the value as written, and how to fix it. Raw ajv wording
// ("must match pattern …") never reaches the user.
import type { ErrorObject } from 'ajv';
import type { DiagnosticCode } from '../codes';
import { suggestDuration } from '../durations';
import { toDateTime, toDnsName, toSemver } from '../names';
import { closest } from '../suggest';
import { fieldName, shown, type JsonPath, type ParsedManifest } from './types';

export interface Translated {
  code: DiagnosticCode;
  path: JsonPath;
  message: string;
  prefer?: 'key' | 'value';
  data?: Record<string, unknown>;
}

type SchemaNode = Record<string, unknown>;

const TYPE_NAMES: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  array: 'a list',
  object: 'a mapping (indented `key: value` lines)',
  boolean: 'true or false',
  null: 'empty',
};

const EXAMPLES: Record<string, string> = {
  apiVersion: 'modelgate/v1',
  kind: 'Model',
  name: 'my-model',
  version: '1.0.0',
  artifact: 'model.onnx',
  task: 'classification',
  dtype: 'float32',
  shape: '[batch, 30]',
  path: 'data/train.csv',
  start: '2026-01-01',
  end: '2026-10-31',
  metric: 'accuracy',
  op: 'standardize',
  column: 'age',
};

const DURATION_SOURCE = '^[1-9][0-9]*(ms|s|m|h|d|w)$';

/** First sentence of a schema description, for context in messages. */
export function about(node: unknown): string {
  const d = node && typeof node === 'object' ? (node as SchemaNode).description : undefined;
  if (typeof d !== 'string') return '';
  // A sentence ends at a full stop before a capital or the end ("e.g. 1" does not end one).
  const m = /^(.+?[.!?])(\s+[A-Z`]|\s*$)/.exec(d);
  return (m ? m[1]! : d).replace(/`/g, '');
}

/** `/signature/inputs/0` → ['signature','inputs',0] */
export function pathOf(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
}

/** The same path with list indices as `[]`, to look up hints per field. */
function pattern(path: JsonPath): string {
  return path
    .map((s) => (typeof s === 'number' ? '[]' : s))
    .join('.')
    .replace(/\.\[\]/g, '[]');
}

function describeValue(parsed: ParsedManifest, path: JsonPath, v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `the number ${shown(parsed, path, v)}`;
  if (typeof v === 'boolean') return shown(parsed, path, v);
  return `the text ${shown(parsed, path, v)}`;
}

function expectedTypes(t: unknown): string[] {
  return (Array.isArray(t) ? t : String(t).split(',')).map(String);
}

function typeMessage(parsed: ParsedManifest, path: JsonPath, e: ErrorObject, parent: SchemaNode): Translated {
  const field = fieldName(path);
  const types = expectedTypes(e.params.type);
  const v = e.data;
  const key = String(path[path.length - 1] ?? '');
  const ctx = about(parent);
  if (v === null) {
    return { code: 'MG105', path, message: `${field} is empty: give it ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}${ctx ? ` (${ctx})` : ''}` };
  }
  const want = types.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
  let fix: string;
  let data: Record<string, unknown> | undefined;
  const src = shown(parsed, path, v);
  if (types.includes('string') && (typeof v === 'number' || typeof v === 'boolean')) {
    const better = key === 'version' ? (toSemver(src) ?? src) : src;
    fix = key === 'version' && better !== src ? `quote it and use MAJOR.MINOR.PATCH, e.g. "${better}"` : `quote it: ${key}: "${src}"`;
    data = { suggestion: better };
  } else if (types.includes('array')) {
    fix =
      typeof v === 'string' || typeof v === 'number'
        ? `write a list, e.g. ${key}: [${src}], or one \`- item\` per line`
        : 'write a list: `[a, b]` or one `- item` per line';
  } else if (types.includes('object')) {
    const req = Array.isArray(parent.required) ? (parent.required as string[]) : [];
    fix = `put its fields on indented lines below \`${key}:\`${req.length ? ` (it needs ${req.join(', ')})` : ''}`;
  } else if ((types.includes('number') || types.includes('integer')) && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    fix = `remove the quotes: ${key}: ${v.trim()}`;
    data = { suggestion: Number(v) };
  } else if (types.includes('integer') && typeof v === 'number') {
    fix = `use a whole number, e.g. ${Math.max(1, Math.round(v))}`;
    data = { suggestion: Math.max(1, Math.round(v)) };
  } else if (types.includes('boolean')) {
    fix = 'use true or false';
  } else {
    fix = ctx ? `write ${want} — ${ctx}` : `write ${want}`;
  }
  return { code: 'MG105', path, message: `${field} must be ${want}, but it is ${describeValue(parsed, path, v)}: ${fix}`, data };
}

function rangeText(node: SchemaNode): string {
  const lo =
    typeof node.minimum === 'number'
      ? { v: node.minimum, strict: false }
      : typeof node.exclusiveMinimum === 'number'
        ? { v: node.exclusiveMinimum, strict: true }
        : undefined;
  const hi =
    typeof node.maximum === 'number'
      ? { v: node.maximum, strict: false }
      : typeof node.exclusiveMaximum === 'number'
        ? { v: node.exclusiveMaximum, strict: true }
        : undefined;
  if (lo && hi) return `use a value ${lo.strict ? 'above' : 'from'} ${lo.v} ${hi.strict ? 'and below' : 'to'} ${hi.v}`;
  if (lo) return lo.strict ? `use a value above ${lo.v}` : `use ${lo.v} or more`;
  if (hi) return hi.strict ? `use a value below ${hi.v}` : `use ${hi.v} or less`;
  return 'use a value inside the allowed range';
}

function formatMessage(parsed: ParsedManifest, path: JsonPath, e: ErrorObject, node: SchemaNode): Translated {
  const field = fieldName(path);
  const v = typeof e.data === 'string' ? e.data : String(e.data);
  const val = shown(parsed, path, e.data);
  const p = pattern(path);
  const hint = (what: string, how: string, suggestion?: string): Translated => ({
    code: 'MG109',
    path,
    message: `${field} ${val} ${what}: ${how}${suggestion ? `, e.g. "${suggestion}"` : ''}`,
    data: suggestion ? { suggestion } : undefined,
  });
  if (e.keyword === 'format' && e.params.format === 'date-time') {
    return hint('is not an ISO 8601 date-time with a time zone', 'write date, time and zone', toDateTime(v) ?? '2026-11-01T12:00:00Z');
  }
  if (e.keyword === 'format' && e.params.format === 'date-or-date-time') {
    return hint('is not an ISO 8601 date', 'write YYYY-MM-DD or a date-time with a zone', /^\d{4}-\d{2}-\d{2}/.test(v) ? undefined : '2026-10-31');
  }
  if (p === 'metadata.name' || p === 'deploy.kubernetes.namespace') {
    return hint('is not a DNS-safe name', 'use lowercase letters, digits and "-", starting and ending with a letter or digit', toDnsName(v) ?? 'my-model');
  }
  if (p === 'metadata.version') {
    return hint('is not a semantic version', 'use MAJOR.MINOR.PATCH', toSemver(v) ?? '1.0.0');
  }
  if (node.pattern === DURATION_SOURCE) {
    const negative = /^\s*-/.test(v);
    return hint(
      negative ? 'is negative' : 'is not a duration',
      `${negative ? 'durations are positive: ' : ''}use a whole number followed by ms, s, m, h, d or w`,
      suggestDuration(v) ?? '90d',
    );
  }
  if (p === 'serving.labels[]') {
    return hint('is not a valid label', 'use lowercase letters, digits and "-", starting with a letter', toDnsName(v)?.replace(/^[0-9-]+/, '') || 'stable');
  }
  if (p === 'deploy.oci') {
    return hint(
      'is not an OCI reference',
      'use oci://host[:port]/repository, or a local directory path without spaces',
      'oci://registry.example.com/ml/my-model',
    );
  }
  if (p === 'deploy.remote') {
    return hint(
      'is not an http(s) URL',
      'start it with http:// or https://',
      /^[\w.-]+(:\d+)?(\/.*)?$/.test(v) ? `https://${v}` : 'https://node-1.example.com:8500',
    );
  }
  const ctx = about(node);
  return { code: 'MG109', path, message: `${field} ${val} does not have the expected format${ctx ? `: ${ctx}` : ''}` };
}

/** Translates one ajv error (anyOf groups are handled by the caller). */
export function translate(parsed: ParsedManifest, e: ErrorObject): Translated {
  const path = pathOf(e.instancePath);
  const field = fieldName(path);
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const key = String(path[path.length - 1] ?? '');
  switch (e.keyword) {
    case 'type':
      return typeMessage(parsed, path, e, node);
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      const val = shown(parsed, path, e.data);
      return {
        code: 'MG106',
        path,
        message: near
          ? `${field} ${val} is not allowed: did you mean "${near}"? (allowed: ${allowed.join(', ')})`
          : `${field} ${val} is not allowed: use one of ${allowed.join(', ')}`,
        data: { allowed, ...(near ? { suggestion: near } : {}) },
      };
    }
    case 'const':
      return {
        code: 'MG106',
        path,
        message: `${field} ${shown(parsed, path, e.data)} is not allowed: use ${String(e.params.allowedValue)}`,
        data: { suggestion: e.params.allowedValue },
      };
    case 'discriminator':
      return discriminatorMessage(parsed, path, e, node);
    case 'required': {
      const prop = String(e.params.missingProperty);
      const op = opOf(node);
      if (op !== undefined && prop !== 'op') return stepParamMessage(path, op, prop, node);
      const childSchema = ((node.properties ?? {}) as Record<string, SchemaNode>)[prop];
      const kind = childSchema?.type === 'object' ? 'section' : childSchema?.type === 'array' ? 'list' : 'field';
      const example = EXAMPLES[prop];
      const present = e.data && typeof e.data === 'object' ? Object.keys(e.data as object) : [];
      const allowed = new Set(Object.keys(node.properties ?? {}));
      const typo = closest(
        prop,
        present.filter((k) => !allowed.has(k)),
      );
      const ctx = about(childSchema);
      const where = path.length === 0 ? 'the manifest' : field;
      let message = `${where} needs "${prop}": add the ${prop} ${kind}${example ? ` (e.g. \`${prop}: ${example}\`)` : ''}${ctx ? ` — ${ctx}` : ''}`;
      if (typo) message += `; "${typo}" here looks like a misspelling of it`;
      return { code: 'MG107', path, message, prefer: 'key', data: { missing: prop } };
    }
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const allowed = Object.keys(node.properties ?? {});
      const near = closest(extra, allowed);
      const where = path.length === 0 ? 'at the top level' : `in ${field}`;
      const op = opOf(node);
      const message = near
        ? `unknown key "${extra}" ${where}: did you mean "${near}"? It is ignored as written`
        : op !== undefined
          ? `unknown key "${extra}" ${where}: op ${op} takes ${allowed.join(', ')}, so it is ignored; remove it, or change op`
          : `unknown key "${extra}" ${where}: it is ignored; remove it or use one of ${allowed.join(', ')}`;
      return { code: 'MG110', path: [...path, extra], message, prefer: 'key', data: near ? { suggestion: near, key: extra } : { key: extra } };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const low = e.keyword === 'minimum' || e.keyword === 'exclusiveMinimum';
      const ctx = about(node);
      return {
        code: 'MG108',
        path,
        message: `${field} ${shown(parsed, path, e.data)} is too ${low ? 'small' : 'large'}: ${rangeText(node)}${ctx ? ` — ${ctx}` : ''}`,
      };
    }
    case 'minItems':
    case 'maxItems': {
      const n = Array.isArray(e.data) ? e.data.length : 0;
      const limit = Number(e.params.limit);
      const ctx = about(node);
      const need = e.keyword === 'minItems' ? `at least ${limit}` : `at most ${limit}`;
      return { code: 'MG108', path, message: `${field} has ${n} item${n === 1 ? '' : 's'} but needs ${need}${ctx ? ` — ${ctx}` : ''}` };
    }
    case 'minLength':
      return { code: 'MG108', path, message: `${field} is an empty text: give it a value${about(node) ? ` — ${about(node)}` : ''}` };
    case 'maxLength': {
      const len = typeof e.data === 'string' ? e.data.length : 0;
      const limit = Number(e.params.limit);
      const suggestion = key === 'name' && typeof e.data === 'string' ? toDnsName(e.data) : undefined;
      return {
        code: 'MG108',
        path,
        message: `${field} is ${len} characters long: use at most ${limit}${suggestion ? `, e.g. "${suggestion}"` : ''}`,
        data: suggestion ? { suggestion } : undefined,
      };
    }
    case 'uniqueItems': {
      const later = Math.max(Number(e.params.i), Number(e.params.j));
      const earlier = Math.min(Number(e.params.i), Number(e.params.j));
      const item = Array.isArray(e.data) ? e.data[later] : undefined;
      return {
        code: 'MG111',
        path: [...path, later],
        message: `${field} lists ${shown(parsed, [...path, later], item)} twice (items ${earlier + 1} and ${later + 1}): remove one`,
      };
    }
    case 'pattern':
    case 'format':
      return formatMessage(parsed, path, e, node);
    default: {
      const ctx = about(node);
      return { code: 'MG105', path, message: `${field} ${shown(parsed, path, e.data)} is not a valid value${ctx ? `: ${ctx}` : ''}` };
    }
  }
}

/** The `op` a step subschema stands for (its discriminator value), if `node` is one. */
function opOf(node: SchemaNode): string | undefined {
  const op = ((node.properties ?? {}) as Record<string, SchemaNode>).op;
  return op && typeof op.const === 'string' ? op.const : undefined;
}

/** A step lacks a field its op requires: what the field is and an example, both from the schema. */
function stepParamMessage(path: JsonPath, op: string, prop: string, node: SchemaNode): Translated {
  const child = ((node.properties ?? {}) as Record<string, SchemaNode>)[prop];
  const examples = Array.isArray(child?.examples) ? child.examples : [];
  const example = examples.length ? `, e.g. ${prop}: ${inline(examples[0])}` : '';
  const what = about(child).replace(/\.$/, '');
  return {
    code: 'MG133',
    path,
    prefer: 'key',
    data: { missing: prop },
    message: `${fieldName(path)} (op: ${op}) needs "${prop}": add it${what ? ` — ${what.charAt(0).toLowerCase()}${what.slice(1)}` : ''}${example}`,
  };
}

function inline(v: unknown): string {
  return Array.isArray(v) ? `[${v.map(inline).join(', ')}]` : String(v);
}

/** A step whose `op` names no subschema: the ops there are, from the schema's branches. */
function discriminatorMessage(parsed: ParsedManifest, path: JsonPath, e: ErrorObject, node: SchemaNode): Translated {
  const at = [...path, String(e.params.tag)];
  const ops = ((node.oneOf ?? []) as SchemaNode[]).map(opOf).filter((o): o is string => o !== undefined);
  const v = e.params.tagValue;
  if (typeof v !== 'string') {
    return {
      code: 'MG105',
      path: at,
      message: `${fieldName(at)} must be a text naming the step, but it is ${describeValue(parsed, at, v)}: use one of ${ops.join(', ')}`,
    };
  }
  const near = closest(v, ops);
  return {
    code: 'MG106',
    path: at,
    message: near
      ? `${fieldName(at)} ${shown(parsed, at, v)} is not allowed: did you mean "${near}"? (allowed: ${ops.join(', ')})`
      : `${fieldName(at)} ${shown(parsed, at, v)} is not allowed: use one of ${ops.join(', ')}`,
    data: { allowed: ops, ...(near ? { suggestion: near } : {}) },
  };
}

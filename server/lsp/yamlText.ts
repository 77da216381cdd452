// Writes small pieces of manifest YAML: scalars that need quoting, and a new
// `key: value` entry with its required children, either as an editor snippet
// (completion, with tab stops) or as plain text (quick fixes).
import { childSchema, enumValues, isArraySchema, isObjectSchema, propertiesOf, requiredOf, typesOf, type SchemaNode } from './schemaNav';

export type TextMode = 'snippet' | 'plain';

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|-?\.inf|\.nan)$/i;
const NUMBER_LIKE = /^[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^0x[0-9a-f]+$|^0o[0-7]+$/i;

/** A string as YAML writes it: plain when that reads back as the same string. */
export function yamlString(s: string, flow = false): string {
  const unsafe = flow ? /[,[\]{}#&*!|>'"%@`]|: |\s#|^[-?:]\s|^\s|\s$/ : /[#&*!|>'"%@`{}[\]]|: |\s#|^[-?:,]\s|^\s|\s$/;
  if (s === '' || RESERVED.test(s) || NUMBER_LIKE.test(s) || unsafe.test(s) || /^[-?:,[\]{}]/.test(s) || s.includes('\n')) return JSON.stringify(s);
  return s;
}

/** A JSON value as inline YAML (flow style for arrays and objects). */
export function yamlInline(v: unknown, flow = false): string {
  if (typeof v === 'string') return yamlString(v, flow);
  if (Array.isArray(v)) return `[${v.map((x) => yamlInline(x, true)).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${yamlString(k, true)}: ${yamlInline(x, true)}`)
      .join(', ')}}`;
  return String(v);
}

export function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => '\\' + c);
}

function choice(values: string[], stops: { n: number }): string {
  const escaped = values.map((v) => v.replace(/[\\$}|,]/g, (c) => '\\' + c));
  return `\${${++stops.n}|${escaped.join(',')}|}`;
}

/** The value part of a scalar entry. */
function scalarValue(s: SchemaNode, mode: TextMode, stops: { n: number }): string {
  const values = enumValues(s);
  if (s.const !== undefined) return yamlInline(s.const);
  const types = typesOf(s);
  if (mode === 'plain') {
    if (s.default !== undefined) return yamlInline(s.default);
    if (values.length) return yamlString(values[0]!);
    if (types.includes('boolean')) return 'false';
    if (types.includes('integer') || types.includes('number')) return String(s.minimum ?? (s.exclusiveMinimum !== undefined ? 1 : 0));
    return '""';
  }
  if (values.length > 1)
    return choice(
      values.map((v) => yamlString(v)),
      stops,
    );
  if (types.length === 1 && types[0] === 'boolean') return choice(['true', 'false'], stops);
  return `$${++stops.n}`;
}

/** Lines of the required entries of an object, relative to the object's indentation. */
function requiredLines(s: SchemaNode, mode: TextMode, stops: { n: number }, depth: number): string[] {
  const props = propertiesOf(s);
  return requiredOf(s).flatMap((r) => entryLines(r, props[r], mode, stops, depth + 1));
}

/**
 * `key: value` and the required children under it, as lines relative to the
 * key's column. Objects and lists of objects come with their required fields.
 */
export function entryLines(key: string, s: SchemaNode | undefined, mode: TextMode, stops = { n: 0 }, depth = 0): string[] {
  const k = yamlString(key);
  const hole = (): string => (mode === 'snippet' ? `$${++stops.n}` : '""');
  if (!s) return [`${k}: ${hole()}`];
  if (isObjectSchema(s) && !isArraySchema(s)) {
    const inner = depth < 3 ? requiredLines(s, mode, stops, depth) : [];
    if (inner.length) return [`${k}:`, ...inner.map((l) => '  ' + l)];
    return mode === 'snippet' ? [`${k}:`, `  $${++stops.n}`] : [`${k}: {}`];
  }
  if (isArraySchema(s) && !typesOf(s).some((t) => t !== 'array')) {
    const item = childSchema(s, 0);
    if (item && isObjectSchema(item) && requiredOf(item).length && depth < 3) {
      const inner = requiredLines(item, mode, stops, depth);
      return [`${k}:`, ...inner.map((l, i) => (i === 0 ? '  - ' : '    ') + l)];
    }
    return [`${k}: [${mode === 'snippet' ? `$${++stops.n}` : ''}]`];
  }
  return [`${k}: ${scalarValue(s, mode, stops)}`];
}

/** Joins entry lines for insertion at `column`: the first line goes where the cursor is. */
export function indentLines(lines: string[], column: number): string {
  const pad = ' '.repeat(column);
  return lines.map((l, i) => (i === 0 ? l : pad + l)).join('\n');
}

// Walks the manifest JSON Schema by path. Completion, hover and the quick
// fixes all read field names, descriptions, enums and defaults from here:
// the schema is the single source of truth.
import schemaJson from '../manifest/model.schema.json';
import type { JsonPath } from '../manifest/parse';

export interface SchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  /** One subschema per value of `discriminator.propertyName` (the pre/postprocessing steps, told apart by `op`). */
  oneOf?: SchemaNode[];
  discriminator?: { propertyName: string };
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  format?: string;
  pattern?: string;
}

export const rootSchema = schemaJson as unknown as SchemaNode;

const views = new WeakMap<SchemaNode, SchemaNode>();

/**
 * A discriminated node seen as one object: every branch's fields, and the
 * tag as an enum of the branch values whose description documents each
 * ("`standardize`: …; `minmax`: …"), so completion and hover treat `op`
 * like any other enum.
 */
function merged(s: SchemaNode): SchemaNode {
  let view = views.get(s);
  if (view) return view;
  const tag = s.discriminator!.propertyName;
  const values: unknown[] = [];
  const docs: string[] = [];
  const properties: Record<string, SchemaNode> = {};
  for (const b of s.oneOf ?? []) {
    for (const [k, v] of Object.entries(b.properties ?? {})) {
      if (k !== tag) properties[k] ??= v;
      else if (v.const !== undefined) {
        values.push(v.const);
        if (v.description) docs.push(v.description.replace(/\.$/, ''));
      }
    }
  }
  view = {
    type: 'object',
    description: s.description,
    required: s.required,
    properties: { [tag]: { type: 'string', enum: values, description: docs.join('; ') }, ...properties },
  };
  views.set(s, view);
  return view;
}

/**
 * The branch of a discriminated node that `value` (the YAML value at that
 * place) selects, with the tag still offering every value; the merged view
 * when the tag is missing or unknown. Other nodes are returned as they are.
 */
export function narrow(s: SchemaNode, value?: unknown): SchemaNode {
  if (!s.discriminator || !s.oneOf) return s;
  const all = merged(s);
  const tag = s.discriminator.propertyName;
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[tag] : undefined;
  const branch = s.oneOf.find((b) => b.properties?.[tag]?.const === v);
  if (!branch) return all;
  let view = views.get(branch);
  if (!view) {
    view = { ...branch, properties: { ...branch.properties, [tag]: all.properties![tag]! } };
    views.set(branch, view);
  }
  return view;
}

function branches(s: SchemaNode): SchemaNode[] {
  const n = narrow(s);
  return [n, ...(n.anyOf ?? [])];
}

/** The schema of one child: a property or additionalProperties for a key, items for an index. */
export function childSchema(s: SchemaNode, segment: string | number): SchemaNode | undefined {
  for (const b of branches(s)) {
    if (typeof segment === 'number') {
      if (b.items) return b.items;
      continue;
    }
    const p = b.properties?.[segment];
    if (p) return p;
    if (b.additionalProperties && typeof b.additionalProperties === 'object') return b.additionalProperties;
  }
  return undefined;
}

/**
 * The schema at `path`. With `value` (the document's value at `from`), a
 * step is narrowed to the fields of its `op`.
 */
export function schemaAt(path: JsonPath, from: SchemaNode = rootSchema, value?: unknown): SchemaNode | undefined {
  let s: SchemaNode | undefined = from;
  let v = value;
  for (const seg of path) {
    if (!s) return undefined;
    s = childSchema(narrow(s, v), seg);
    v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  return s && narrow(s, v);
}

/** Every JSON type the node admits, looking into anyOf. */
export function typesOf(s: SchemaNode): string[] {
  const out = new Set<string>();
  for (const b of branches(s)) {
    if (Array.isArray(b.type)) b.type.forEach((t) => out.add(t));
    else if (b.type) out.add(b.type);
    if (b.const !== undefined) out.add(typeof b.const);
    if (b.properties) out.add('object');
    if (b.items) out.add('array');
  }
  return [...out];
}

export function isObjectSchema(s: SchemaNode | undefined): boolean {
  return !!s && typesOf(s).includes('object');
}

export function isArraySchema(s: SchemaNode | undefined): boolean {
  return !!s && typesOf(s).includes('array');
}

/** Named properties of an object schema (empty for maps keyed by data, like labelFrequencies). */
export function propertiesOf(s: SchemaNode | undefined): Record<string, SchemaNode> {
  const out: Record<string, SchemaNode> = {};
  if (!s) return out;
  for (const b of branches(s)) Object.assign(out, b.properties ?? {});
  return out;
}

export function requiredOf(s: SchemaNode | undefined): string[] {
  return s?.required ?? [];
}

/** Enum and const values, as strings. */
export function enumValues(s: SchemaNode | undefined): string[] {
  if (!s) return [];
  if (s.const !== undefined) return [String(s.const)];
  return (s.enum ?? []).map(String);
}

/**
 * Per-value docs written in a description as "`value`: text; `other`: text".
 * Descriptions are the docs (CONVENTIONS 5), so no second copy is kept.
 */
export function enumDocs(s: SchemaNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!s?.description) return out;
  const values = new Set(enumValues(s));
  for (const part of s.description.split(/;\s*(?=`)/)) {
    const m = /`([^`]+)`\s*(?::\s*)?([\s\S]*)$/.exec(part.trim());
    if (m?.[1] && values.has(m[1])) out.set(m[1], m[2]!.replace(/\.$/, '').trim());
  }
  return out;
}

/** A short type label for docs: `string`, `integer ≥ 1`, `classification | regression`, … */
export function typeLabel(s: SchemaNode): string {
  const values = enumValues(s);
  if (values.length) return values.map((v) => `\`${v}\``).join(' | ');
  const types = typesOf(s);
  if (types.includes('array')) {
    const item = branches(s).find((b) => b.items)?.items;
    const inner = item ? typeLabel(item) : 'value';
    return types.length > 1 ? `${types.filter((t) => t !== 'array').join(' | ')} | list of ${inner}` : `list of ${inner}`;
  }
  let label = types.join(' | ') || 'value';
  if (s.minimum !== undefined) label += ` ≥ ${s.minimum}`;
  else if (s.exclusiveMinimum !== undefined) label += ` > ${s.exclusiveMinimum}`;
  return label;
}

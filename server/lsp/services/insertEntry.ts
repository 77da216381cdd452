// Where and how to add a `key: value` entry to a mapping of the manifest,
// keeping the mapping's own style: a line at the children's indentation for
// block mappings, `, key: value` before the `}` of flow mappings.
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { TextEdit } from 'vscode-languageserver-types';
import { keyNodeAt, nodeAt, type JsonPath } from '../../manifest/parse';
import type { ManifestDocument } from '../manifestDocument';
import { childSchema, enumValues, isArraySchema, isObjectSchema, propertiesOf, requiredOf, schemaAt, typesOf, type SchemaNode } from '../schemaNav';
import { entryLines, yamlInline, yamlString } from '../yamlText';

/** End of the line holding the last character before `end` (a node's end offset). */
export function lineEndBefore(text: string, end: number): number {
  let e = Math.min(end, text.length);
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r')) e--;
  const nl = text.indexOf('\n', e);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** A JSON value that satisfies a schema's shape, for a freshly added field. */
export function placeholder(s: SchemaNode | undefined, depth = 0): unknown {
  if (!s) return '';
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  const values = enumValues(s);
  if (values.length) return values[0];
  if (isObjectSchema(s) && !isArraySchema(s)) {
    const props = propertiesOf(s);
    return depth > 3 ? {} : Object.fromEntries(requiredOf(s).map((r) => [r, placeholder(props[r], depth + 1)]));
  }
  if (isArraySchema(s)) {
    const item = childSchema(s, 0);
    return item && isObjectSchema(item) && requiredOf(item).length ? [placeholder(item, depth + 1)] : [];
  }
  const types = typesOf(s);
  if (types.includes('boolean')) return false;
  if (types.includes('integer') || types.includes('number')) return s.minimum ?? (s.exclusiveMinimum !== undefined ? 1 : 0);
  return '';
}

function columnOf(doc: ManifestDocument, offset: number): number {
  return offset - lineStartOf(doc.text, offset);
}

function blockLines(key: string, s: SchemaNode | undefined, value: unknown): string[] {
  return value === undefined ? entryLines(key, s, 'plain') : [`${yamlString(key)}: ${yamlInline(value)}`];
}

/**
 * An edit adding `key` to the mapping at `parentPath`, with `value` or a
 * placeholder from the schema. Undefined when the parent is not a mapping.
 */
export function insertEntry(doc: ManifestDocument, parentPath: JsonPath, key: string, value?: unknown): TextEdit | undefined {
  const text = doc.text;
  const s = schemaAt([...parentPath, key]);
  const node = nodeAt(doc.parsed, parentPath) as Node | undefined;
  const at = (offset: number, newText: string): TextEdit => {
    const p = doc.positionAt(offset);
    return { range: { start: p, end: p }, newText };
  };
  if (isMap(node) && node.flow && node.range) {
    const close = text.lastIndexOf('}', node.range[1]);
    if (close < node.range[0]) return undefined;
    const entry = `${yamlString(key, true)}: ${yamlInline(value ?? placeholder(s), true)}`;
    return at(close, node.items.length ? `, ${entry}` : entry);
  }
  if (isMap(node) && node.items.length) {
    const map = node as YAMLMap<Node, Node | null>;
    const firstKey = map.items[0]!.key;
    const last = map.items[map.items.length - 1]!;
    const end = (last.value?.range ?? last.key?.range)?.[1];
    if (!firstKey?.range || end === undefined) return undefined;
    const col = columnOf(doc, firstKey.range[0]);
    const pad = ' '.repeat(col);
    const lines = blockLines(key, s, value);
    return at(lineEndBefore(text, end), lines.map((l) => '\n' + pad + l).join(''));
  }
  // An empty parent (`model:` with nothing under it) or the empty document.
  const empty = node === undefined || (isScalar(node) && (node.value === null || node.value === ''));
  if (!empty) return undefined;
  const lines = blockLines(key, s, value);
  if (parentPath.length === 0) {
    const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return at(text.length, sep + lines.join('\n') + '\n');
  }
  const parentKey = keyNodeAt(doc.parsed, parentPath);
  if (!parentKey?.range) return undefined;
  const pad = ' '.repeat(columnOf(doc, parentKey.range[0]) + 2);
  const lineEnd = lineEndBefore(text, parentKey.range[1] + 1);
  if (isScalar(node) && node.range && node.range[1] > node.range[0]) {
    // `model: ""` or `model: ~`: replace the empty value by a block.
    return { range: { start: doc.positionAt(parentKey.range[1] + 1), end: doc.positionAt(lineEnd) }, newText: lines.map((l) => '\n' + pad + l).join('') };
  }
  return at(lineEnd, lines.map((l) => '\n' + pad + l).join(''));
}

// Finds the manifest path under an offset in a parsed document: which key
// or value the cursor is on. Falls back to the line structure when the
// YAML is too broken for the parser to place the offset.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { JsonPath } from '../manifest/parse';
import { cursorContext } from './cursorContext';
import type { ManifestDocument } from './manifestDocument';
import { readLine } from './yamlLines';

export interface Located {
  path: JsonPath;
  /** On the key of the last path segment rather than on its value. */
  onKey: boolean;
  /** Offsets of the key or value under the cursor. */
  start: number;
  end: number;
  /** The scalar value under the cursor, when on a value. */
  value?: unknown;
}

const within = (n: Node | null | undefined, offset: number): n is Node => !!n?.range && n.range[0] <= offset && offset <= n.range[1];

function fromAst(doc: ManifestDocument, offset: number): Located | undefined {
  let node = doc.parsed.doc.contents as Node | null;
  const path: JsonPath = [];
  for (let depth = 0; node && depth < 64; depth++) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const name = isScalar(key) ? String(key.value) : '';
        if (within(key, offset)) return { path: [...path, name], onKey: true, start: key.range![0], end: key.range![1] };
        if (within(pair.value as Node | null, offset)) {
          path.push(name);
          next = pair.value as Node;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => within(item as Node | null, offset));
      if (i < 0) return undefined;
      path.push(i);
      node = node.items[i] as Node;
    } else if (isScalar(node)) {
      return { path, onKey: false, start: node.range![0], end: node.range![1], value: node.value };
    } else {
      return undefined;
    }
  }
  return undefined;
}

function fromLines(doc: ManifestDocument, offset: number): Located | undefined {
  const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
  const nl = doc.text.indexOf('\n', offset);
  const line = readLine(doc.text.slice(lineStart, nl < 0 ? doc.text.length : nl), lineStart);
  if (line.key === undefined || line.colonCol === undefined) return undefined;
  const col = offset - lineStart;
  if (col < line.contentCol) return undefined;
  if (col <= line.colonCol) {
    const ctx = cursorContext(doc.text, lineStart + line.contentCol);
    return { path: [...ctx.path, line.key], onKey: true, start: lineStart + line.contentCol, end: lineStart + line.colonCol };
  }
  const ctx = cursorContext(doc.text, offset);
  if (ctx.kind !== 'value') return undefined;
  return { path: ctx.path, onKey: false, start: ctx.replaceStart, end: Math.max(ctx.replaceEnd, ctx.replaceStart) };
}

export function locate(doc: ManifestDocument, offset: number): Located | undefined {
  return fromAst(doc, offset) ?? fromLines(doc, offset);
}

/** `signature.inputs[0].name` */
export function pathLabel(path: JsonPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

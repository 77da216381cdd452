// Document symbols: the manifest's sections as a tree, with sequence items
// named by what identifies them (an input's name, a step's op, a gate's
// metric) so the outline reads like the model.
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { JsonPath } from '../../manifest/parse';
import type { ManifestDocument } from '../manifestDocument';
import { pathPattern } from './completion';

const NAME_KEYS = ['name', 'op', 'metric', 'path'];
const MAX_DEPTH = 6;

function kindOf(node: Node | null, path: JsonPath): SymbolKind {
  if (path.length === 1 && (isMap(node) || isSeq(node))) return SymbolKind.Module;
  if (isMap(node)) return SymbolKind.Object;
  if (isSeq(node)) return SymbolKind.Array;
  if (isScalar(node)) {
    if (typeof node.value === 'number') return SymbolKind.Number;
    if (typeof node.value === 'boolean') return SymbolKind.Boolean;
    if (node.value === null) return SymbolKind.Null;
  }
  return SymbolKind.String;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : undefined;
}

export function createSymbolService() {
  function build(doc: ManifestDocument, node: Node | null, path: JsonPath): DocumentSymbol[] {
    if (path.length >= MAX_DEPTH || !node) return [];
    const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
    const out: DocumentSymbol[] = [];
    if (isMap(node)) {
      for (const pair of node.items as Pair<Node | null, Node | null>[]) {
        const key = pair.key;
        const name = scalarText(key);
        if (!key?.range || name === undefined || name === '') continue;
        const value = pair.value;
        const end = value?.range ? Math.max(value.range[1], key.range[1]) : key.range[1];
        const childPath = [...path, name];
        const detail = isScalar(value) && value.value !== null ? String(value.value).slice(0, 60) : undefined;
        out.push({
          name,
          detail,
          kind: kindOf(value, childPath),
          range: range(key.range[0], end),
          selectionRange: range(key.range[0], key.range[1]),
          children: isMap(value) || isSeq(value) ? build(doc, value, childPath) : undefined,
        });
      }
    } else if (isSeq(node)) {
      const tensors = /^signature\.(inputs|outputs)$/.test(pathPattern(path));
      node.items.forEach((item, i) => {
        const n = item as Node | null;
        if (!isMap(n) || !n.range) return;
        const label = NAME_KEYS.map((k) => scalarText(n.get(k, true))).find((v) => v !== undefined) ?? `[${i}]`;
        const shape = (n.toJSON() as { shape?: unknown }).shape;
        const detail = tensors ? `${scalarText(n.get('dtype', true)) ?? ''} ${Array.isArray(shape) ? `[${shape.join(', ')}]` : ''}`.trim() : undefined;
        out.push({
          name: label,
          detail,
          kind: tensors ? SymbolKind.Variable : SymbolKind.Object,
          range: range(n.range[0], n.range[1]),
          selectionRange: range(n.range[0], n.range[1]),
          children: build(doc, n, [...path, i]),
        });
      });
    }
    return out;
  }

  return {
    symbols(doc: ManifestDocument): DocumentSymbol[] {
      if (doc.kind !== 'manifest' || doc.unreadable) return [];
      return build(doc, doc.parsed.doc.contents as Node | null, []);
    },
  };
}

export type SymbolService = ReturnType<typeof createSymbolService>;

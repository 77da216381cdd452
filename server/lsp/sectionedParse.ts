// Re-parses only what changed. A manifest is a tree of block mappings and
// sequences; while the user types in one entry, the others keep their text,
// so their parse (and plain value) is reused with its ranges shifted. Large
// entries are split further, down to one preprocessing step or gate, so an
// edit re-parses a few lines instead of the whole file.
// Anything this cannot do exactly — syntax errors, anchors, tags, several
// documents, repeated keys, flow or compact layouts it does not split, small
// files — goes through parseManifest, which stays the reference the
// equivalence tests compare against.
import { LineCounter, Pair, YAMLMap, YAMLSeq, isMap, isNode, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { parseManifest, type ParsedManifest } from '../manifest/parse';

/** Below this size a full parse is cheap enough and the bookkeeping is not worth it. */
const MIN_SECTIONED_CHARS = 8 * 1024;
/** Entries larger than this are split into their own entries or items. */
const SPLIT_CHARS = 2 * 1024;
// Anchors, aliases and tags can tie entries together; directives and
// document markers split the stream. Any of them: parse the whole text.
const NOT_INDEPENDENT = /(^|[\s,[{])[&*!][^\s,\]}]|^(---|\.\.\.|%)/m;
const KEY_LINE = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`?:-][^#\n]*?)[ \t]*:(?:[ \t]|$)/;
const EMPTY_VALUE = /:[ \t]*(#.*)?$/;

/** One entry (map pair or sequence item) parsed on its own. */
interface Leaf {
  doc: Document.Parsed;
  /** Offset in the text its ranges currently refer to. */
  base: number;
  item: Pair<Node, Node | null> | Node;
  key?: string;
  value: unknown;
}

interface Built {
  node: Node | Pair<Node, Node | null>;
  key?: string;
  value: unknown;
}

/** Thrown when a part cannot be parsed on its own; the caller falls back to a full parse. */
class NotSplittable extends Error {}

function shift(doc: Document.Parsed, delta: number): void {
  if (delta === 0) return;
  // Keys and values of pairs are visited as nodes; nothing else carries offsets.
  visit(doc, (_key, node) => {
    if (isNode(node) && node.range) {
      const r = node.range;
      node.range = [r[0] + delta, r[1] + delta, r[2] + delta];
    }
  });
}

function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lc.addNewLine(k + 1);
  return lc;
}

interface Line {
  start: number;
  end: number;
  /** Column of the first non-space character, -1 for blank and comment lines. */
  col: number;
}

function linesOf(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  let s = from;
  while (s < to) {
    const nl = text.indexOf('\n', s);
    const e = nl < 0 || nl >= to ? to : nl;
    let c = s;
    while (c < e && text[c] === ' ') c++;
    const blank = c >= e || text[c] === '#' || text[c] === '\r';
    out.push({ start: s, end: e, col: blank ? -1 : c - s });
    s = e + 1;
  }
  return out;
}

export class SectionedParser {
  private leaves = new Map<string, Leaf[]>();
  private next = new Map<string, Leaf[]>();
  /** Parts parsed and reused by the last parse (all zero after a full parse). */
  stats = { parsed: 0, reused: 0 };

  parse(text: string): ParsedManifest {
    if (text.length < MIN_SECTIONED_CHARS || text.includes('\t') || NOT_INDEPENDENT.test(text)) return this.full(text);
    this.next = new Map();
    this.stats = { parsed: 0, reused: 0 };
    let built: Built;
    try {
      const lines = linesOf(text, 0, text.length);
      const first = lines.find((l) => l.col >= 0);
      if (!first || first.col !== 0) throw new NotSplittable();
      built = this.block(text, lines.slice(lines.indexOf(first)), 'map', 0);
    } catch (err) {
      if (err instanceof NotSplittable) return this.full(text);
      throw err;
    }
    this.leaves = this.next;
    const doc = parseDocument('', { prettyErrors: false });
    const root = built.node as Node;
    // A full parse's root mapping ends at the end of the text.
    root.range = [root.range![0], text.length, text.length];
    doc.contents = root as unknown as Document.Parsed['contents'];
    // Validators get their own copy: cached values must never change.
    return { text, doc, lineCounter: lineCounterFor(text), value: structuredClone(built.value), diagnostics: [] };
  }

  private full(text: string): ParsedManifest {
    this.leaves.clear();
    this.stats = { parsed: 0, reused: 0 };
    return parseManifest(text);
  }

  /** Parses one entry's text alone, reusing an earlier parse of the same text. */
  private leaf(text: string, start: number, end: number, kind: 'map' | 'seq'): Built {
    const slice = text.slice(start, end);
    const used = this.next.get(slice) ?? [];
    let leaf = (this.leaves.get(slice) ?? []).find((l) => !used.includes(l));
    if (leaf) this.stats.reused++;
    else {
      this.stats.parsed++;
      const doc = parseDocument(slice, { uniqueKeys: true, prettyErrors: false });
      const root = doc.contents;
      if (doc.errors.length || doc.warnings.length) throw new NotSplittable();
      if (kind === 'map') {
        if (!isMap(root) || root.items.length !== 1 || !isScalar(root.items[0]!.key)) throw new NotSplittable();
        const pair = root.items[0] as Pair<Node, Node | null>;
        const key = String((pair.key as { value: unknown }).value);
        leaf = { doc, base: 0, item: pair, key, value: (doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>)[key] };
      } else {
        if (!isSeq(root) || root.items.length !== 1) throw new NotSplittable();
        leaf = { doc, base: 0, item: root.items[0] as Node, value: (doc.toJS({ maxAliasCount: 100 }) as unknown[])[0] };
      }
    }
    // This also moves the ranges seen by the previous version's parse: only
    // the newest version of a document is ever served, older results are dropped.
    shift(leaf.doc, start - leaf.base);
    leaf.base = start;
    used.push(leaf);
    this.next.set(slice, used);
    return { node: leaf.item, key: leaf.key, value: leaf.value };
  }

  /** A block mapping or sequence whose entries start at column `col` on `lines`. */
  private block(text: string, lines: Line[], kind: 'map' | 'seq', col: number): Built {
    const starts: number[] = [];
    lines.forEach((l, i) => {
      if (l.col < 0) return;
      if (l.col < col) throw new NotSplittable();
      if (l.col > col) return;
      const content = text.slice(l.start + col, l.end);
      const isItem = content === '-' || content.startsWith('- ');
      // `key:` followed by items at the key's own column (compact style) stays one entry.
      if (kind === 'map' && isItem && starts.length) return;
      if (kind === 'seq' ? !isItem : isItem || !KEY_LINE.test(content)) throw new NotSplittable();
      starts.push(i);
    });
    if (!starts.length) throw new NotSplittable();
    const entries = starts.map((s, i) => this.entry(text, lines.slice(s, starts[i + 1] ?? lines.length), kind, col));
    if (kind === 'seq') {
      const seq = new YAMLSeq();
      seq.items = entries.map((e) => e.node);
      (seq as Node).range = [lines[starts[0]!]!.start + col, lastEnd(entries), lastEnd(entries)];
      return { node: seq, value: entries.map((e) => e.value) };
    }
    const map = new YAMLMap();
    map.items = entries.map((e) => e.node) as YAMLMap['items'];
    const value: Record<string, unknown> = {};
    for (const e of entries) {
      // The same key twice is a duplicate key: the full parse reports it.
      if (Object.prototype.hasOwnProperty.call(value, e.key!)) throw new NotSplittable();
      value[e.key!] = e.value;
    }
    (map as Node).range = [lines[starts[0]!]!.start + col, lastEnd(entries), lastEnd(entries)];
    return { node: map, value };
  }

  /** One entry: parsed alone, or split further when large and laid out as a block. */
  private entry(text: string, lines: Line[], kind: 'map' | 'seq', col: number): Built {
    const start = lines[0]!.start;
    const end = Math.min(lines[lines.length - 1]!.end + 1, text.length);
    const head = text.slice(lines[0]!.start, lines[0]!.end);
    const body = lines.slice(1);
    const inner = body.find((l) => l.col >= 0);
    if (kind === 'seq' || end - start < SPLIT_CHARS || !EMPTY_VALUE.test(head) || !inner || inner.col <= col) {
      return this.leaf(text, start, end, kind);
    }
    const keyLeaf = this.leaf(text, start, lines[0]!.end + 1, 'map');
    const content = text.slice(inner.start + inner.col, inner.end);
    const childKind = content === '-' || content.startsWith('- ') ? 'seq' : 'map';
    const child = this.block(text, body.slice(body.indexOf(inner)), childKind, inner.col);
    const pair = new Pair((keyLeaf.node as Pair<Node, Node | null>).key, child.node as Node);
    return { node: pair, key: keyLeaf.key, value: child.value };
  }
}

/** A block collection ends where its last entry's node ends (after its line break). */
function lastEnd(entries: Built[]): number {
  const last = entries[entries.length - 1]!.node;
  const node = isNode(last) ? last : ((last as Pair<Node, Node | null>).value ?? (last as Pair<Node, Node | null>).key);
  return node.range![2];
}

// Where the cursor is in manifest terms — "typing a key of `model`",
// "typing the value of signature.inputs[0].name" — read from the text around
// it, so it works on the broken documents completion normally sees.
import type { JsonPath } from '../manifest/parse';
import { isObjectSchema, schemaAt } from './schemaNav';
import { readLines, readLinesAfter, type FlowState, type LineInfo } from './yamlLines';

export interface CursorContext {
  kind: 'key' | 'value';
  /** key: the mapping a new key goes into; value: the value being typed. */
  path: JsonPath;
  /** What is typed at the cursor, and the span a completion replaces. */
  prefix: string;
  replaceStart: number;
  replaceEnd: number;
  /** Keys already in the mapping (key), or items already in a flow list (value). */
  siblings: string[];
  /** Column of entries at this level, for multi-line inserts. */
  column: number;
  /** Inside `[…]` or `{…}`: single-line inserts only. */
  flow: boolean;
  /** A `:` already follows the key being typed. */
  colonFollows: boolean;
  /** The value starts right after `:` with no space: an insert needs one. */
  needsSpace: boolean;
}

const lastDash = (l: LineInfo): number => l.dashes[l.dashes.length - 1] ?? l.indent;
const structural = (l: LineInfo | undefined): l is LineInfo => !!l && l.indent >= 0 && !l.continuation;

/** Path of the sequence item whose `- ` marker is at column `d` of line `i`. */
function seqItemPath(lines: LineInfo[], i: number, d: number): JsonPath {
  const own = lines[i]!;
  const before = own.dashes.filter((c) => c < d);
  if (before.length) return [...seqItemPath(lines, i, before[before.length - 1]!), 0];
  let index = 0;
  for (let j = i - 1; j >= 0; j--) {
    const l = lines[j];
    if (!structural(l) || l.indent > d) continue;
    if (l.dashes.includes(d)) {
      index++;
      const outer = l.dashes.filter((c) => c < d);
      // `- - a`: this line opens our sequence inside an outer item.
      if (outer.length) return [...seqItemPath(lines, j, outer[outer.length - 1]!), index];
      continue;
    }
    if (l.key !== undefined && l.contentCol <= d) return [...containerOf(lines, j, l.contentCol), l.key, index];
    if (l.indent < d) return l.dashes.length ? [...seqItemPath(lines, j, lastDash(l)), index] : [index];
  }
  return [index];
}

/** Path of the mapping that holds an entry starting at column `col` of line `i`. */
export function containerOf(lines: LineInfo[], i: number, col: number): JsonPath {
  const self = lines[i];
  if (structural(self) && self.dashes.length && self.contentCol === col) return seqItemPath(lines, i, lastDash(self));
  for (let j = i - 1; j >= 0; j--) {
    const l = lines[j];
    if (!structural(l)) continue;
    if (l.contentCol === col && l.dashes.length && l.indent < col) return seqItemPath(lines, j, lastDash(l));
    if (l.indent >= col) continue;
    if (l.key !== undefined && l.contentCol < col) return [...containerOf(lines, j, l.contentCol), l.key];
    if (l.dashes.length) return seqItemPath(lines, j, lastDash(l));
    return containerOf(lines, j, l.indent);
  }
  return [];
}

/** Keys written at column `col` in the same mapping as line `i`. */
function siblingKeys(text: string, lines: LineInfo[], i: number, col: number, itemStartsHere: boolean): string[] {
  const keys: string[] = [];
  if (!itemStartsHere) {
    for (let j = i - 1; j >= 0; j--) {
      const l = lines[j];
      if (!structural(l)) continue;
      if (l.contentCol === col && l.key !== undefined) keys.push(l.key);
      if (l.indent < col) break;
    }
  }
  const self = lines[i]!;
  const below = readLinesAfter(text, self.start + self.text.length + 1);
  for (const l of below) {
    if (l.indent < 0) continue;
    if (l.indent < col) break;
    if (l.indent === col && l.key !== undefined && !l.dashes.length) keys.push(l.key);
  }
  return keys;
}

function tokenEnd(line: string, from: number, stops: RegExp): number {
  let k = from;
  while (k < line.length && !stops.test(line[k]!)) {
    if (line[k] === '#' && (k === 0 || line[k - 1] === ' ')) break;
    k++;
  }
  while (k > from && (line[k - 1] === ' ' || line[k - 1] === '\t')) k--;
  return k;
}

function stripQuote(prefix: string): string {
  return prefix.startsWith('"') || prefix.startsWith("'") ? prefix.slice(1) : prefix;
}

function flowContext(text: string, lines: LineInfo[], flow: FlowState, offset: number): CursorContext {
  const owner = lines[flow.ownerLine]!;
  const path: JsonPath =
    owner.key !== undefined ? [...containerOf(lines, flow.ownerLine, owner.contentCol), owner.key] : seqItemPath(lines, flow.ownerLine, lastDash(owner));
  const frames = flow.frames;
  for (const f of frames.slice(0, -1)) path.push(f.type === 'seq' ? f.index : (f.key ?? ''));
  const top = frames[frames.length - 1]!;
  const line = lines[lines.length - 1]!;
  let start = Math.max(top.tokenStart, line.start);
  while (start < offset && (text[start] === ' ' || text[start] === '\t')) start++;
  const keyTyping = top.type === 'map' && top.key === undefined;
  const end = line.start + tokenEnd(line.text, offset - line.start, keyTyping ? /[,:\]}]/ : /[,\]}]/);
  const after = line.text.slice(end - line.start).trimStart();
  return {
    kind: keyTyping ? 'key' : 'value',
    path: top.type === 'seq' ? [...path, top.index] : keyTyping ? path : [...path, top.key ?? ''],
    prefix: stripQuote(text.slice(start, offset)),
    replaceStart: start,
    replaceEnd: Math.max(end, offset),
    siblings: top.type === 'map' ? top.seen.filter((k) => k !== top.key) : top.seen,
    column: owner.indent,
    flow: true,
    colonFollows: keyTyping && after.startsWith(':'),
    needsSpace: false,
  };
}

export function cursorContext(text: string, offset: number): CursorContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineIdx = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < lineStart; k = text.indexOf('\n', k + 1)) lineIdx++;
  const col = offset - lineStart;
  const { lines, flow } = readLines(text, lineIdx, col);
  if (flow && flow.frames.length) return flowContext(text, lines, flow, offset);
  const line = lines[lineIdx]!;

  if (line.key !== undefined && line.colonCol !== undefined && col > line.colonCol) {
    const valueCol = Math.min(line.valueCol ?? col, col);
    const end = tokenEnd(line.text, col, /$^/);
    return {
      kind: 'value',
      path: [...containerOf(lines, lineIdx, line.contentCol), line.key],
      prefix: stripQuote(line.text.slice(valueCol, col)),
      replaceStart: lineStart + valueCol,
      replaceEnd: lineStart + Math.max(end, col),
      siblings: [],
      column: line.contentCol,
      flow: false,
      colonFollows: false,
      needsSpace: col === line.colonCol + 1,
    };
  }

  const blank = line.indent < 0 || col <= line.contentCol;
  const keyCol = blank ? col : line.contentCol;
  const end = blank ? col : tokenEnd(line.text, col, /[:]/);
  const base = {
    prefix: stripQuote(line.text.slice(keyCol, col)),
    replaceStart: lineStart + keyCol,
    replaceEnd: lineStart + Math.max(end, col),
    column: keyCol,
    flow: false,
    colonFollows: line.text.slice(end).trimStart().startsWith(':'),
    needsSpace: false,
  };
  const itemHere = line.dashes.length > 0 && keyCol === line.contentCol;
  if (itemHere) {
    const item = seqItemPath(lines, lineIdx, lastDash(line));
    if (!isObjectSchema(schemaAt(item))) return { ...base, kind: 'value', path: item, siblings: [] };
  }
  return {
    ...base,
    kind: 'key',
    path: containerOf(lines, lineIdx, keyCol),
    siblings: siblingKeys(text, lines, lineIdx, keyCol, itemHere),
  };
}

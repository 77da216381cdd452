// A line-level reading of YAML text that does not need the document to
// parse: indentation, `- ` item markers, `key:` lines, and which lines lie
// inside flow collections or block scalars. Completion on a half-typed line
// is the normal case, so the structure around the cursor comes from here.

export interface LineInfo {
  /** Offset of the line start in the text. */
  start: number;
  text: string;
  /** Column of the first non-space character (-1 for blank or comment-only lines). */
  indent: number;
  /** Columns of the `- ` item markers at the start of the line. */
  dashes: number[];
  /** Column where the content after indentation and dashes begins. */
  contentCol: number;
  /** The mapping key when the content is `key:` (with or without a value). */
  key?: string;
  /** Column of the `:` that ends the key. */
  colonCol?: number;
  /** Column where the value after `key:` begins (line length when empty). */
  valueCol?: number;
  /** The line continues a flow collection or a block scalar from above: not structure. */
  continuation: boolean;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?=[ \t]|$)/;

export function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

/** Reads one line's structure (ignoring whether it continues something above). */
export function readLine(text: string, start: number): LineInfo {
  const info: LineInfo = { start, text, indent: -1, dashes: [], contentCol: -1, continuation: false };
  let k = 0;
  while (k < text.length && text[k] === ' ') k++;
  if (k >= text.length || text[k] === '#' || text[k] === '\r') return info;
  info.indent = k;
  while (text[k] === '-' && (k + 1 === text.length || text[k + 1] === ' ')) {
    info.dashes.push(k);
    k++;
    while (text[k] === ' ') k++;
  }
  info.contentCol = k;
  const m = KEY_RE.exec(text.slice(k));
  if (m && m[1] !== undefined) {
    info.key = unquote(m[1].trim());
    info.colonCol = k + m[0].length - 1;
    let v = k + m[0].length;
    while (text[v] === ' ' || text[v] === '\t') v++;
    info.valueCol = v;
  }
  return info;
}

export interface FlowFrame {
  type: 'seq' | 'map';
  /** seq: index of the item at the scan point. */
  index: number;
  /** map: key of the entry at the scan point, once its `:` was seen. */
  key?: string;
  /** map: keys and seq: items seen so far in this collection. */
  seen: string[];
  /** Offset where the current token (item, key or value) begins. */
  tokenStart: number;
}

export interface FlowState {
  frames: FlowFrame[];
  /** Line where the outermost open collection started, and its indentation. */
  ownerLine: number;
  ownerIndent: number;
  /** Inside a quoted scalar: its quote character. */
  quote?: '"' | "'";
}

/**
 * Scans a flow collection from `from` to `to` on one line, updating `state`.
 * Returns true while a collection stays open at `to`.
 */
function scanFlow(text: string, lineStart: number, from: number, to: number, state: FlowState): boolean {
  for (let k = from; k < to; k++) {
    const c = text[k]!;
    const top = state.frames[state.frames.length - 1];
    if (state.quote) {
      if (c === '\\' && state.quote === '"') {
        k++;
        continue;
      }
      if (c === state.quote) {
        if (c === "'" && text[k + 1] === "'") {
          k++;
          continue;
        }
        state.quote = undefined;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      state.quote = c;
      continue;
    }
    if (c === '#' && (k === 0 || text[k - 1] === ' ' || text[k - 1] === '\t')) break;
    if (c === '[' || c === '{') {
      if (top?.type === 'map' && top.key === undefined) top.key = '';
      state.frames.push({ type: c === '[' ? 'seq' : 'map', index: 0, seen: [], tokenStart: lineStart + k + 1 });
      continue;
    }
    if (!top) continue;
    const token = (): string => unquote(text.slice(Math.max(0, top.tokenStart - lineStart), k).trim());
    if (c === ']' || c === '}') {
      state.frames.pop();
      if (state.frames.length === 0) return false;
      continue;
    }
    if (c === ',') {
      if (top.type === 'seq') {
        const t = token();
        if (t) top.seen.push(t);
        top.index++;
      } else top.key = undefined;
      top.tokenStart = lineStart + k + 1;
      continue;
    }
    if (c === ':' && top.type === 'map' && top.key === undefined && /[\s,}\]]/.test(text[k + 1] ?? ' ')) {
      top.key = token();
      top.seen.push(top.key);
      top.tokenStart = lineStart + k + 1;
    }
  }
  return state.frames.length > 0;
}

/** Line structure of the text up to and including `uptoLine`, and the flow state at `uptoOffset`. */
export function readLines(text: string, uptoLine: number, uptoCol: number): { lines: LineInfo[]; flow?: FlowState } {
  const lines: LineInfo[] = [];
  let state: FlowState | undefined;
  let blockScalarCol = -1;
  let start = 0;
  for (let i = 0; ; i++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const raw = text.slice(start, text[end - 1] === '\r' ? end - 1 : end);
    const info = readLine(raw, start);
    const last = i === uptoLine;
    const stop = last ? Math.min(uptoCol, raw.length) : raw.length;
    // Flow content must be indented deeper than its key: a line that is not
    // ends an unclosed `[` or `{` (the normal case while typing one).
    if (state && info.indent >= 0 && info.indent <= state.ownerIndent) state = undefined;
    if (state) {
      info.continuation = true;
      if (!scanFlow(raw, start, 0, stop, state)) state = undefined;
    } else if (blockScalarCol >= 0 && (info.indent < 0 || info.indent > blockScalarCol)) {
      info.continuation = true;
    } else {
      blockScalarCol = -1;
      const v = info.valueCol ?? (info.dashes.length ? info.contentCol : -1);
      const c = v >= 0 ? raw[v] : undefined;
      if (c === '[' || c === '{') {
        state = { frames: [], ownerLine: i, ownerIndent: info.indent };
        if (!scanFlow(raw, start, v, stop, state)) state = undefined;
      } else if ((c === '|' || c === '>') && info.key !== undefined) {
        blockScalarCol = info.dashes.length ? info.contentCol : info.indent;
      }
    }
    lines.push(info);
    if (last || nl < 0) break;
    start = nl + 1;
  }
  return { lines, flow: state };
}

/** The lines after `fromLine` up to the end of the text (for siblings below the cursor). */
export function readLinesAfter(text: string, fromOffset: number, limit = 2000): LineInfo[] {
  const out: LineInfo[] = [];
  let start = fromOffset;
  while (start < text.length && out.length < limit) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    out.push(readLine(text.slice(start, text[end - 1] === '\r' ? end - 1 : end), start));
    if (nl < 0) break;
    start = nl + 1;
  }
  return out;
}

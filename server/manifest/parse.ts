// Parses a manifest once and keeps source ranges, so every later check can
// point at the exact key or value. Syntax problems (bad YAML, duplicate
// keys, tabs) become diagnostics; this never throws on user input.
import { Document, LineCounter, isCollection, isMap, isScalar, isSeq, isPair, parseDocument, visit, type Node, type ParsedNode } from 'yaml';
import type { ManifestDiagnostic, Range } from './diagnostics';

export type JsonPath = (string | number)[];

export interface ParsedManifest {
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The manifest as plain JSON values (undefined when the YAML is unusable). */
  value: unknown;
  /** YAML syntax diagnostics (MG101 syntax, MG102 duplicate key, MG103 tab). */
  diagnostics: ManifestDiagnostic[];
}

const SYNTAX_CODES: Record<string, { code: string; fix: string }> = {
  DUPLICATE_KEY: { code: 'MG102', fix: 'remove or rename one of the two; YAML would keep only one of them' },
  TAB_AS_INDENT: { code: 'MG103', fix: 'indent with spaces, not tabs' },
};

/** A manifest is a few KB; parsing megabytes of YAML would stall the editor for seconds. */
export const MAX_MANIFEST_CHARS = 1_000_000;
/** Past the first syntax errors, the rest are mostly echoes of them. */
const MAX_SYNTAX_DIAGNOSTICS = 20;

export function parseManifest(text: string): ParsedManifest {
  const lineCounter = new LineCounter();
  if (text.length > MAX_MANIFEST_CHARS) {
    const firstLine = Math.max(1, Math.min(text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'), 200));
    return { text, doc: parseDocument('', { lineCounter }), lineCounter, value: undefined, diagnostics: [tooLarge(text.length, firstLine)] };
  }
  const deep = tooDeep(text);
  if (deep !== undefined) {
    // The yaml parser recurses per nesting level; thousands of levels
    // overflow the stack and can leave the process unable to parse again.
    const doc = parseDocument('', { lineCounter });
    return {
      text,
      doc,
      lineCounter,
      value: undefined,
      diagnostics: [
        {
          code: 'MG101',
          severity: 'error',
          offset: deep,
          length: 1,
          path: [],
          range: rangeOfText(text, deep),
          message: `YAML syntax error: nesting deeper than ${MAX_DEPTH} levels (unclosed [ or {, or a long run of "- "); a manifest nests a few levels, so check the brackets here`,
        },
      ],
    };
  }
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, uniqueKeys: true, prettyErrors: false });
  const diagnostics: ManifestDiagnostic[] = [];
  for (const err of [...doc.errors, ...doc.warnings].slice(0, MAX_SYNTAX_DIAGNOSTICS)) {
    const known = SYNTAX_CODES[err.code];
    const first = err.message.split('\n')[0] ?? err.message;
    const [start, end] = err.pos;
    let message = known ? `${first}: ${known.fix}.` : `YAML syntax error: ${first}. Fix the YAML at this place (check indentation, quotes and colons).`;
    if (err.code === 'DUPLICATE_KEY') {
      // The error marks the key's first character; name the whole key.
      const key = /^[^:#\n]*?(?=\s*:)/.exec(text.slice(start, start + 200))?.[0]?.trim();
      if (key) {
        message = `duplicate key "${key}": ${known?.fix ?? 'remove one of the two keys'}.`;
      }
    }
    diagnostics.push({
      code: known?.code ?? 'MG101',
      severity: doc.warnings.includes(err as never) ? 'warning' : 'error',
      message,
      offset: start,
      length: Math.max(1, end - start),
      range: rangeOf(lineCounter, start, Math.max(start + 1, end)),
      path: [],
    });
  }
  let value: unknown;
  const complexKey = findCollectionKey(doc);
  if (complexKey) {
    // toJS would stringify such keys, which takes minutes for deeply nested
    // garbage like `{{{{…`; a manifest never has them.
    const [start, end] = complexKey.range ?? [0, 1];
    diagnostics.push({
      code: 'MG101',
      severity: 'error',
      message: 'YAML syntax error: a key is itself a mapping or a list. Manifest keys are plain words; check for a stray `{`, `[` or `?`.',
      offset: start,
      length: Math.max(1, Math.min(end, start + 200) - start),
      range: rangeOf(lineCounter, start, Math.max(start + 1, Math.min(end, start + 200))),
      path: [],
    });
    return { text, doc, lineCounter, value: undefined, diagnostics };
  }
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    value = undefined;
    diagnostics.push({
      code: 'MG101',
      severity: 'error',
      message: `YAML could not be read: ${(err as Error).message}. Simplify anchors and aliases.`,
      offset: 0,
      length: 1,
      range: rangeOf(lineCounter, 0, 1),
      path: [],
    });
  }
  return { text, doc, lineCounter, value, diagnostics };
}

const MAX_DEPTH = 200;

/** Offset where flow brackets or block indentation nest too deep, if anywhere. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let lineStart = true;
  let lead = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      lead = 0;
      continue;
    }
    if (lineStart) {
      // spaces, tabs and compact `- ` markers before the first real character
      if (c === 32 || c === 9 || c === 45) {
        if (++lead > MAX_DEPTH * 4) return i;
      } else lineStart = false;
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** Range of one character at `offset`, counted without a LineCounter. */
function rangeOfText(text: string, offset: number): Range {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return { start: { line, character }, end: { line, character: character + 1 } };
}

function findCollectionKey(doc: Document.Parsed): ParsedNode | undefined {
  let found: ParsedNode | undefined;
  try {
    visit(doc, {
      Pair(_, pair) {
        if (isCollection(pair.key)) {
          found = pair.key as ParsedNode;
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    // Nesting too deep to walk: the parser has already reported errors.
    found = (doc.contents ?? undefined) as ParsedNode | undefined;
  }
  return found;
}

/** MG112 for a manifest of `size` characters (or bytes), on its first line. */
export function tooLarge(size: number, firstLineLength = 1): ManifestDiagnostic {
  const mb = (size / 1_000_000).toFixed(1);
  return {
    code: 'MG112',
    severity: 'error',
    offset: 0,
    length: firstLineLength,
    path: [],
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: firstLineLength } },
    message: `the manifest is ${mb} MB, more than the ${MAX_MANIFEST_CHARS / 1_000_000} MB a model.yaml may have, so it is not read: keep data in CSV files and the model in the ONNX file; the manifest only points at them`,
  };
}

export function rangeOf(lc: LineCounter, start: number, end: number): Range {
  const s = lc.linePos(start);
  const e = lc.linePos(end);
  return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
}

/** The value node at `path`, or undefined. */
export function nodeAt(parsed: ParsedManifest, path: JsonPath): ParsedNode | undefined {
  if (path.length === 0) return (parsed.doc.contents ?? undefined) as ParsedNode | undefined;
  const n = parsed.doc.getIn(path, true) as unknown;
  return n && typeof n === 'object' && 'range' in (n as object) ? (n as ParsedNode) : undefined;
}

/** The key node of the last path segment (a map key), or undefined. */
export function keyNodeAt(parsed: ParsedManifest, path: JsonPath): ParsedNode | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAt(parsed, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last)) return item.key as ParsedNode;
  }
  return undefined;
}

/**
 * Offset and length to report for `path`: the value when it exists, else the
 * key, else the nearest existing ancestor (for a missing required field, its
 * parent's key).
 */
export function spanOf(parsed: ParsedManifest, path: JsonPath, prefer: 'value' | 'key' = 'value'): { offset: number; length: number } {
  for (let i = path.length; i >= 0; i--) {
    const p = path.slice(0, i);
    const key = keyNodeAt(parsed, p);
    const val = nodeAt(parsed, p);
    const pick = prefer === 'key' || (val && (isMap(val) || isSeq(val)) && key) ? (key ?? val) : (val ?? key);
    if (pick?.range) {
      const [start, valueEnd] = pick.range;
      return { offset: start, length: Math.max(1, valueEnd - start) };
    }
  }
  return { offset: 0, length: 1 };
}

/** Builds a diagnostic located at `path`. */
export function diagnosticAt(
  parsed: ParsedManifest,
  path: JsonPath,
  code: string,
  severity: ManifestDiagnostic['severity'],
  message: string,
  opts: { prefer?: 'value' | 'key'; data?: Record<string, unknown> } = {},
): ManifestDiagnostic {
  const { offset, length } = spanOf(parsed, path, opts.prefer);
  const d: ManifestDiagnostic = {
    code,
    severity,
    message,
    offset,
    length,
    path,
    range: rangeOf(parsed.lineCounter, offset, offset + length),
  };
  if (opts.data) d.data = opts.data;
  return d;
}

export type { Node };

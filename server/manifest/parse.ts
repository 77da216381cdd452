// Parses a manifest once and keeps source ranges, so every later check can
// point at the exact key or value. Syntax problems (bad YAML, duplicate
// keys, tabs) become diagnostics; this never throws on user input.
import { Document, LineCounter, isMap, isScalar, isSeq, isPair, parseDocument, type Node, type ParsedNode } from 'yaml';
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
  DUPLICATE_KEY: { code: 'MG102', fix: 'remove or rename one of the two keys; YAML keeps only one of them' },
  TAB_AS_INDENT: { code: 'MG103', fix: 'indent with spaces, not tabs' },
};

export function parseManifest(text: string): ParsedManifest {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, uniqueKeys: true, prettyErrors: false });
  const diagnostics: ManifestDiagnostic[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const known = SYNTAX_CODES[err.code];
    const first = err.message.split('\n')[0] ?? err.message;
    const [start, end] = err.pos;
    diagnostics.push({
      code: known?.code ?? 'MG101',
      severity: doc.warnings.includes(err as never) ? 'warning' : 'error',
      message: known ? `${first}: ${known.fix}.` : `YAML syntax error: ${first}. Fix the YAML at this place (check indentation, quotes and colons).`,
      offset: start,
      length: Math.max(1, end - start),
      range: rangeOf(lineCounter, start, Math.max(start + 1, end)),
      path: [],
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    value = undefined;
    diagnostics.push({
      code: 'MG101', severity: 'error',
      message: `YAML could not be read: ${(err as Error).message}. Simplify anchors and aliases.`,
      offset: 0, length: 1, range: rangeOf(lineCounter, 0, 1), path: [],
    });
  }
  return { text, doc, lineCounter, value, diagnostics };
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
    const pick = prefer === 'key' || (val && (isMap(val) || isSeq(val)) && key) ? key ?? val : val ?? key;
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
    code, severity, message, offset, length, path,
    range: rangeOf(parsed.lineCounter, offset, offset + length),
  };
  if (opts.data) d.data = opts.data;
  return d;
}

export type { Node };

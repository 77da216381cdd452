// The contract between validateManifest and its layers. Each layer is a
// Validator: it reads the parsed manifest through a ValidationContext and
// returns diagnostics; it never throws on user input. Layers after the
// schema consult `valid(path)` so they only look at parts the schema
// accepted, and can trust the types there.
import { isMap, isSeq } from 'yaml';
import { CODES, type DiagnosticCode } from '../codes';
import type { ManifestDiagnostic, Severity } from '../diagnostics';
import { diagnosticAt, nodeAt, rangeOf, type JsonPath, type ParsedManifest } from '../parse';
import type { ModelManifest } from '../types';

export interface ValidationContext {
  readonly parsed: ParsedManifest;
  /** The manifest value. Parts may be invalid: check `valid` before reading one. */
  readonly manifest: ModelManifest;
  readonly manifestPath: string;
  readonly manifestDir: string;
  /** The clock for "in the future" checks (tests pin it). */
  readonly now: Date;
  /** True when the schema found no error at, above or below every given path. */
  valid(...paths: JsonPath[]): boolean;
}

export interface Validator {
  readonly name: string;
  validate(ctx: ValidationContext): ManifestDiagnostic[] | Promise<ManifestDiagnostic[]>;
}

/** A validator that needs no I/O, so the editor can run it on every keystroke. */
export interface SyncValidator extends Validator {
  validate(ctx: ValidationContext): ManifestDiagnostic[];
}

export interface ReportOptions {
  severity?: Severity;
  /** Point at the key rather than the value (unknown keys, missing children). */
  prefer?: 'value' | 'key';
  data?: Record<string, unknown>;
}

/**
 * A diagnostic with the code's usual severity, located at `path`. A span
 * over a whole mapping or list is cut to its first line, so the editor
 * underlines the place, not half the file.
 */
export function report(parsed: ParsedManifest, path: JsonPath, code: DiagnosticCode, message: string, opts: ReportOptions = {}): ManifestDiagnostic {
  const d = diagnosticAt(parsed, path, code, opts.severity ?? CODES[code].severity, message, { prefer: opts.prefer, data: opts.data });
  if (d.range.end.line > d.range.start.line) {
    const node = nodeAt(parsed, path);
    const collection = path.length === 0 || isMap(node) || isSeq(node);
    if (collection) {
      const lineEnd = parsed.text.indexOf('\n', d.offset);
      const end = lineEnd < 0 ? parsed.text.length : lineEnd;
      d.length = Math.max(1, end - d.offset);
      d.range = rangeOf(parsed.lineCounter, d.offset, d.offset + d.length);
    }
  }
  return d;
}

/** `signature.inputs[0].shape` for ['signature','inputs',0,'shape']. */
export function fieldName(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || 'the manifest';
}

/**
 * The value for a message: texts in quotes, other scalars as written in the
 * file (so `1.0` stays `1.0`, not `1`), shortened.
 */
export function shown(parsed: ParsedManifest, path: JsonPath, value: unknown): string {
  const cut = (t: string): string => (t.length > 48 ? t.slice(0, 45) + '…' : t);
  if (typeof value === 'string') return cut(JSON.stringify(value));
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const node = nodeAt(parsed, path);
  if (node?.range) {
    const t = parsed.text.slice(node.range[0], node.range[1]).trim();
    if (t) return cut(t);
  }
  return cut(String(value));
}

export type { JsonPath, ParsedManifest };

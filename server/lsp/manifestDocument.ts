// One open document as the language services see it: its text, where it
// lives on disk, whether it is a manifest, and its parse — computed once per
// version and shared by every service.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest, type ParsedManifest } from '../manifest/parse';
import { recogniseManifest, type ManifestKind } from './recognise';
import { SectionedParser } from './sectionedParse';

/** Past this size a manifest is not parsed at all: no real one comes close. */
export const MAX_MANIFEST_BYTES = 1_000_000;

export interface ManifestDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly kind: ManifestKind;
  /** Absolute path for file: URIs; undefined for untitled documents. */
  readonly path: string | undefined;
  readonly dir: string | undefined;
  /** Too large or not text: services answer nothing and validation says why. */
  readonly unreadable: 'too-large' | 'binary' | undefined;
  /** The parse of `text`, made on first use. */
  readonly parsed: ParsedManifest;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

export interface Position {
  line: number;
  character: number;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) starts.push(k + 1);
  return starts;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function unreadableReason(text: string): ManifestDocument['unreadable'] {
  if (text.length > MAX_MANIFEST_BYTES) return 'too-large';
  // A NUL or a run of replacement characters means bytes that were never text.
  const head = text.slice(0, 8192);
  if (head.includes('\u0000') || (head.match(/\uFFFD/g)?.length ?? 0) > 8) return 'binary';
  return undefined;
}

/** `parser` reuses the parse of unchanged sections from the document's previous version. */
export function createManifestDocument(uri: string, version: number, text: string, parser?: SectionedParser): ManifestDocument {
  const path = uriToPath(uri);
  const unreadable = unreadableReason(text);
  let parsed: ParsedManifest | undefined;
  let starts: number[] | undefined;
  return {
    uri,
    version,
    text,
    path,
    dir: path === undefined ? undefined : dirname(path),
    kind: recogniseManifest(uri, text),
    unreadable,
    get parsed(): ParsedManifest {
      parsed ??= unreadable ? parseManifest('') : parser ? parser.parse(text) : parseManifest(text);
      return parsed;
    },
    // LSP characters are UTF-16 code units, as are JS string offsets.
    positionAt(offset: number): Position {
      starts ??= lineStarts(text);
      const o = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: o - starts[lo]! };
    },
    offsetAt(position: Position): number {
      starts ??= lineStarts(text);
      if (position.line >= starts.length) return text.length;
      const start = starts[Math.max(0, position.line)]!;
      const next = position.line + 1 < starts.length ? starts[position.line + 1]! - 1 : text.length;
      return Math.min(start + Math.max(0, position.character), next);
    },
  };
}

/** Keeps the latest ManifestDocument per uri, so a version is parsed once. */
export class ManifestDocuments {
  private readonly docs = new Map<string, { doc: ManifestDocument; parser: SectionedParser }>();

  get(uri: string, version: number, text: string): ManifestDocument {
    const known = this.docs.get(uri);
    if (known && known.doc.version === version && known.doc.text.length === text.length) return known.doc;
    const parser = known?.parser ?? new SectionedParser();
    const doc = createManifestDocument(uri, version, text, parser);
    this.docs.set(uri, { doc, parser });
    return doc;
  }

  delete(uri: string): void {
    this.docs.delete(uri);
  }
}

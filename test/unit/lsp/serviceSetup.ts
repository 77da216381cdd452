// Builds language-service fixtures: a document from text with a `|` caret,
// placed (without writing it) in a folder so relative paths resolve there.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver-types';
import { getLanguageService, type LanguageService } from '../../../server/lsp/languageService';
import { createManifestDocument, type ManifestDocument } from '../../../server/lsp/manifestDocument';
import { defaultSettings } from '../../../server/protocol/lsp';

export const SAMPLES = resolve(__dirname, '../../../samples');
export const settings = defaultSettings;

export interface Fixture {
  doc: ManifestDocument;
  /** Position of the `|` caret (the caret itself is removed from the text). */
  position: Position;
  offset: number;
}

/** Text with one `|` caret → the text without it and the caret's offset. */
export function caret(text: string): { text: string; offset: number } {
  const offset = text.indexOf('|');
  if (offset < 0) return { text, offset: -1 };
  if (text.indexOf('|', offset + 1) >= 0) throw new Error('fixture has more than one | caret');
  return { text: text.slice(0, offset) + text.slice(offset + 1), offset };
}

export interface Setup {
  service: LanguageService;
  /** A document named `name` in `dir` (default: the setup's folder). */
  doc(text: string, opts?: { dir?: string; name?: string; version?: number }): Fixture;
  /** A scratch folder with the given files, removed by cleanup(). */
  folder(files: Record<string, string>): string;
  cleanup(): void;
}

export function setupService(): Setup {
  const service = getLanguageService({ budgetMs: 5000 });
  const temps: string[] = [];
  return {
    service,
    doc(text, opts = {}) {
      const { text: clean, offset } = caret(text);
      const dir = opts.dir ?? join(SAMPLES, 'breast-cancer');
      const uri = pathToFileURL(join(dir, opts.name ?? 'model.yaml')).href;
      const doc = createManifestDocument(uri, opts.version ?? 1, clean);
      return { doc, offset, position: offset >= 0 ? doc.positionAt(offset) : { line: 0, character: 0 } };
    },
    folder(files) {
      const dir = mkdtempSync(join(tmpdir(), 'mg-lsp-'));
      temps.push(dir);
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      return dir;
    },
    cleanup() {
      for (const d of temps) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(doc: ManifestDocument, edits: { range: { start: Position; end: Position }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
  let text = doc.text;
  for (const e of sorted) text = text.slice(0, doc.offsetAt(e.range.start)) + e.newText + text.slice(doc.offsetAt(e.range.end));
  return text;
}

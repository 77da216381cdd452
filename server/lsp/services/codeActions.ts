// Code actions: quick fixes for the validator's diagnostics (a suggested
// key or value, a missing required field, the apiVersion/kind header, a value
// of the wrong type, a duplicate key) and
// rewrites that need the files (fill signature from the ONNX model,
// normalise label frequencies).
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import type { FileFacts } from '../fileFacts';
import type { ManifestDocument } from '../manifestDocument';
import type { JsonPath } from '../../manifest/parse';
import { manifestRefs, modelInfo } from '../manifestRefs';
import { diagnosticData } from '../toLsp';
import { yamlInline } from '../yamlText';
import { fillSignatureEdit } from './fillSignature';
import { insertEntry } from './insertEntry';
import { normaliseFrequenciesEdits } from './labelFrequencies';
import { locate } from '../locate';
import { schemaAt, typesOf } from '../schemaNav';
import { ADD_HEADER } from './validation';

/** Model checks that a fresh signature fixes. */
const SIGNATURE_CODES = new Set(['MG303', 'MG304', 'MG305', 'MG307', 'MG309', 'MG310']);

function action(
  doc: ManifestDocument,
  title: string,
  edits: TextEdit[],
  opts: { kind?: string; diagnostics?: Diagnostic[]; preferred?: boolean } = {},
): CodeAction {
  return {
    title,
    kind: opts.kind ?? CodeActionKind.QuickFix,
    diagnostics: opts.diagnostics,
    isPreferred: opts.preferred,
    edit: { changes: { [doc.uri]: edits } },
  };
}

function suggestionFix(doc: ManifestDocument, d: Diagnostic): CodeAction | undefined {
  const data = diagnosticData(d);
  const suggestion = data?.suggestion;
  if (suggestion === undefined || suggestion === null) return undefined;
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  // Only a key or a one-line value is replaced; a block is not what the suggestion names.
  if (end <= start || doc.text.slice(start, end).includes('\n')) return undefined;
  const newText = yamlInline(suggestion);
  return action(doc, `Change to ${newText}`, [{ range: d.range, newText }], { diagnostics: [d], preferred: true });
}

/**
 * A value of the wrong type (MG105), e.g. `maxBatchSize: "lots"`: the number
 * inside the text when there is one ("32 rows" → 32), else the field's default.
 */
function wrongTypeFix(doc: ManifestDocument, d: Diagnostic): CodeAction | undefined {
  const data = diagnosticData(d);
  if (d.code !== 'MG105' || !data || data.suggestion !== undefined) return undefined;
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  const text = doc.text.slice(start, end);
  if (end <= start || text.includes('\n')) return undefined;
  const s = schemaAt(data.path, undefined, doc.parsed.value);
  const types = s ? typesOf(s) : [];
  if (!types.includes('integer') && !types.includes('number')) return undefined;
  const inText = /-?\d+(?:\.\d+)?/.exec(text)?.[0];
  const fromText = inText !== undefined && (types.includes('number') || Number.isInteger(Number(inText))) ? Number(inText) : undefined;
  const value = fromText ?? (typeof s?.default === 'number' ? s.default : undefined);
  if (value === undefined) return undefined;
  const why = fromText !== undefined ? 'the number in the text' : 'the default';
  return action(doc, `Change to ${value} (${why})`, [{ range: d.range, newText: String(value) }], { diagnostics: [d], preferred: true });
}

/** A duplicate key (MG102): removes the second entry, with the lines nested under it. */
function duplicateKeyFix(doc: ManifestDocument, d: Diagnostic): CodeAction | undefined {
  if (d.code !== 'MG102') return undefined;
  const lines = doc.text.split('\n');
  const first = d.range.start.line;
  const line = lines[first];
  if (line === undefined) return undefined;
  const key = /^([ \t]*)(?:- )?([^:#]+?)[ \t]*:/.exec(line);
  if (!key) return undefined;
  const indent = key[1]!.length;
  let last = first;
  for (let i = first + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    if (/^[ \t]*/.exec(l)![0].length <= indent) break;
    last = i;
  }
  const range = { start: { line: first, character: 0 }, end: last + 1 < lines.length ? { line: last + 1, character: 0 } : doc.positionAt(doc.text.length) };
  return action(doc, `Remove the second "${key[2]!.trim()}" (line ${first + 1}); YAML keeps only one`, [{ range, newText: '' }], {
    diagnostics: [d],
    preferred: true,
  });
}

function missingFieldFix(doc: ManifestDocument, d: Diagnostic): CodeAction | undefined {
  const data = diagnosticData(d);
  if (!data || typeof data.missing !== 'string') return undefined;
  const edit = insertEntry(doc, data.path, data.missing);
  return edit && action(doc, `Add the missing required field ${data.missing}`, [edit], { diagnostics: [d], preferred: true });
}

function headerFix(doc: ManifestDocument, diagnostics: Diagnostic[]): CodeAction | undefined {
  const hasApi = /^apiVersion[ \t]*:/m.test(doc.text);
  const hasKind = /^kind[ \t]*:/m.test(doc.text);
  if (hasApi && hasKind) return undefined;
  // After a leading comment block, so a file's header comment stays first.
  const m = /^(?:[ \t]*(?:#.*)?\r?\n)*/.exec(doc.text);
  let at = m ? m[0].length : 0;
  if (at === doc.text.length && doc.text.length > 0 && !doc.text.endsWith('\n')) at = 0;
  const lines = [...(hasApi ? [] : ['apiVersion: modelgate/v1']), ...(hasKind ? [] : ['kind: Model'])];
  const p = doc.positionAt(at);
  const title = lines.length === 2 ? 'Add apiVersion and kind' : `Add ${hasApi ? 'kind' : 'apiVersion'}`;
  return action(doc, title, [{ range: { start: p, end: p }, newText: lines.join('\n') + '\n' }], { diagnostics, preferred: true });
}

/** Manifest paths at both ends of the range (or at the content of its line). */
function pathsAt(doc: ManifestDocument, range: Range): JsonPath[] {
  return [range.start, range.end].map((pos) => {
    const offset = doc.offsetAt(pos);
    const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
    const indent = /^[ \t-]*/.exec(doc.text.slice(lineStart, lineStart + 200))?.[0].length ?? 0;
    return (locate(doc, offset) ?? locate(doc, Math.max(offset, lineStart + indent)))?.path ?? [];
  });
}

const touches = (paths: JsonPath[], prefix: string[]): boolean => paths.some((p) => prefix.every((s, i) => p[i] === s));

export function createCodeActionService(facts: FileFacts, opts: { budgetMs: number } = { budgetMs: 200 }) {
  async function fillSignature(doc: ManifestDocument, related: Diagnostic[]): Promise<CodeAction | undefined> {
    const model = await modelInfo(doc, facts, opts.budgetMs);
    if (!model.value) return undefined;
    const refs = manifestRefs(doc);
    // Feature order comes from one header: the training set's (datasets list it first).
    const header = refs.datasets.length ? ((await facts.headers.get(refs.datasets[0]!, opts.budgetMs)).value ?? []) : [];
    const features = header.filter((c) => c !== refs.labelColumn);
    const edit = fillSignatureEdit(doc, model.value, features);
    if (!edit) return undefined;
    return action(doc, 'Fill signature from model', [edit], {
      kind: related.length ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite,
      diagnostics: related.length ? related : undefined,
    });
  }

  return {
    async codeActions(doc: ManifestDocument, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
      if (doc.kind === 'other' || doc.unreadable) return [];
      const ours = diagnostics.filter((d) => d.source === 'modelgate');
      const out: CodeAction[] = [];
      const headerDiags = ours.filter(
        (d) =>
          d.code === 'MG104' && (diagnosticData(d)?.fix === ADD_HEADER || /missing/.test(String(typeof d.message === 'string' ? d.message : d.message.value))),
      );
      if (doc.kind === 'candidate' || headerDiags.length) {
        const fix = headerFix(doc, headerDiags);
        if (fix) out.push(fix);
      }
      if (doc.kind !== 'manifest') return out;
      for (const d of ours) {
        const fix = missingFieldFix(doc, d) ?? suggestionFix(doc, d) ?? wrongTypeFix(doc, d) ?? duplicateKeyFix(doc, d);
        if (fix) out.push(fix);
      }
      const sigDiags = ours.filter((d) => SIGNATURE_CODES.has(String(d.code)));
      const paths = pathsAt(doc, range);
      if (sigDiags.length || touches(paths, ['signature']) || touches(paths, ['model'])) {
        const fix = await fillSignature(doc, sigDiags);
        if (fix) out.push(fix);
      }
      const freqDiags = ours.filter((d) => d.code === 'MG205');
      if (freqDiags.length || touches(paths, ['data', 'labelFrequencies'])) {
        const edits = normaliseFrequenciesEdits(doc);
        if (edits) out.push(action(doc, 'Normalise label frequencies', edits, { diagnostics: freqDiags.length ? freqDiags : undefined }));
      }
      return out;
    },
  };
}

export type CodeActionService = ReturnType<typeof createCodeActionService>;

// Completion: schema keys with their required children, enum values, and
// the names only the files know — the ONNX model's inputs and outputs, the
// datasets' columns, files next to the manifest.
import {
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver-types';
import { cursorContext, type CursorContext } from '../cursorContext';
import type { FileFacts } from '../fileFacts';
import type { ManifestDocument } from '../manifestDocument';
import { datasetColumns, manifestRefs, modelInfo } from '../manifestRefs';
import {
  childSchema,
  enumDocs,
  enumValues,
  isArraySchema,
  isObjectSchema,
  propertiesOf,
  requiredOf,
  schemaAt,
  typeLabel,
  typesOf,
  type SchemaNode,
} from '../schemaNav';
import { entryLines, escapeSnippet, indentLines, yamlString } from '../yamlText';
import { completePath } from './completionPaths';
import { CLASSIFICATION_METRICS, REGRESSION_METRICS } from '../../manifest/validators/gates';

export interface CompletionOptions {
  /** Longest a request waits for a file that was never read before. */
  budgetMs: number;
}

interface Request {
  doc: ManifestDocument;
  ctx: CursorContext;
  range: Range;
  facts: FileFacts;
  budgetMs: number;
  /** Set when a file was still loading: the client should ask again. */
  incomplete: boolean;
}

/** The path with indexes as `*`, for matching fields like `signature.inputs.*.name`. */
export function pathPattern(path: (string | number)[]): string {
  return path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');
}

const COLUMN_VALUES = new Set([
  'data.labelColumn',
  'data.validation.*.labelColumn',
  'signature.inputs.*.features.*',
  'gates.metrics.*.slice.column',
  'preprocessing.*.column',
]);
const INPUT_NAMES = new Set(['signature.inputs.*.name', 'preprocessing.*.input']);
const OUTPUT_NAMES = new Set(['signature.outputs.*.name', 'postprocessing.*.output']);
const CSV_PATHS = new Set(['data.training.*.path', 'data.validation.*.path', 'data.reference', 'data.current']);

function inComment(line: string): boolean {
  let quote: string | undefined;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (k === 0 || /\s/.test(line[k - 1]!))) return true;
  }
  return false;
}

function valueItem(r: Request, label: string, opts: { kind?: CompletionItemKind; detail?: string; doc?: string; sort?: string } = {}): CompletionItem {
  const text = (r.ctx.needsSpace ? ' ' : '') + yamlString(label, r.ctx.flow);
  return {
    label,
    kind: opts.kind ?? CompletionItemKind.Value,
    detail: opts.detail,
    documentation: opts.doc ? { kind: MarkupKind.Markdown, value: opts.doc } : undefined,
    textEdit: { range: r.range, newText: text },
    filterText: text.trimStart(),
    sortText: opts.sort,
  };
}

function keyItem(r: Request, key: string, lines: string[], opts: { detail?: string; doc?: string; sort?: string; kind?: CompletionItemKind }): CompletionItem {
  const { ctx } = r;
  let text: string;
  let snippet = true;
  if (ctx.colonFollows) {
    text = escapeSnippet(yamlString(key, ctx.flow));
    snippet = false;
  } else if (ctx.flow) text = `${escapeSnippet(yamlString(key, true))}: $1`;
  else text = indentLines(lines, ctx.column);
  return {
    label: key,
    kind: opts.kind ?? CompletionItemKind.Property,
    detail: opts.detail,
    documentation: opts.doc ? { kind: MarkupKind.Markdown, value: opts.doc } : undefined,
    textEdit: { range: r.range, newText: snippet ? text : yamlString(key, ctx.flow) },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.asIs,
    filterText: key,
    sortText: opts.sort,
  };
}

async function columnItems(r: Request, firstDataset?: string): Promise<CompletionItem[]> {
  const { columns, pending } = await datasetColumns(r.doc, r.facts, r.budgetMs, firstDataset);
  if (pending) r.incomplete = true;
  const taken = new Set(r.ctx.siblings);
  return columns
    .filter((c) => !taken.has(c))
    .map((c, i) =>
      valueItem(r, c, {
        kind: CompletionItemKind.Field,
        detail: 'dataset column',
        sort: String(i).padStart(5, '0'),
      }),
    );
}

async function keyItems(r: Request): Promise<CompletionItem[]> {
  const pattern = pathPattern(r.ctx.path);
  const taken = new Set(r.ctx.siblings);
  if (pattern === 'staleness.drift.features') {
    const { columns, pending } = await datasetColumns(r.doc, r.facts, r.budgetMs);
    if (pending) r.incomplete = true;
    return columns
      .filter((c) => !taken.has(c))
      .map((c, i) =>
        keyItem(r, c, [`${yamlString(c)}:`, '  threshold: $1'], { kind: CompletionItemKind.Field, detail: 'dataset column', sort: String(i).padStart(5, '0') }),
      );
  }
  if (pattern === 'data.labelFrequencies') {
    return manifestRefs(r.doc)
      .classLabels.filter((c) => !taken.has(c))
      .map((c, i) => keyItem(r, c, [`${yamlString(c)}: $1`], { kind: CompletionItemKind.EnumMember, detail: 'class label', sort: String(i).padStart(5, '0') }));
  }
  const parent = schemaAt(r.ctx.path, undefined, r.doc.parsed.value);
  if (isArraySchema(parent) && !r.ctx.flow) return newItem(r, childSchema(parent!, 0));
  const props = propertiesOf(parent);
  const required = new Set(requiredOf(parent));
  return Object.entries(props)
    .filter(([k]) => !taken.has(k))
    .map(([key, s]) =>
      keyItem(r, key, entryLines(key, s, 'snippet'), {
        // Details are shown as plain text: no markdown code marks.
        detail: typeLabel(s).replace(/`/g, '') + (required.has(key) ? ' (required)' : ''),
        doc: s.description,
        sort: (required.has(key) ? '0' : '1') + key,
      }),
    );
}

/** On an empty line under a list of objects: a new `- ` item with its required fields. */
function newItem(r: Request, item: SchemaNode | undefined): CompletionItem[] {
  const required = requiredOf(item);
  if (!item || !isObjectSchema(item) || !required.length) return [];
  const props = propertiesOf(item);
  const stops = { n: 0 };
  const lines = required.flatMap((k) => entryLines(k, props[k], 'snippet', stops, 1)).map((l, i) => (i === 0 ? '- ' : '  ') + l);
  return [keyItem(r, '- (new item)', lines, { kind: CompletionItemKind.Snippet, detail: `new item with ${required.join(', ')}`, doc: item.description })];
}

async function valueItems(r: Request): Promise<CompletionItem[]> {
  const pattern = pathPattern(r.ctx.path);
  if (INPUT_NAMES.has(pattern) || OUTPUT_NAMES.has(pattern)) {
    const model = await modelInfo(r.doc, r.facts, r.budgetMs);
    if (model.pending) r.incomplete = true;
    const tensors = INPUT_NAMES.has(pattern) ? model.value?.inputs : model.value?.outputs;
    return (tensors ?? []).map((t, i) =>
      valueItem(r, t.name, {
        kind: CompletionItemKind.Variable,
        detail: `${t.dtype} [${t.shape.join(', ')}]`,
        doc: `${INPUT_NAMES.has(pattern) ? 'Input' : 'Output'} of \`${model.path}\``,
        sort: String(i).padStart(3, '0'),
      }),
    );
  }
  if (COLUMN_VALUES.has(pattern)) {
    const validation = r.ctx.path[0] === 'data' && r.ctx.path[1] === 'validation' ? datasetPathAt(r.doc, r.ctx.path.slice(0, 3)) : undefined;
    return columnItems(r, validation);
  }
  if (pattern === 'gates.metrics.*.class') {
    return manifestRefs(r.doc).classLabels.map((c) => valueItem(r, c, { kind: CompletionItemKind.EnumMember, detail: 'class label' }));
  }
  if (pattern === 'model.artifact' || CSV_PATHS.has(pattern)) {
    const out = await completePath(r.doc, r.facts, r.ctx, r.range, pattern === 'model.artifact' ? '.onnx' : '.csv', r.budgetMs);
    if (out.pending) r.incomplete = true;
    return out.items;
  }
  const s = schemaAt(r.ctx.path, undefined, r.doc.parsed.value);
  if (!s) return [];
  const docs = enumDocs(s);
  const values = METRIC_FIELDS.has(pattern) ? metricsForTask(enumValues(s), taskOf(r.doc)) : enumValues(s);
  const items = values.map((v) => valueItem(r, v, { kind: CompletionItemKind.EnumMember, doc: docs.get(v), detail: s.default === v ? 'default' : undefined }));
  if (typesOf(s).includes('boolean')) items.push(...['true', 'false'].map((v) => valueItem(r, v, { kind: CompletionItemKind.Keyword })));
  return items;
}

const METRIC_FIELDS = new Set(['gates.metrics.*.metric', 'gates.maxRegression.*.metric']);

function taskOf(doc: ManifestDocument): string | undefined {
  const model = (doc.parsed.value as { model?: { task?: unknown } } | null)?.model;
  return typeof model?.task === 'string' ? model.task : undefined;
}

/** Only the metrics of the model's task: a classifier is not offered MAE. */
function metricsForTask(values: string[], task: string | undefined): string[] {
  const own: readonly string[] | undefined = task === 'classification' ? CLASSIFICATION_METRICS : task === 'regression' ? REGRESSION_METRICS : undefined;
  return own ? values.filter((v) => own.includes(v)) : values;
}

function datasetPathAt(doc: ManifestDocument, path: (string | number)[]): string | undefined {
  let v: unknown = doc.parsed.value;
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  const p = v && typeof v === 'object' ? (v as Record<string, unknown>).path : undefined;
  return typeof p === 'string' ? p : undefined;
}

export function createCompletionService(facts: FileFacts, opts: CompletionOptions = { budgetMs: 100 }) {
  return {
    async complete(doc: ManifestDocument, position: Position): Promise<CompletionList> {
      if (doc.kind === 'other' || doc.unreadable) return { isIncomplete: false, items: [] };
      const offset = doc.offsetAt(position);
      const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
      if (inComment(doc.text.slice(lineStart, offset))) return { isIncomplete: false, items: [] };
      const ctx = cursorContext(doc.text, offset);
      const range = { start: doc.positionAt(ctx.replaceStart), end: doc.positionAt(ctx.replaceEnd) };
      const r: Request = { doc, ctx, range, facts, budgetMs: opts.budgetMs, incomplete: false };
      const items = ctx.kind === 'key' ? await keyItems(r) : await valueItems(r);
      return { isIncomplete: r.incomplete, items };
    },
  };
}

export type CompletionService = ReturnType<typeof createCompletionService>;

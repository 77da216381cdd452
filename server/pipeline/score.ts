// Bulk scoring of a CSV file through the serving path (same servable, same
// adaptive batcher, the manifest's pre/post-processing): rows stream in, the
// predictions stream out with a row id, in batches, with progress and
// cancel. One job for every door: `modelgate score`, the editor's "Score a
// CSV file" (modelgate/score) and the tests, so they write the same bytes.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse';
import { loadManifest } from '../manifest/load';
import { resolveDataPath } from '../manifest/dataset';
import { rawRowsFromCells, type ProcessingPlan } from '../manifest/processing';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';
import type { ScoreRequest } from '../protocol/lsp';
import { loadServable } from '../serving/loadServable';
import { ServingMetrics } from '../serving/metrics';
import { predictionColumns } from '../serving/predictionColumns';

/** Scoring could not finish: the input, a row or the output is the problem (the message says which, and where). */
export class ScoreError extends ModelGateError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, 2, hint);
  }
}

export interface ScoreProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ScoreOptions {
  /** CSV with a header row holding the model's feature columns. */
  input: string;
  /** Where the predictions go (replaced if it exists; removed again when scoring fails). */
  output: string;
  /** Rows per inference (default 256). */
  batchSize?: number;
  /** Input column copied to the output to identify rows (default: "id" if present, else a 1-based "row" number). */
  idColumn?: string;
  /** Leave out rows holding a cell the model cannot take as a number, and count them, instead of failing on the first. */
  skipInvalid?: boolean;
  signal?: AbortSignal;
  /** After each batch written. */
  onProgress?: (p: ScoreProgress) => void;
}

/** What a scoring job answers; the editor receives exactly this (ScoreRequest.Result). */
export type ScoreResult = ScoreRequest.Result;

export const DEFAULT_BATCH_SIZE = 256;
const FIRST_SKIPPED = 10;

/** Where the predictions of `input` go by default: next to it, `x.csv` → `x.scored.csv`. */
export function scoredPath(input: string): string {
  return join(dirname(input), `${basename(input).replace(/\.csv$/i, '')}.scored.csv`);
}

/** The manifest's first local validation dataset: what the editor scores when the user picks no file. */
export async function validationInput(manifestPath: string): Promise<string> {
  const loaded = await loadManifest(manifestPath, { semantic: false });
  const sets = loaded.manifest.data?.validation ?? [];
  const local = sets.find((s) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(s.path));
  if (!local) {
    throw new ScoreError(
      'MG211',
      `${loaded.path} names no local validation data (data.validation) to score`,
      'Pick a CSV file to score, or add data.validation with a local path to the manifest.',
    );
  }
  return resolveDataPath(dirname(loaded.path), local.path);
}

export function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Why a row cannot be scored (a numeric feature that is not a number), or undefined when it can. */
export function invalidCell(plan: ProcessingPlan, raw: Float64Array[], r: number, record: string[], columnIndex: Map<string, number>): string | undefined {
  for (let k = 0; k < plan.inputs.length; k++) {
    const input = plan.inputs[k]!;
    const w = input.rawWidth;
    for (let c = 0; c < w; c++) {
      const v = raw[k]![r * w + c]!;
      if (v === v || input.categorical.get(c) !== undefined) continue;
      const feature = input.features[c]!;
      return `column "${feature}" is ${JSON.stringify(record[columnIndex.get(feature)!])}, not a number`;
    }
  }
  return undefined;
}

/** The header's column of each feature and of the row id; ScoreError MG204 when a feature column or the id column is missing. */
export function inputColumns(
  plan: ProcessingPlan,
  header: string[],
  input: string,
  idColumn: string | undefined,
): { columnIndex: Map<string, number>; idIndex: number; idName: string } {
  const columnIndex = new Map(header.map((c, i) => [c, i]));
  const missing = plan.inputs.flatMap((i) => i.features).filter((f) => !columnIndex.has(f));
  if (missing.length)
    throw new ScoreError(
      'MG204',
      `${input} lacks the model's feature column(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}; its columns are: ${header.slice(0, 20).join(', ')}`,
    );
  if (idColumn !== undefined) {
    const idIndex = header.indexOf(idColumn);
    if (idIndex < 0) throw new ScoreError('MG204', `--id-column ${idColumn} is not a column of ${input}; its columns are: ${header.slice(0, 20).join(', ')}`);
    return { columnIndex, idIndex, idName: idColumn };
  }
  if (header.includes('id')) return { columnIndex, idIndex: header.indexOf('id'), idName: 'id' };
  return { columnIndex, idIndex: -1, idName: 'row' };
}

/**
 * Scores `opts.input` with the manifest's model and writes `opts.output`.
 * Loading problems throw as loading does (ManifestError, ModelLoadError);
 * problems with the data or the output throw ScoreError; a cancelled run
 * throws ScoreError with the `cancelled` code. Never leaves a half-written output.
 */
export async function scoreCsv(manifestPath: string, opts: ScoreOptions): Promise<ScoreResult> {
  const { input, output } = opts;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ScoreError('MG202', `batch size ${batchSize} is not a positive whole number`);
  let totalBytes: number;
  try {
    totalBytes = (await stat(input)).size;
  } catch (err) {
    throw new ScoreError(
      'MG201',
      `cannot read ${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (err as Error).message}`,
    );
  }
  const servable = await loadServable(manifestPath, { metrics: new ServingMetrics({ defaultMetrics: false }), maxInstancesPerRequest: Infinity });
  // from the first row, not from loading: the rate is the scoring rate
  const started = performance.now();
  const plan = servable.plan;
  const cols = predictionColumns(servable);
  const source = createReadStream(input);
  const parser = source.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false, info: true }));
  const sink = createWriteStream(output);
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  let header: string[] | undefined;
  let columnIndex = new Map<string, number>();
  let idIndex = -1;
  let idName = 'row';
  let batch: string[][] = [];
  let lines: number[] = [];
  let rows = 0;
  // Row numbers count data rows as read, skipped ones too, so "row" ids match the file.
  let read = 0;
  let ids: string[] = [];
  const skipped: ScoreResult['skipped'] = { count: 0, first: [] };
  const flush = async () => {
    if (batch.length === 0) return;
    let raw = rawRowsFromCells(plan, batch, (f) => columnIndex.get(f)!);
    const bad: number[] = [];
    for (let r = 0; r < batch.length; r++) {
      const why = invalidCell(plan, raw, r, batch[r]!, columnIndex);
      if (!why) continue;
      if (!opts.skipInvalid) {
        throw new ScoreError(
          'MG212',
          `${input}:${lines[r]}: ${why}; fix or drop the row (the model cannot score missing values)`,
          'Fix the cell, or leave such rows out (modelgate score --skip-invalid).',
        );
      }
      bad.push(r);
      skipped.count++;
      if (skipped.first.length < FIRST_SKIPPED) skipped.first.push({ line: lines[r]!, reason: why });
    }
    if (bad.length) {
      const keep = (_: unknown, r: number) => !bad.includes(r);
      batch = batch.filter(keep);
      ids = ids.filter(keep);
      raw = rawRowsFromCells(plan, batch, (f) => columnIndex.get(f)!);
    }
    if (batch.length) {
      const slice = await servable.predict(raw, batch.length);
      let text = '';
      for (let r = 0; r < batch.length; r++) text += [ids[r]!, ...cols.row(servable, slice.out, slice.offset + r)].map(csvField).join(',') + '\n';
      await write(text);
      rows += batch.length;
    }
    batch = [];
    lines = [];
    ids = [];
    opts.onProgress?.({ rows, bytesRead: source.bytesRead, totalBytes });
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (opts.signal?.aborted) throw new ScoreError(ERROR_CODES.cancelled, `scoring ${input} was cancelled; ${output} was not written`);
      if (!header) {
        header = record;
        ({ columnIndex, idIndex, idName } = inputColumns(plan, header, input, opts.idColumn));
        await write([idName, ...cols.header].map(csvField).join(',') + '\n');
        continue;
      }
      read++;
      batch.push(record);
      lines.push(info.lines);
      ids.push(idIndex >= 0 ? record[idIndex]! : String(read));
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if (!header) throw new ScoreError('MG202', `${input} is empty: it needs a header row and data rows`);
    sink.end();
    await once(sink, 'finish');
  } catch (err) {
    source.destroy();
    // no half-written predictions file left behind
    sink.on('error', () => undefined);
    sink.destroy();
    await unlink(output).catch(() => undefined);
    await servable.unload();
    if (err instanceof ScoreError) throw err;
    const e = err as Error & { lines?: number };
    throw new ScoreError('MG202', `cannot score ${input}${e.lines ? ` (line ${e.lines})` : ''}: ${e.message}`);
  }
  await servable.unload();
  return {
    model: { name: servable.name, version: servable.version },
    input,
    output,
    columns: [idName, ...cols.header],
    rows,
    skipped,
    seconds: (performance.now() - started) / 1000,
  };
}

// Reads the CSV datasets a manifest points at. Paths resolve relative to the
// manifest; URIs are recorded but never fetched.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { probeCsv } from './csvProbe';

export interface Table {
  path: string;
  columns: string[];
  rows: string[][];
}

export class DatasetError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

export function isUri(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p);
}

export function resolveDataPath(manifestDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(manifestDir, p);
}

/** Reads a whole CSV with a header row. Ragged rows and a missing header are errors with a line number. */
export async function readTable(path: string, opts: { maxRows?: number } = {}): Promise<Table> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DatasetError(`cannot read dataset ${path}: ${e.code === 'ENOENT' ? 'the file does not exist' : e.message}`, path);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, to: opts.maxRows ? opts.maxRows + 1 : undefined }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new DatasetError(`cannot parse CSV ${path}${e.lines ? ` at line ${e.lines}` : ''}: ${e.message}. Every row needs as many fields as the header.`, path);
  }
  const header = records[0];
  if (!header || header.length === 0) throw new DatasetError(`dataset ${path} is empty: it needs a header row naming the columns`, path);
  if (header.every((h) => h.trim() !== '' && !Number.isNaN(Number(h)))) {
    throw new DatasetError(`dataset ${path} has no header row (the first row is all numbers): add a first line with the column names`, path);
  }
  return { path, columns: header, rows: records.slice(1) };
}

/**
 * Only the header of a CSV, from the first 64 KB of the file (cached by
 * path + mtime), so a huge dataset costs no more than a small one.
 */
export async function readHeader(path: string): Promise<string[]> {
  let probe;
  try {
    probe = await probeCsv(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DatasetError(`cannot read dataset ${path}: ${e.code === 'ENOENT' ? 'the file does not exist' : e.message}`, path);
  }
  // A ragged row further down does not make the header unusable.
  if (probe.problem && probe.problem.kind !== 'ragged') throw new DatasetError(`dataset ${path} ${probe.problem.message}`, path);
  return probe.columns;
}

/** The listed columns as numbers (NaN for empty or non-numeric cells), row-major in one Float64Array. */
export function numericMatrix(table: Table, columns: string[]): Float64Array {
  const idx = columns.map((c) => {
    const i = table.columns.indexOf(c);
    if (i < 0) throw new DatasetError(`dataset ${table.path} has no column "${c}"; its columns are: ${table.columns.join(', ')}`, table.path);
    return i;
  });
  const out = new Float64Array(table.rows.length * columns.length);
  let k = 0;
  for (const row of table.rows) {
    for (const i of idx) {
      const cell = row[i];
      out[k++] = cell === undefined || cell.trim() === '' ? Number.NaN : Number(cell);
    }
  }
  return out;
}

export function column(table: Table, name: string): string[] {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new DatasetError(`dataset ${table.path} has no column "${name}"; its columns are: ${table.columns.join(', ')}`, table.path);
  return table.rows.map((r) => r[i] ?? '');
}

// Reads the CSV datasets a manifest points at. Paths resolve relative to the
// manifest; URIs are recorded but never fetched.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { delimiterProblem, probeCsv } from './csvProbe';

export interface Table {
  path: string;
  columns: string[];
  rows: string[][];
  /** File line (1-based, the header is line 1) where each row starts; absent for tables not read from a file. */
  lines?: Int32Array;
}

/** The file line (1-based, header = 1) of data row `row`, for messages that point into the CSV. */
export function fileLine(table: Table, row: number): number {
  return table.lines?.[row] ?? row + 2;
}

export class DatasetError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
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

/**
 * Each table's columns parsed to numbers once (Number(cell), NaN for a blank
 * cell), column-major: drift, metrics and warm-up all read the same cells.
 */
const numericCache = new WeakMap<Table, (Float64Array | undefined)[]>();

/** Column `index` of `table` as numbers: Number(cell), NaN for blank or absent cells. Cached per table. */
export function numericColumn(table: Table, index: number): Float64Array {
  let cols = numericCache.get(table);
  if (!cols) numericCache.set(table, (cols = []));
  let col = cols[index];
  if (col) return col;
  const rows = table.rows;
  col = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) col[r] = parseCell(rows[r]![index]);
  cols[index] = col;
  return col;
}

function parseCell(cell: string | undefined): number {
  if (cell === undefined) return Number.NaN;
  const v = +cell;
  // +'' and +'  ' are 0, but a blank cell has no value
  return v === 0 && cell.trim() === '' ? Number.NaN : v;
}

/**
 * Well-formed files (no quotes, \n or \r\n line ends, every row as wide as
 * the header) are split directly, parsing each cell to a number while it is
 * hot; csv-parse's per-record machinery costs ~5× more. Anything else returns
 * undefined and goes through csv-parse, which also words the errors.
 */
function readSimpleCsv(text: string, maxRows: number | undefined): { records: string[][]; numeric: Float64Array[]; lines: Int32Array } | undefined {
  if (text.includes('"')) return undefined;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const records: string[][] = [];
  const limit = maxRows === undefined ? Infinity : maxRows + 1;
  let width = -1;
  let cols: Float64Array[] = [];
  let lines = new Int32Array(1024);
  let lineNo = 0;
  let n = 0;
  while (start < text.length && records.length < limit) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = text.slice(start, lineEnd);
    start = end + 1;
    lineNo++;
    if (line.length === 0) continue;
    if (line.includes('\r')) return undefined;
    const cells = line.split(',');
    if (width < 0) {
      width = cells.length;
      cols = Array.from({ length: width }, () => new Float64Array(1024));
    } else if (cells.length !== width) {
      return undefined;
    } else {
      if (n === cols[0]!.length) {
        cols = cols.map((c) => {
          const grown = new Float64Array(c.length * 2);
          grown.set(c);
          return grown;
        });
        const grown = new Int32Array(lines.length * 2);
        grown.set(lines);
        lines = grown;
      }
      for (let c = 0; c < width; c++) cols[c]![n] = parseCell(cells[c]);
      lines[n] = lineNo;
      n++;
    }
    records.push(cells);
  }
  return { records, numeric: cols.map((c) => c.subarray(0, n)), lines: lines.subarray(0, n) };
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
  const simple = readSimpleCsv(text, opts.maxRows);
  if (simple) {
    const table = tableOf(path, simple.records);
    table.lines = simple.lines;
    numericCache.set(table, simple.numeric);
    return table;
  }
  let records: string[][];
  const ends: number[] = [];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      to: opts.maxRows ? opts.maxRows + 1 : undefined,
      // context.lines is the line a record ends on; a quoted cell may span lines
      on_record: (record: string[], context: { lines: number }) => {
        ends.push(context.lines);
        return record;
      },
    }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    const delimiter = delimiterProblem([
      text
        .slice(0, Math.max(0, text.indexOf('\n')))
        .replace(/^\uFEFF/, '')
        .replace(/\r$/, ''),
    ]);
    if (delimiter && !text.slice(0, text.indexOf('\n')).includes(',')) throw new DatasetError(`dataset ${path} ${delimiter}`, path);
    throw new DatasetError(
      `cannot parse CSV ${path}${e.lines ? ` at line ${e.lines}` : ''}: ${e.message}. Every row needs as many fields as the header.`,
      path,
    );
  }
  const table = tableOf(path, records);
  const lines = new Int32Array(table.rows.length);
  for (let r = 0; r < lines.length; r++) {
    let inside = 0;
    for (const cell of table.rows[r]!) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) inside++;
    lines[r] = (ends[r + 1] ?? r + 2) - inside;
  }
  table.lines = lines;
  return table;
}

function tableOf(path: string, records: string[][]): Table {
  const header = records[0];
  if (!header || header.length === 0) throw new DatasetError(`dataset ${path} is empty: it needs a header row naming the columns`, path);
  if (header.every((h) => h.trim() !== '' && !Number.isNaN(Number(h)))) {
    throw new DatasetError(`dataset ${path} has no header row (the first row is all numbers): add a first line with the column names`, path);
  }
  const delimiter = delimiterProblem(header);
  if (delimiter) throw new DatasetError(`dataset ${path} ${delimiter}`, path);
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
  const n = table.rows.length;
  const w = columns.length;
  const out = new Float64Array(n * w);
  idx.forEach((i, c) => {
    const col = numericColumn(table, i);
    for (let r = 0; r < n; r++) out[r * w + c] = col[r]!;
  });
  return out;
}

export function column(table: Table, name: string): string[] {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new DatasetError(`dataset ${table.path} has no column "${name}"; its columns are: ${table.columns.join(', ')}`, table.path);
  return table.rows.map((r) => r[i] ?? '');
}

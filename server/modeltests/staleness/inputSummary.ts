// An input tested as a whole (`staleness.drift.inputs.<name>.perFeature:
// false`): image pixels and embedding dimensions mean little one by one,
// and thousands of per-feature tests mostly measure noise. Each row of the
// input is reduced to three numbers (server/stats/rowSummary.ts) — its
// mean, its standard deviation, and its distance to the reference centroid
// — and those three columns are drift-tested like features. A brightness
// or contrast change moves the first two; a shift in any direction of the
// feature space moves the third.
import { numericColumn, type Table } from '../../manifest/dataset';
import { ROW_SUMMARIES, summarizeRow, type RowSummary } from '../../stats/rowSummary';
import type { ColumnValues } from './columnValues';
import { sortFloat64 } from './sortFloat64';

export interface SummarizedInput {
  input: string;
  features: string[];
}

/** The drift-table name of one summary column, e.g. `image: row mean`. */
export function summaryName(input: string, statistic: RowSummary): string {
  return `${input}: ${statistic}`;
}

/** Column indices of `features` in the table; the names missing from it. */
export function columnIndices(table: Table, features: readonly string[]): { indices: number[]; missing: string[] } {
  const at = new Map(table.columns.map((c, i) => [c, i]));
  const indices: number[] = [];
  const missing: string[] = [];
  for (const f of features) {
    const i = at.get(f);
    if (i === undefined) missing.push(f);
    else indices.push(i);
  }
  return { indices, missing };
}

/** The input's columns of a table as one row-major matrix (NaN where a cell is not a number). */
export function inputMatrix(table: Table, indices: readonly number[]): Float64Array {
  const cols = indices.map((i) => numericColumn(table, i));
  const rows = table.rows.length;
  const width = cols.length;
  const m = new Float64Array(rows * width);
  for (let j = 0; j < width; j++) {
    const c = cols[j]!;
    for (let r = 0; r < rows; r++) m[r * width + j] = c[r]!;
  }
  return m;
}

/**
 * The three summary columns of an input (its `inputMatrix`, rows × width), as
 * drift columns. A row with any missing or non-numeric feature is a missing
 * value of each.
 */
export function summaryColumns(m: Float64Array, rows: number, width: number, center: Float64Array): Record<RowSummary, ColumnValues> {
  const out = ROW_SUMMARIES.map(() => new Float64Array(rows));
  const row = new Float64Array(3);
  const n = [0, 0, 0];
  for (let r = 0; r < rows; r++) {
    if (!summarizeRow(m, r * width, width, center, row)) continue;
    // a centroid of NaN (no complete reference row) leaves the distances missing
    for (let k = 0; k < 3; k++) if (row[k]! - row[k]! === 0) out[k]![n[k]!++] = row[k]!;
  }
  const column = (k: number): ColumnValues => ({ rows, missing: rows - n[k]!, numeric: sortFloat64(out[k]!.slice(0, n[k]!)), text: null });
  return { 'row mean': column(0), 'row standard deviation': column(1), 'distance to the reference centroid': column(2) };
}

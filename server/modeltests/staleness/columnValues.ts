// One dataset column prepared for drift tests: missing cells counted and
// set aside, numbers parsed and sorted once when every present cell is a
// number, strings kept otherwise.
import { MISSING_CELL_WORDS } from '../../manifest/cellValue';
import { numericColumn, type Table } from '../../manifest/dataset';
import { sortFloat64 } from './sortFloat64';

/** Cells that mean "no value" (compared trimmed and case-insensitively): an empty cell and the words lint and metrics use. */
export const MISSING_TOKENS = ['', ...MISSING_CELL_WORDS];
const MISSING = new Set(MISSING_TOKENS);

export interface ColumnValues {
  /** Rows in the dataset. */
  rows: number;
  /** Cells holding no value. */
  missing: number;
  /** Sorted present values when every present cell is a finite number, else null. */
  numeric: Float64Array | null;
  /** Present cells as text, only when the column is not numeric. */
  text: string[] | null;
}

export function isMissingCell(cell: string | undefined): boolean {
  if (cell === undefined) return true;
  const t = cell.trim();
  // Fast path: every missing word is at most 4 characters long.
  return t.length === 0 || (t.length <= 4 && MISSING.has(t.toLowerCase()));
}

/**
 * Column `index` of a table, from its cached numeric parse (one pass per
 * table, shared with the metrics suite); the cell text is looked at only
 * where the number is not finite (missing tokens, words).
 */
export function readTableColumn(table: Table, index: number): ColumnValues {
  const nums = numericColumn(table, index);
  const n = nums.length;
  const values = new Float64Array(n);
  let present = 0;
  let missing = 0;
  for (let r = 0; r < n; r++) {
    const v = nums[r]!;
    if (v - v === 0) {
      values[present++] = v;
      continue;
    }
    if (isMissingCell(table.rows[r]![index])) {
      missing++;
      continue;
    }
    return readColumn(table.rows, index);
  }
  return { rows: n, missing, numeric: sortFloat64(values.subarray(0, present)), text: null };
}

/** Reads column `index` of `rows` (a CSV's cells). */
export function readColumn(rows: readonly (readonly string[])[], index: number): ColumnValues {
  const n = rows.length;
  const values = new Float64Array(n);
  let present = 0;
  let missing = 0;
  let numeric = true;
  for (let r = 0; r < n; r++) {
    const cell = rows[r]![index];
    // Fast path: parse first and only look closer at what did not parse or
    // parsed to 0 (Number('') and Number('  ') are 0, but they are missing).
    const v = cell === undefined ? Number.NaN : +cell;
    if (v - v === 0 && (v !== 0 || !isMissingCell(cell))) {
      values[present++] = v;
      continue;
    }
    if (isMissingCell(cell)) {
      missing++;
      continue;
    }
    numeric = false;
    break;
  }
  // Every kept value is finite: sort in place (typed-array sort is numeric).
  if (numeric) return { rows: n, missing, numeric: sortFloat64(values.subarray(0, present)), text: null };
  const text: string[] = [];
  missing = 0;
  for (let r = 0; r < n; r++) {
    const cell = rows[r]![index];
    if (isMissingCell(cell)) missing++;
    else text.push(cell!.trim());
  }
  return { rows: n, missing, numeric: null, text };
}

export function presentCount(c: ColumnValues): number {
  return c.rows - c.missing;
}

/** Distinct present values across both columns, counting no further than `cap`. */
export function distinctValues(a: ColumnValues, b: ColumnValues, cap: number): number {
  if (a.numeric && b.numeric) return distinctSortedPair(a.numeric, b.numeric, cap);
  const seen = new Set<string>();
  for (const col of [a, b]) {
    for (const v of categoriesOf(col)) {
      seen.add(v);
      if (seen.size > cap) return seen.size;
    }
  }
  return seen.size;
}

function distinctSortedPair(a: Float64Array, b: Float64Array, cap: number): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    count++;
    if (count > cap) return count;
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
  }
  return count;
}

/**
 * Present values as category names. Numbers are normalised so "1.0" and "1"
 * are one category, also in a text column that mixes numbers and words.
 */
export function categoriesOf(c: ColumnValues): Iterable<string> {
  const text = c.text;
  if (text) {
    return (function* () {
      for (const t of text) {
        const v = Number(t);
        yield Number.isFinite(v) ? String(v) : t;
      }
    })();
  }
  const nums = c.numeric!;
  return (function* () {
    for (let i = 0; i < nums.length; i++) yield String(nums[i]);
  })();
}

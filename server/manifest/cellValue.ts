// Why a CSV cell cannot be read as a number. The tests parse a numeric
// feature with Number(cell) (a blank cell has no value); lint and the
// tests' row accounting word the same rule the same way.

/** Cells that people write for "no value" (compared trimmed, case-insensitively); lint, metrics and drift share them. */
export const MISSING_CELL_WORDS: readonly string[] = ['na', 'n/a', 'nan', 'null', 'none', '-', '?'];
const MISSING = new Set(MISSING_CELL_WORDS);

/** Undefined when `cell` is a finite number as the tests read it, else why not (e.g. `marked missing`). */
export function numberCellProblem(cell: string | undefined): string | undefined {
  if (cell === undefined) return 'no cell: the row is shorter than the header';
  const v = +cell;
  // fast path: a finite number that is not 0 (+'' and +'  ' are 0 too)
  if (v - v === 0 && v !== 0) return undefined;
  const t = cell.trim();
  if (t === '') return 'empty cell';
  if (v - v === 0) return undefined;
  if (MISSING.has(t.toLowerCase())) return 'marked missing, not a number';
  if (v === Infinity || v === -Infinity) return 'not a finite number';
  return 'not a number';
}

/** A cell for a message: quoted, cut to 40 characters. */
export function cellText(cell: string | undefined): string {
  if (cell === undefined) return '(none)';
  return JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}…` : cell);
}

// Row accounting for a dataset a gate uses: rows read, used and dropped,
// and the first dropped rows with the file line, column, cell and why, so
// a report never hides that a gate was computed on a fraction of the data.
import { numberCellProblem } from '../manifest/cellValue';
import { fileLine, type Table } from '../manifest/dataset';
import type { DatasetUse, SuiteId } from '../protocol/report';
import { displayPath } from './suite';

/** Dropped rows kept with their reason in a report (the count covers all of them). */
export const MAX_DROP_REASONS = 5;

/** One dropped table row: which column made it unusable and, when not a number problem, why. */
export interface RowDrop {
  /** Table row index (0 = first data row). */
  row: number;
  column: string;
  /** Default: why the cell is not a number. */
  why?: string;
}

export interface UseSpec {
  suite: SuiteId;
  role: string;
  table: Table;
  rowsUsed: number;
  rowsDropped: number;
  /** The first dropped rows, any order; only the first MAX_DROP_REASONS by row are kept. */
  drops: RowDrop[];
}

export function datasetUse(spec: UseSpec): DatasetUse {
  const { table } = spec;
  const first = [...spec.drops].sort((a, b) => a.row - b.row).slice(0, MAX_DROP_REASONS);
  return {
    role: spec.role,
    path: displayPath(table.path),
    rowsRead: table.rows.length,
    rowsUsed: spec.rowsUsed,
    rowsDropped: spec.rowsDropped,
    dropped: first.map((d) => {
      const i = table.columns.indexOf(d.column);
      const value = i < 0 ? '' : table.rows[d.row]?.[i];
      return { line: fileLine(table, d.row), column: d.column, value: value ?? '', why: d.why ?? numberCellProblem(value) ?? 'not usable' };
    }),
    suite: spec.suite,
  };
}

/**
 * The first `n` dropped rows for a message, rows with the same column, cell
 * and reason together: `data/v.csv:3 (also lines 4, 5) column "mean radius"
 * = "n/a" (marked missing, not a number); and 48 more rows`.
 */
export function droppedText(use: DatasetUse, n = 3): string {
  const groups: { lines: number[]; d: DatasetUse['dropped'][number] }[] = [];
  for (const d of use.dropped.slice(0, n)) {
    const last = groups[groups.length - 1];
    if (last && last.d.column === d.column && last.d.value === d.value && last.d.why === d.why) last.lines.push(d.line);
    else groups.push({ lines: [d.line], d });
  }
  const shown = groups.map(
    ({ lines, d }) =>
      `${use.path}:${lines[0]}${lines.length > 1 ? ` (also line${lines.length > 2 ? 's' : ''} ${lines.slice(1).join(', ')})` : ''} column "${d.column}" = ${JSON.stringify(d.value)} (${d.why})`,
  );
  const more = use.rowsDropped - Math.min(n, use.dropped.length);
  return shown.join('; ') + (more > 0 ? `; and ${more} more row${more === 1 ? '' : 's'}` : '');
}

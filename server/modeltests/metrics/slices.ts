// Slices of the validation rows named by metric gates: rows whose column
// equals a value, or lies within [min, max].
import type { Table } from '../../manifest/dataset';
import type { MetricGateSpec } from './metricValue';

export type SliceSpec = NonNullable<MetricGateSpec['slice']>;

export function sliceName(s: SliceSpec): string {
  if (s.name) return s.name;
  const parts: string[] = [];
  if (s.equals !== undefined) parts.push(`${s.column} = ${String(s.equals)}`);
  if (s.min !== undefined) parts.push(`${s.column} ≥ ${s.min}`);
  if (s.max !== undefined) parts.push(`${s.column} ≤ ${s.max}`);
  return parts.length ? parts.join(', ') : s.column;
}

/**
 * Positions (into `rowIndex`, the evaluated rows' original table rows) of
 * the rows in the slice, or an error naming what is wrong.
 */
export function sliceRows(table: Table, rowIndex: Int32Array, s: SliceSpec): { positions: Int32Array } | { error: string } {
  const c = table.columns.indexOf(s.column);
  if (c < 0) return { error: `slice column "${s.column}" is not in ${table.path}; its columns are: ${table.columns.join(', ')}` };
  const out: number[] = [];
  for (let i = 0; i < rowIndex.length; i++) {
    const cell = (table.rows[rowIndex[i]!]![c] ?? '').trim();
    if (s.equals !== undefined) {
      const want = s.equals;
      const match =
        typeof want === 'number' ? cell !== '' && Number(cell) === want : typeof want === 'boolean' ? cell.toLowerCase() === String(want) : cell === want;
      if (!match) continue;
    }
    if (s.min !== undefined || s.max !== undefined) {
      const v = cell === '' ? Number.NaN : Number(cell);
      if (!Number.isFinite(v)) continue;
      if (s.min !== undefined && v < s.min) continue;
      if (s.max !== undefined && v > s.max) continue;
    }
    out.push(i);
  }
  return { positions: Int32Array.from(out) };
}

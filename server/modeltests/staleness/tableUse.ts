// Row accounting for the reference and current tables: the rows whose model
// features are all numbers (those prediction drift scores), and the first
// dropped rows with their column, cell and why.
import type { Table } from '../../manifest/dataset';
import { tableInputs } from '../../manifest/predict';
import type { ProcessingPlan } from '../../manifest/processing';
import type { DatasetUse } from '../../protocol/report';
import { datasetUse, MAX_DROP_REASONS } from '../datasetUse';
import { compactFiniteRows, firstNonFinite, type FiniteRows } from '../metrics/finiteRows';

export type TableUse = { use: DatasetUse; finite: FiniteRows } | { error: string };

export function tableUse(plan: ProcessingPlan, table: Table, role: 'reference' | 'current'): TableUse {
  let raw: Float64Array[];
  try {
    raw = tableInputs(plan, table);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const finite = compactFiniteRows(plan, raw);
  const drops = Array.from(finite.droppedRows.subarray(0, MAX_DROP_REASONS), (r) => ({ row: r, column: firstNonFinite(plan, raw, r)!.feature }));
  return { use: datasetUse({ suite: 'staleness', role, table, rowsUsed: finite.rows, rowsDropped: finite.dropped, drops }), finite };
}

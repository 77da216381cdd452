// The validation rows the metrics are computed on: the first validation
// set, its labels and the model inputs, keeping only usable rows and
// accounting for every row left out (which column, which cell, why).
import { closest } from '../../manifest/suggest';
import { column, DatasetError, isUri, readTable, resolveDataPath, type Table } from '../../manifest/dataset';
import { tableInputs } from '../../manifest/predict';
import type { DatasetUse } from '../../protocol/report';
import { datasetUse, MAX_DROP_REASONS, type RowDrop } from '../datasetUse';
import { displayPath, type SuiteContext } from '../suite';
import type { Truth } from './evaluate';
import { compactFiniteRows, firstNonFinite } from './finiteRows';
import { mapLabels } from './labels';

export interface Prepared {
  table: Table;
  truth: Truth;
  inputs: Float64Array[];
  rows: number;
  /** Original table row of each evaluated row. */
  rowIndex: Int32Array;
  labelHow: string;
  notes: string[];
  /** Rows read, used and dropped, with the first reasons. */
  use: DatasetUse;
}

/** Why the rows could not be prepared; `use` when the file was read (then the gates know how many rows were left). */
export interface NotPrepared {
  error: string;
  use?: DatasetUse;
}

/** Reads the first validation set, its labels and the model inputs, keeping only usable rows. */
export async function prepareValidation(ctx: SuiteContext): Promise<Prepared | NotPrepared> {
  const m = ctx.loaded.manifest;
  const sets = m.data?.validation ?? [];
  const v = sets[0];
  if (!v) return { error: 'no validation data: add `data.validation: [{path: data/validation.csv}]` with a label column' };
  if (isUri(v.path)) return { error: `data.validation[0] is a URI (${v.path}); ModelGate records URIs but does not fetch them — point it at a local CSV copy` };
  const labelColumn = v.labelColumn ?? m.data?.labelColumn;
  if (!labelColumn) return { error: 'no label column: set data.labelColumn (or data.validation[0].labelColumn) to the column holding the true label' };
  let table: Table;
  try {
    table = await readTable(resolveDataPath(ctx.loaded.dir, v.path));
  } catch (err) {
    if (err instanceof DatasetError) return { error: err.message };
    throw err;
  }
  if (!table.columns.includes(labelColumn))
    return {
      error: `label column "${labelColumn}" is not in ${displayPath(table.path)}${didYouMeanColumn(labelColumn, table.columns)}; its columns are: ${table.columns.join(', ')}`,
    };
  const empty = (rowsUsed: number, drops: RowDrop[]) =>
    datasetUse({ suite: 'metrics', role: 'validation', table, rowsUsed, rowsDropped: table.rows.length - rowsUsed, drops });
  if (table.rows.length === 0) return { error: `validation data ${displayPath(table.path)} has no rows`, use: empty(0, []) };
  const notes: string[] = [];
  if (sets.length > 1) notes.push(`metrics use data.validation[0] (${displayPath(table.path)}); ${sets.length - 1} more validation set(s) are not evaluated.`);
  const plan = ctx.predictor.plan;
  let raw: Float64Array[];
  try {
    raw = tableInputs(plan, table);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const finite = compactFiniteRows(plan, raw);
  const drops: RowDrop[] = [];
  for (const r of finite.droppedRows.subarray(0, MAX_DROP_REASONS)) drops.push({ row: r, column: firstNonFinite(plan, raw, r)!.feature });
  if (finite.dropped) notes.push(`${finite.dropped} validation row(s) have a missing or non-numeric feature and were not scored.`);
  const labels = column(table, labelColumn);
  let keep: number[];
  let truth: Truth;
  let labelHow: string;
  // Rows come in order, so the first few of each kind hold the first few overall.
  let labelDrops = 0;
  const labelDrop = (i: number, why?: string) => {
    if (labelDrops++ < MAX_DROP_REASONS) drops.push({ row: finite.kept[i]!, column: labelColumn, ...(why ? { why } : {}) });
  };
  if (m.model.task === 'classification') {
    const classLabels = m.model.classLabels ?? [];
    if (classLabels.length < 2) return { error: 'classification metrics need model.classLabels (one label per output column)' };
    const map = mapLabels(
      Array.from(finite.kept, (r) => labels[r]!),
      classLabels,
    );
    keep = [];
    const noClass = map.byName
      ? `label is none of model.classLabels (${classLabels.join(', ')})`
      : `label is no class index (0 to ${classLabels.length - 1} into model.classLabels)`;
    for (let i = 0; i < map.indices.length; i++) {
      if (map.indices[i]! >= 0) keep.push(i);
      else labelDrop(i, (labels[finite.kept[i]!] ?? '').trim() === '' ? 'empty label' : noClass);
    }
    if (map.unknown) notes.push(`${map.unknown} validation row(s) have a label that is not a class (${map.unknownExamples.join(', ')}): left out.`);
    truth = { task: 'classification', classes: Int32Array.from(keep, (i) => map.indices[i]!), classLabels };
    labelHow = `${labelColumn}: ${map.how}`;
  } else {
    const targets = Array.from(finite.kept, (r) => Number((labels[r] ?? '').trim() || Number.NaN));
    keep = [];
    targets.forEach((t, i) => {
      if (Number.isFinite(t)) keep.push(i);
      else labelDrop(i);
    });
    if (keep.length < targets.length) notes.push(`${targets.length - keep.length} validation row(s) have no numeric target in ${labelColumn}: left out.`);
    truth = { task: 'regression', targets: Float64Array.from(keep, (i) => targets[i]!) };
    labelHow = `target column ${labelColumn}`;
  }
  const use = empty(keep.length, drops);
  if (keep.length === 0) return { error: `no usable validation rows in ${displayPath(table.path)} (every row lacks a feature value or a valid label)`, use };
  const inputs =
    keep.length === finite.rows
      ? finite.inputs
      : finite.inputs.map((a, k) => {
          const w = plan.inputs[k]!.rawWidth;
          const b = new Float64Array(keep.length * w);
          keep.forEach((r, i) => b.set(a.subarray(r * w, (r + 1) * w), i * w));
          return b;
        });
  return { table, truth, inputs, rows: keep.length, rowIndex: Int32Array.from(keep, (i) => finite.kept[i]!), labelHow, notes, use };
}

/** ` (did you mean "diagnosis"?)` for a mistyped column name, or nothing. */
function didYouMeanColumn(name: string, columns: string[]): string {
  const near = closest(name, columns) ?? columns.find((c) => c.toLowerCase() === name.toLowerCase());
  return near ? ` (did you mean "${near}"?)` : '';
}

// Rows that can be sent to a model: every raw feature finite. JSON cannot
// carry NaN, and a model fed NaN answers NaN, so such rows are set aside
// and counted instead, with the feature that made each one unusable.
import type { ProcessingPlan } from '../../manifest/processing';

export interface FiniteRows {
  inputs: Float64Array[];
  rows: number;
  /** Original row index of each kept row. */
  kept: Int32Array;
  dropped: number;
  /** Original row index of each dropped row, ascending. */
  droppedRows: Int32Array;
}

export function compactFiniteRows(plan: ProcessingPlan, inputs: Float64Array[]): FiniteRows {
  const total = plan.inputs.length ? inputs[0]!.length / plan.inputs[0]!.rawWidth : 0;
  const keep: number[] = [];
  const drop: number[] = [];
  for (let r = 0; r < total; r++) {
    if (firstNonFinite(plan, inputs, r)) drop.push(r);
    else keep.push(r);
  }
  if (keep.length === total) return { inputs, rows: total, kept: Int32Array.from(keep), dropped: 0, droppedRows: new Int32Array(0) };
  const out = inputs.map((a, k) => {
    const w = plan.inputs[k]!.rawWidth;
    const b = new Float64Array(keep.length * w);
    keep.forEach((r, i) => b.set(a.subarray(r * w, (r + 1) * w), i * w));
    return b;
  });
  return { inputs: out, rows: keep.length, kept: Int32Array.from(keep), dropped: total - keep.length, droppedRows: Int32Array.from(drop) };
}

/** The first raw feature of row `r` that is not a finite number (its feature name), or undefined when the row is usable. */
export function firstNonFinite(plan: ProcessingPlan, inputs: Float64Array[], r: number): { input: number; feature: string } | undefined {
  for (let k = 0; k < inputs.length; k++) {
    const w = plan.inputs[k]!.rawWidth;
    const a = inputs[k]!;
    for (let c = r * w; c < (r + 1) * w; c++) {
      if (!Number.isFinite(a[c]!)) return { input: k, feature: plan.inputs[k]!.features[c - r * w]! };
    }
  }
  return undefined;
}

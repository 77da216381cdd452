// Rows that can be sent to a model: every raw feature finite. JSON cannot
// carry NaN, and a model fed NaN answers NaN, so such rows are set aside
// and counted instead.
import type { ProcessingPlan } from '../../manifest/processing';

export interface FiniteRows {
  inputs: Float64Array[];
  rows: number;
  /** Original row index of each kept row. */
  kept: Int32Array;
  dropped: number;
}

export function compactFiniteRows(plan: ProcessingPlan, inputs: Float64Array[]): FiniteRows {
  const total = plan.inputs.length ? inputs[0]!.length / plan.inputs[0]!.rawWidth : 0;
  const keep: number[] = [];
  for (let r = 0; r < total; r++) {
    let ok = true;
    for (let k = 0; k < inputs.length && ok; k++) {
      const w = plan.inputs[k]!.rawWidth;
      const a = inputs[k]!;
      for (let c = r * w; c < (r + 1) * w; c++) {
        if (!Number.isFinite(a[c]!)) {
          ok = false;
          break;
        }
      }
    }
    if (ok) keep.push(r);
  }
  if (keep.length === total) return { inputs, rows: total, kept: Int32Array.from(keep), dropped: 0 };
  const out = inputs.map((a, k) => {
    const w = plan.inputs[k]!.rawWidth;
    const b = new Float64Array(keep.length * w);
    keep.forEach((r, i) => b.set(a.subarray(r * w, (r + 1) * w), i * w));
    return b;
  });
  return { inputs: out, rows: keep.length, kept: Int32Array.from(keep), dropped: total - keep.length };
}

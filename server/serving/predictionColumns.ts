// The columns a scored row gets — the predicted label and one probability
// per class, or the predicted value(s) — from the servable's processing plan
// and its served outputs: one definition for every door that writes
// predictions as a table (`modelgate score` today).
import type { Servable } from './servable';
import { servedOutputs } from './wire/outputs';

/** A cell as CSV text: finite numbers as written, NaN/Infinity and missing values empty. */
export function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' ? v : '';
}

export interface PredictionColumns {
  header: string[];
  row(s: Servable, out: Parameters<typeof servedOutputs>[1], r: number): string[];
}

/** Prediction columns: label and one probability per class, or the predicted value(s). */
export function predictionColumns(s: Servable): PredictionColumns {
  const plan = s.plan;
  if (plan.task === 'classification') {
    const out = plan.outputs.find((o) => o.name === plan.probabilityOutput);
    const width = out?.dims.reduce((a, b) => a * b, 1) ?? plan.classLabels?.length ?? 0;
    const labels = Array.from({ length: width }, (_, i) => plan.classLabels?.[i] ?? String(i));
    return {
      header: ['label', ...labels.map((l) => `p_${l}`)],
      row(sv, o, r) {
        const list = servedOutputs(sv.plan, o);
        const probs = list.find((x) => x.name === plan.probabilityOutput);
        const labelOut = list.find((x) => x.kind === 'labels');
        const cells: string[] = [];
        let best = 0;
        if (probs?.kind === 'tensor') {
          for (let c = 0; c < probs.width; c++) {
            const v = probs.data[r * probs.width + c];
            cells.push(fmt(v));
            if ((v as number) > (probs.data[r * probs.width + best] as number)) best = c;
          }
        }
        return [labelOut?.kind === 'labels' ? labelOut.values[r]! : (labels[best] ?? String(best)), ...cells];
      },
    };
  }
  const out = plan.outputs.find((o) => o.name === plan.primaryOutput);
  const width = Math.max(1, out?.dims.reduce((a, b) => a * b, 1) ?? 1);
  return {
    header: width === 1 ? ['prediction'] : Array.from({ length: width }, (_, i) => `prediction_${i}`),
    row(sv, o, r) {
      const t = o.raw[plan.primaryOutput];
      const d = (t?.data ?? []) as ArrayLike<unknown>;
      return Array.from({ length: width }, (_, i) => fmt(d[r * width + i]));
    },
  };
}

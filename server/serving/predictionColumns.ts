// The columns a scored row gets — the predicted label and one probability
// per class, or the predicted value(s) — from the servable's processing plan
// and its served outputs: one definition for every door that writes
// predictions as a table (`modelgate score`, in process or through the
// queue, where the outputs come back as a v2 infer response).
import type { ProcessingPlan } from '../manifest/processing';
import type { Servable } from './servable';
import { servedOutputs, type ServedOutput } from './wire/outputs';

/** A cell as CSV text: finite numbers as written, NaN/Infinity and missing values empty. */
export function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' ? v : '';
}

export interface PredictionColumns {
  header: string[];
  row(s: Servable, out: Parameters<typeof servedOutputs>[1], r: number): string[];
  /** Row `r` of a list of served outputs (from a batch, or read back from a v2 response). */
  rowOf(list: ServedOutput[], r: number): string[];
}

/** The outputs of a v2 infer response (JSON), as served outputs: BYTES of shape [N] are labels, the rest tensors. */
export function v2ResponseOutputs(response: unknown): ServedOutput[] {
  const outputs = (response as { outputs?: { name: string; datatype: string; shape: number[]; data: unknown[] }[] }).outputs ?? [];
  return outputs.map((o) =>
    o.datatype === 'BYTES' && o.shape.length === 1
      ? { kind: 'labels', name: o.name, key: JSON.stringify(o.name), values: o.data as string[] }
      : {
          kind: 'tensor',
          name: o.name,
          key: JSON.stringify(o.name),
          dtype: o.datatype,
          rowDims: o.shape.slice(1),
          width: o.shape.slice(1).reduce((a, b) => a * b, 1),
          data: o.data,
        },
  );
}

/** Prediction columns: label and one probability per class, or the predicted value(s). */
export function predictionColumns(target: Servable | ProcessingPlan): PredictionColumns {
  const plan = 'plan' in target ? target.plan : target;
  if (plan.task === 'classification') {
    const out = plan.outputs.find((o) => o.name === plan.probabilityOutput);
    const width = out?.dims.reduce((a, b) => a * b, 1) ?? plan.classLabels?.length ?? 0;
    const labels = Array.from({ length: width }, (_, i) => plan.classLabels?.[i] ?? String(i));
    return {
      header: ['label', ...labels.map((l) => `p_${l}`)],
      row(sv, o, r) {
        return this.rowOf(servedOutputs(sv.plan, o), r);
      },
      rowOf(list, r) {
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
      return this.rowOf(servedOutputs(sv.plan, o), r);
    },
    rowOf(list, r) {
      // the raw output (listed before the derived ones)
      const t = list.find((x) => x.name === plan.primaryOutput);
      const d = (t?.kind === 'tensor' ? t.data : []) as ArrayLike<unknown>;
      return Array.from({ length: width }, (_, i) => fmt(d[r * width + i]));
    },
  };
}

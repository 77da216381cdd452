// In-process predictions in batches, through the same preprocess → run →
// postprocess path the server uses, but without HTTP: the reference the
// served predictions are compared with.
import type { Predictor } from '../../manifest/predict';
import { SuiteCancelled } from '../suite';

export interface InProcessPredictions {
  rows: number;
  probabilities?: Float64Array;
  classes?: number;
  values?: Float64Array;
  width?: number;
  elapsedMs: number;
}

export const IN_PROCESS_BATCH = 1024;

export async function predictInProcess(
  predictor: Predictor,
  inputs: Float64Array[],
  rows: number,
  opts: { batch?: number; signal?: AbortSignal } = {},
): Promise<InProcessPredictions> {
  const batch = opts.batch ?? IN_PROCESS_BATCH;
  const widths = predictor.plan.inputs.map((i) => i.rawWidth);
  const out: InProcessPredictions = { rows, elapsedMs: 0 };
  const t0 = performance.now();
  for (let from = 0; from < rows; from += batch) {
    if (opts.signal?.aborted) throw new SuiteCancelled();
    const to = Math.min(rows, from + batch);
    const part = inputs.map((a, k) => a.subarray(from * widths[k]!, to * widths[k]!));
    const p = await predictor.predictInputs(part, to - from);
    if (p.probabilities && p.classes) {
      out.classes ??= p.classes;
      out.probabilities ??= new Float64Array(rows * p.classes);
      out.probabilities.set(p.probabilities, from * p.classes);
    }
    if (p.values) {
      const w = p.values.length / (to - from);
      out.width ??= w;
      out.values ??= new Float64Array(rows * w);
      out.values.set(p.values, from * w);
    }
  }
  out.elapsedMs = performance.now() - t0;
  return out;
}

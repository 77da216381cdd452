// The in-process prediction path: one runtime session plus the manifest's
// processing. Serving batches requests into `inferBatch`; model tests call a
// Predictor directly; both go through the same function, so served and
// in-process predictions agree bit for bit.
import { resolve } from 'node:path';
import { createSession, run, sessionMetadata, type Session, type Tensor } from '../runtime/onnx';
import { isUri, numericMatrix, readTable, resolveDataPath, type Table } from './dataset';
import type { LoadedManifest } from './load';
import { compileProcessing } from './compileProcessing';
import {
  postprocess,
  preprocess,
  rawRowsFromCells,
  splitByInput,
  argmax,
  labelOf,
  tensorToFloat32,
  type DerivedOutput,
  type ProcessingPlan,
} from './processing';

export interface BatchOutput {
  rows: number;
  /** Model outputs as the runtime returned them (batch axis first). */
  raw: Record<string, Tensor>;
  /** Postprocessing results, in step order. */
  derived: DerivedOutput[];
}

export interface Prediction extends BatchOutput {
  /** Classification: rows × classes, from the softmax step if any, else the primary output. */
  probabilities?: Float32Array;
  classes?: number;
  /** Classification: predicted class label per row. */
  labels?: string[];
  /** Regression: the primary output, rows × its width (one value per row for [batch, 1]). */
  values?: Float64Array;
}

export interface PredictorOptions {
  /** onnxruntime intra-op threads (default: the manifest's serving.threads, else 1). */
  threads?: number;
}

export interface Predictor {
  readonly loaded: LoadedManifest;
  readonly plan: ProcessingPlan;
  readonly session: Session;
  /**
   * Raw feature rows in the manifest's feature order (all inputs side by
   * side): a row-major Float64Array (rows × plan.rawWidth) or one array per row.
   */
  predictRows(rows: Float64Array | number[][]): Promise<Prediction>;
  /** Raw rows already split per input (one Float64Array per input, rows × rawWidth). */
  predictInputs(raw: Float64Array[], rows: number): Promise<Prediction>;
  close(): Promise<void>;
}

export function artifactPath(loaded: LoadedManifest): string {
  return resolve(loaded.dir, loaded.manifest.model.artifact);
}

/** Preprocess, run, postprocess: one batch through the model. */
export async function inferBatch(session: Session, plan: ProcessingPlan, raw: Float64Array[], rows: number): Promise<BatchOutput> {
  const feeds: Record<string, Tensor> = {};
  for (let i = 0; i < plan.inputs.length; i++) feeds[plan.inputs[i]!.name] = preprocess(plan.inputs[i]!, raw[i]!, rows);
  const out = await run(session, feeds);
  return { rows, raw: out, derived: postprocess(plan, out) };
}

/** Adds the task-level views (probabilities, labels, values) to a batch output. */
export function summarize(plan: ProcessingPlan, out: BatchOutput): Prediction {
  const p: Prediction = { ...out };
  if (plan.task === 'classification') {
    const derived = out.derived.find((d) => d.name === plan.probabilityOutput);
    const t = out.raw[plan.probabilityOutput];
    const probs = derived?.kind === 'tensor' ? derived.data : t ? tensorToFloat32(t) : undefined;
    if (probs) {
      const classes = out.rows > 0 ? probs.length / out.rows : t ? t.dims.slice(1).reduce((a, b) => a * b, 1) : 0;
      p.probabilities = probs;
      p.classes = classes;
      const argStep = plan.post.find((s) => s.op === 'argmax');
      const fromStep = argStep && out.derived.find((d) => d.name === argStep.as);
      if (fromStep?.kind === 'labels') p.labels = fromStep.values;
      else {
        const idx = argmax(probs, classes);
        p.labels = Array.from(idx, (k) => labelOf(plan, k));
      }
    }
  } else {
    const t = out.raw[plan.primaryOutput];
    if (t) {
      const v = new Float64Array(t.data.length);
      const d = t.data as ArrayLike<number | bigint>;
      for (let i = 0; i < v.length; i++) v[i] = Number(d[i]);
      p.values = v;
    }
  }
  return p;
}

/** Compiles the manifest's processing, using the session's metadata where the manifest has no signature. */
export function planFor(loaded: LoadedManifest, session: Session): ProcessingPlan {
  return compileProcessing(loaded.manifest, sessionMetadata(session));
}

export async function createPredictor(loaded: LoadedManifest, opts: PredictorOptions = {}): Promise<Predictor> {
  const session = await createSession(artifactPath(loaded), { intraOpNumThreads: opts.threads ?? loaded.manifest.serving?.threads ?? 1 });
  let plan: ProcessingPlan;
  try {
    plan = planFor(loaded, session);
  } catch (err) {
    await session.release();
    throw err;
  }
  let closed = false;
  const predictInputs = async (raw: Float64Array[], rows: number) => {
    if (closed) throw new Error(`predictor for ${loaded.path} is closed`);
    return summarize(plan, await inferBatch(session, plan, raw, rows));
  };
  return {
    loaded,
    plan,
    session,
    predictInputs,
    predictRows(rows) {
      const flat = Array.isArray(rows) ? rowsToMatrix(rows, plan.rawWidth) : rows;
      if (flat.length % plan.rawWidth !== 0) {
        throw new Error(`rows hold ${flat.length} values, not a multiple of the ${plan.rawWidth} features per row of ${loaded.manifest.metadata.name}`);
      }
      const n = flat.length / plan.rawWidth;
      return predictInputs(splitByInput(plan, flat, n), n);
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}

function rowsToMatrix(rows: number[][], width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => {
    if (r.length !== width) throw new Error(`row ${i} has ${r.length} values; expected ${width}`);
    out.set(r, i * width);
  });
  return out;
}

/** Raw input rows for every feature of the plan, read from a table (CSV). */
export function tableInputs(plan: ProcessingPlan, table: Table): Float64Array[] {
  const anyCategorical = plan.inputs.some((i) => i.categorical.size > 0);
  if (!anyCategorical) return plan.inputs.map((i) => numericMatrix(table, i.features));
  const col = new Map(table.columns.map((c, i) => [c, i]));
  return rawRowsFromCells(plan, table.rows, (f) => {
    const i = col.get(f);
    if (i === undefined) throw new Error(`dataset ${table.path} has no column "${f}"; its columns are: ${table.columns.join(', ')}`);
    return i;
  });
}

export interface SampleRows {
  path: string;
  table: Table;
  raw: Float64Array[];
  rows: number;
}

/**
 * Rows from the manifest's own data, for warm-up and drift baselines: the
 * reference set, else validation, else training. Local files only.
 */
export async function sampleRows(
  loaded: LoadedManifest,
  plan: ProcessingPlan,
  opts: { maxRows?: number; prefer?: 'reference' | 'any' } = {},
): Promise<SampleRows | undefined> {
  const d = loaded.manifest.data;
  const candidates = [d?.reference, ...(d?.validation ?? []).map((v) => v.path), ...(d?.training ?? []).map((t) => t.path)].filter(
    (p): p is string => typeof p === 'string' && !isUri(p),
  );
  const list = opts.prefer === 'reference' ? candidates.slice(0, d?.reference && !isUri(d.reference) ? 1 : 0) : candidates;
  for (const p of list) {
    try {
      const table = await readTable(resolveDataPath(loaded.dir, p), { maxRows: opts.maxRows });
      const raw = tableInputs(plan, table);
      return { path: table.path, table, raw, rows: table.rows.length };
    } catch {
      // try the next dataset; a bad one is reported by `modelgate lint`
    }
  }
  return undefined;
}

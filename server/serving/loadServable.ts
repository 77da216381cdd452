// Loads one manifest into a ready Servable: manifest checks, session, the
// processing plan checked against the model, the choice between inline and
// worker threads, a warm-up on rows from the model's own data, and the
// live-health baseline. Anything wrong becomes a ManifestError whose
// diagnostics point into model.yaml.
import { availableParallelism } from 'node:os';
import { ManifestError, loadManifest, type LoadedManifest } from '../manifest/load';
import { artifactPath, inferBatch, planFor, sampleRows, type BatchOutput, type SampleRows } from '../manifest/predict';
import { ProcessingError } from '../manifest/compileProcessing';
import type { ProcessingPlan } from '../manifest/processing';
import { diagnosticAt } from '../manifest/parse';
import { ModelLoadError, createSession, fixedBatchSize, runtimeReason, sessionMetadata, type Session } from '../runtime/onnx';
import { readIndexRanges } from '../runtime/onnxGraph';
import { LiveHealth, type HealthOptions } from './health/liveHealth';
import type { ServingMetrics } from './metrics';
import { Servable } from './servable';
import { inlineRunner, poolRunner, type ModelRunner } from './workers/runner';
import { WorkerPool } from './workers/workerPool';
import { chooseWorkers, needsBatchProbe, type Probe, type WorkersSetting } from './workers/sizing';

export interface LoadOptions {
  /** false: skip the manifest's data-file checks (a pulled artifact carries the model, not its data). */
  semantic?: boolean;
  metrics: ServingMetrics;
  /** Server-wide cap; a manifest's serving.maxInstancesPerRequest may lower it. */
  maxInstancesPerRequest: number;
  queueTimeoutMs?: number;
  /** Rows of reference data kept for the health baseline. */
  baselineRows?: number;
  /** Overrides every manifest's serving.workers (`modelgate serve --workers`). */
  workers?: WorkersSetting;
  /** Cores `auto` divides among workers (default: os.availableParallelism()). */
  cores?: number;
  /** Told when a worker stops and when it is replaced. */
  onWorkerEvent?: (e: { model: string; version: string; kind: string; worker: number; reason: string }) => void;
}

/** Fastest of a few runs of one batch, after a first one (which pays one-time costs). */
async function timeRun(session: Session, plan: ProcessingPlan, batch: { raw: Float64Array[]; rows: number }, times: number): Promise<number> {
  await inferBatch(session, plan, batch.raw, batch.rows);
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await inferBatch(session, plan, batch.raw, batch.rows);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** One row, then a full batch only when the row leaves the choice open. */
async function probe(session: Session, plan: ProcessingPlan, warmup: { raw: Float64Array[]; rows: number }[], maxBatchSize: number): Promise<Probe> {
  const rowMs = await timeRun(session, plan, warmup[0]!, 3);
  const full = warmup[1]!;
  if (!needsBatchProbe(rowMs, maxBatchSize)) return { rowMs };
  // a sample smaller than a batch: scale its time up to a full batch
  return { rowMs, batchMs: ((await timeRun(session, plan, full, 2)) * maxBatchSize) / full.rows };
}

const WARMUP_CHUNK = 32;

function manifestError(loaded: LoadedManifest, path: (string | number)[], code: string, message: string): ManifestError {
  return new ManifestError(loaded.path, [diagnosticAt(loaded.parsed, path, code, 'error', message)]);
}

/** Every problem of the processing compiler, each at its place in model.yaml. */
function processingErrors(loaded: LoadedManifest, err: ProcessingError): ManifestError {
  return new ManifestError(
    loaded.path,
    err.problems.map((p) => diagnosticAt(loaded.parsed, p.path, p.code, 'error', p.message, { prefer: p.prefer, data: p.data })),
  );
}

/** The manifest's signature must describe the ONNX file it points at. */
function checkAgainstModel(loaded: LoadedManifest, plan: ProcessingPlan, session: Session): void {
  const io = sessionMetadata(session);
  plan.inputs.forEach((input, i) => {
    const m = io.inputs.find((x) => x.name === input.name);
    if (!m)
      throw manifestError(
        loaded,
        ['signature', 'inputs', i, 'name'],
        'MG303',
        `input "${input.name}" is not in the model; its inputs are: ${io.inputs.map((x) => x.name).join(', ')}`,
      );
    if (m.dtype !== 'unknown' && m.dtype !== input.dtype)
      throw manifestError(loaded, ['signature', 'inputs', i, 'dtype'], 'MG304', `input "${input.name}" is ${m.dtype} in the model, not ${input.dtype}`);
    const dims = m.shape.slice(1);
    if (dims.length !== input.dims.length || dims.some((d, k) => typeof d === 'number' && d > 0 && d !== input.dims[k])) {
      throw manifestError(
        loaded,
        ['signature', 'inputs', i, 'shape'],
        'MG305',
        `input "${input.name}" has shape [${m.shape.join(', ')}] in the model, which does not match [batch, ${input.dims.join(', ')}]`,
      );
    }
  });
  const missing = io.inputs.filter((m) => !plan.inputs.some((p) => p.name === m.name));
  if (missing.length)
    throw manifestError(
      loaded,
      ['signature', 'inputs'],
      'MG309',
      `the model also needs input(s) ${missing.map((m) => m.name).join(', ')}; list every model input in signature.inputs`,
    );
  plan.outputs.forEach((o, i) => {
    if (!io.outputs.some((x) => x.name === o.name))
      throw manifestError(
        loaded,
        ['signature', 'outputs', i, 'name'],
        'MG303',
        `output "${o.name}" is not in the model; its outputs are: ${io.outputs.map((x) => x.name).join(', ')}`,
      );
  });
}

function healthOptions(loaded: LoadedManifest): HealthOptions {
  const drift = loaded.manifest.staleness?.drift;
  const psiDefault = drift?.method === 'psi' && drift.threshold !== undefined ? drift.threshold : undefined;
  const featureThresholds = new Map<string, number | null>();
  for (const [name, f] of Object.entries(drift?.features ?? {})) {
    if (f.ignore) featureThresholds.set(name, null);
    else if (f.method === 'psi' && f.threshold !== undefined) featureThresholds.set(name, f.threshold);
  }
  const summarizedInputs = new Set(
    Object.entries(drift?.inputs ?? {})
      .filter(([, v]) => v?.perFeature === false)
      .map(([k]) => k),
  );
  return {
    psiThreshold: psiDefault,
    featureThresholds,
    summarizedInputs,
    predictionThreshold: drift?.prediction?.threshold,
    labelFrequencies: loaded.manifest.data?.labelFrequencies,
  };
}

/** Rows `from`..`to` of the sample, one array per input. */
function sliceRows(plan: ProcessingPlan, sample: SampleRows, from: number, to: number): Float64Array[] {
  return sample.raw.map((r, k) => r.subarray(from * plan.inputs[k]!.rawWidth, to * plan.inputs[k]!.rawWidth));
}

function zeros(plan: ProcessingPlan, n: number): Float64Array[] {
  return plan.inputs.map((i) => new Float64Array(n * i.rawWidth));
}

/** What a warm-up runs first: a single row and a full batch (from the data when there is some). */
function warmupBatches(plan: ProcessingPlan, sample: SampleRows | undefined, maxBatch: number): { raw: Float64Array[]; rows: number }[] {
  if (!sample || sample.rows === 0)
    return [
      { raw: zeros(plan, 1), rows: 1 },
      { raw: zeros(plan, maxBatch), rows: maxBatch },
    ];
  const n = Math.min(sample.rows, maxBatch);
  return [
    { raw: sliceRows(plan, sample, 0, 1), rows: 1 },
    { raw: sliceRows(plan, sample, 0, n), rows: n },
  ];
}

/** The model's outputs on the whole sample, in batch-sized chunks run concurrently (the live-health baseline). */
async function baseline(
  run: (raw: Float64Array[], rows: number) => Promise<BatchOutput>,
  plan: ProcessingPlan,
  sample: SampleRows | undefined,
  chunk: number,
  concurrent: boolean,
): Promise<BatchOutput | undefined> {
  if (!sample || sample.rows === 0) return undefined;
  const parts: (BatchOutput | Promise<BatchOutput>)[] = [];
  for (let from = 0; from < sample.rows; from += chunk) {
    const to = Math.min(sample.rows, from + chunk);
    const part = run(sliceRows(plan, sample, from, to), to - from);
    // Inline, one chunk at a time: each run yields the loop to requests of the models already served.
    parts.push(concurrent ? part : await part);
  }
  return concatOutputs(await Promise.all(parts), sample.rows);
}

/** Joins chunked outputs along the batch axis (float32 raw outputs; derived ones are not needed for baselines). */
function concatOutputs(parts: BatchOutput[], rows: number): BatchOutput {
  const first = parts[0]!;
  const raw: BatchOutput['raw'] = {};
  for (const [name, t] of Object.entries(first.raw)) {
    const width = t.dims.slice(1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(rows * width);
    let off = 0;
    for (const p of parts) {
      const d = p.raw[name]!.data as ArrayLike<number>;
      for (let i = 0; i < d.length; i++) data[off + i] = Number(d[i]);
      off += d.length;
    }
    raw[name] = { dtype: 'float32', dims: [rows, ...t.dims.slice(1)], data };
  }
  const derived = first.derived.flatMap((d) => {
    if (d.kind !== 'tensor') return [];
    const data = new Float32Array(parts.reduce((a, p) => a + (p.derived.find((x) => x.name === d.name) as typeof d).data.length, 0));
    let off = 0;
    for (const p of parts) {
      const x = (p.derived.find((y) => y.name === d.name) as typeof d).data;
      data.set(x, off);
      off += x.length;
    }
    return [{ ...d, data }];
  });
  return { rows, raw, derived };
}

export async function loadServable(manifestPath: string, opts: LoadOptions): Promise<Servable> {
  // Serving needs no data: a pulled artifact (model and manifest, no CSVs) serves; warm-up then uses generated rows.
  const loaded = await loadManifest(manifestPath, { semantic: opts.semantic, dataOptional: true });
  const artifact = artifactPath(loaded);
  const serving = loaded.manifest.serving ?? {};
  let session: Session;
  try {
    session = await createSession(artifact, { intraOpNumThreads: serving.threads ?? 1 });
  } catch (err) {
    if (err instanceof ModelLoadError)
      throw manifestError(loaded, ['model', 'artifact'], /cannot read|does not exist/.test(err.message) ? 'MG301' : 'MG302', err.message);
    throw err;
  }
  let released = false;
  try {
    const modelIO = sessionMetadata(session);
    let plan: ProcessingPlan;
    try {
      plan = planFor(loaded, session);
    } catch (err) {
      if (err instanceof ProcessingError) throw processingErrors(loaded, err);
      throw err;
    }
    checkAgainstModel(loaded, plan, session);
    // ids the model looks up in a table: a request outside it gets a 400 that names the range
    const ranges = await readIndexRanges(artifact);
    for (const input of plan.inputs) {
      const r = ranges.get(input.name);
      if (r && /^u?int/.test(input.dtype) && input.steps.length === 0) input.valueRange = r;
    }
    // A model exported with a fixed batch size computes that many rows per run whatever it is given: batch to exactly that.
    const fixedBatch = fixedBatchSize(session);
    const maxBatchSize = fixedBatch ?? Math.max(1, serving.batching?.maxBatchSize ?? 32);
    const threads = serving.threads ?? 1;
    const sample = await sampleRows(loaded, plan, { maxRows: opts.baselineRows ?? 5000 });
    const warmup = warmupBatches(plan, sample, maxBatchSize);
    const warmupFailed = (err: unknown) =>
      manifestError(
        loaded,
        ['model', 'artifact'],
        'MG300',
        `warm-up inference failed on ${sample ? sample.path : 'zero rows'}: ${runtimeReason((err as Error).message)}`,
      );
    const setting: WorkersSetting = opts.workers ?? serving.workers ?? 'auto';
    let measured: Probe | undefined;
    if (setting === 'auto') {
      try {
        measured = await probe(session, plan, warmup, maxBatchSize);
      } catch (err) {
        throw warmupFailed(err);
      }
    }
    const choice = chooseWorkers(setting, measured, maxBatchSize, threads, opts.cores ?? availableParallelism());
    const m = loaded.manifest;
    let runner: ModelRunner;
    if (choice.workers === 0) {
      runner = inlineRunner(session, plan);
      try {
        for (const w of warmup) await runner.run(w.raw, w.rows);
      } catch (err) {
        throw warmupFailed(err);
      }
    } else {
      // The workers load their own sessions; this one was for checks and the probe.
      await session.release();
      released = true;
      try {
        const pool = await WorkerPool.start({
          artifact,
          plan,
          workers: choice.workers,
          threads,
          warmup,
          label: `${m.metadata.name} ${m.metadata.version}`,
          onEvent: (e) => opts.onWorkerEvent?.({ model: m.metadata.name, version: m.metadata.version, ...e }),
        });
        runner = poolRunner(pool);
      } catch (err) {
        throw warmupFailed(err);
      }
    }
    let baselineOut: BatchOutput | undefined;
    try {
      baselineOut = await baseline(
        (raw, rows) => runner.run(raw, rows).then((r) => r.out),
        plan,
        sample,
        choice.workers ? maxBatchSize : WARMUP_CHUNK,
        choice.workers > 0,
      );
    } catch (err) {
      released = true;
      await runner.close();
      throw warmupFailed(err);
    }
    const health = new LiveHealth(
      plan,
      sample ? { raw: sample.raw, rows: sample.rows, path: sample.path, out: baselineOut } : undefined,
      healthOptions(loaded),
    );
    return new Servable({
      loaded,
      artifact,
      runner,
      workerChoice: choice,
      plan,
      modelIO,
      health,
      metrics: opts.metrics.forVersion(m.metadata.name, m.metadata.version),
      batching: {
        enabled: serving.batching?.enabled ?? true,
        maxBatchSize,
        maxDelayMs: serving.batching?.maxDelayMs ?? 2,
        ...(fixedBatch !== undefined
          ? {
              fixedBatchSize: fixedBatch,
              note: `the model was exported with a fixed batch size of ${fixedBatch}: rows run in chunks of ${fixedBatch}${fixedBatch > 1 ? ' (the last one padded)' : ''} and batches hold at most ${fixedBatch} row${fixedBatch === 1 ? '' : 's'}; export it with a dynamic batch axis for batched inference`,
            }
          : {}),
      },
      maxInstancesPerRequest: Math.min(opts.maxInstancesPerRequest, serving.maxInstancesPerRequest ?? Infinity),
      queueTimeoutMs: opts.queueTimeoutMs,
    });
  } catch (err) {
    if (!released) await session.release();
    throw err;
  }
}

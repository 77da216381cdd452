// Loads one manifest into a ready Servable: manifest checks, session, the
// processing plan checked against the model, a warm-up on rows from the
// model's own data, and the live-health baseline. Anything wrong becomes a
// ManifestError whose diagnostics point into model.yaml.
import { ManifestError, loadManifest, type LoadedManifest } from '../manifest/load';
import { artifactPath, inferBatch, planFor, sampleRows, type BatchOutput, type SampleRows } from '../manifest/predict';
import { ProcessingError } from '../manifest/compileProcessing';
import type { ProcessingPlan } from '../manifest/processing';
import { diagnosticAt } from '../manifest/parse';
import { ModelLoadError, createSession, sessionMetadata, type Session } from '../runtime/onnx';
import { LiveHealth, type HealthOptions } from './health/liveHealth';
import type { ServingMetrics } from './metrics';
import { Servable } from './servable';

export interface LoadOptions {
  /** false: skip the manifest's data-file checks (a pulled artifact carries the model, not its data). */
  semantic?: boolean;
  metrics: ServingMetrics;
  /** Server-wide cap; a manifest's serving.maxInstancesPerRequest may lower it. */
  maxInstancesPerRequest: number;
  queueTimeoutMs?: number;
  /** Rows of reference data kept for the health baseline. */
  baselineRows?: number;
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

/** Warm-up: a single row, a full batch, then the baseline in batch-sized chunks (each chunk yields the loop). */
async function warmUp(session: Session, plan: ProcessingPlan, sample: SampleRows | undefined, maxBatch: number): Promise<BatchOutput | undefined> {
  if (!sample || sample.rows === 0) {
    const zeros = (n: number) => plan.inputs.map((i) => new Float64Array(n * i.rawWidth));
    await inferBatch(session, plan, zeros(1), 1);
    await inferBatch(session, plan, zeros(maxBatch), maxBatch);
    return undefined;
  }
  const slice = (from: number, to: number) => sample.raw.map((r, k) => r.subarray(from * plan.inputs[k]!.rawWidth, to * plan.inputs[k]!.rawWidth));
  await inferBatch(session, plan, slice(0, 1), 1);
  const parts: BatchOutput[] = [];
  for (let from = 0; from < sample.rows; from += WARMUP_CHUNK) {
    const to = Math.min(sample.rows, from + WARMUP_CHUNK);
    parts.push(await inferBatch(session, plan, slice(from, to), to - from));
  }
  return concatOutputs(parts, sample.rows);
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
  const loaded = await loadManifest(manifestPath, { semantic: opts.semantic });
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
  try {
    let plan: ProcessingPlan;
    try {
      plan = planFor(loaded, session);
    } catch (err) {
      if (err instanceof ProcessingError) throw processingErrors(loaded, err);
      throw err;
    }
    checkAgainstModel(loaded, plan, session);
    const maxBatchSize = Math.max(1, serving.batching?.maxBatchSize ?? 32);
    const sample = await sampleRows(loaded, plan, { maxRows: opts.baselineRows ?? 5000 });
    let baselineOut: BatchOutput | undefined;
    try {
      baselineOut = await warmUp(session, plan, sample, maxBatchSize);
    } catch (err) {
      throw manifestError(
        loaded,
        ['model', 'artifact'],
        'MG300',
        `warm-up inference failed on ${sample ? sample.path : 'zero rows'}: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    const health = new LiveHealth(
      plan,
      sample ? { raw: sample.raw, rows: sample.rows, path: sample.path, out: baselineOut } : undefined,
      healthOptions(loaded),
    );
    const m = loaded.manifest;
    return new Servable({
      loaded,
      artifact,
      session,
      plan,
      modelIO: sessionMetadata(session),
      health,
      metrics: opts.metrics.forVersion(m.metadata.name, m.metadata.version),
      batching: { enabled: serving.batching?.enabled ?? true, maxBatchSize, maxDelayMs: serving.batching?.maxDelayMs ?? 2 },
      maxInstancesPerRequest: Math.min(opts.maxInstancesPerRequest, serving.maxInstancesPerRequest ?? Infinity),
      queueTimeoutMs: opts.queueTimeoutMs,
    });
  } catch (err) {
    await session.release();
    throw err;
  }
}

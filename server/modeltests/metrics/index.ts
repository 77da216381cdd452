// The metrics suite: the validation set runs through the served model (the
// real HTTP path, many rows per request) and in-process; metrics are
// computed on what the server answered, skew compares the two paths, and
// an optional baseline model is scored on the same rows.
import type { Table } from '../../manifest/dataset';
import type { LoadedManifest } from '../../manifest/load';
import { createPredictor, tableInputs } from '../../manifest/predict';
import type { DatasetUse, GateResult, MetricsResult } from '../../protocol/report';
import { droppedShareGate, droppedShareSpec } from '../dataGates';
import { gate, sourceOf, unmeasuredGate } from '../gates';
import { displayPath, throwIfCancelled, type SuiteContext, type SuiteOutput } from '../suite';
import { compareWithBaseline } from './baseline';
import { evaluate, type Evaluation } from './evaluate';
import { predictInProcess } from './inProcess';
import { metricGates, type MetricsForGate } from './metricGates';
import type { ComputedMetrics, MetricGateSpec } from './metricValue';
import { instanceTexts } from './instanceText';
import { DEFAULT_BINARY_ROWS_PER_REQUEST, predictOverHttp } from './predictOverHttp';
import { prepareValidation, type Prepared } from './prepare';
import { sliceName, sliceRows } from './slices';

const SUITE = 'metrics' as const;
export const DEFAULT_SKEW_TOLERANCE = 1e-4;

export interface MetricsOptions {
  /** The champion to compare with (`--baseline`), already loaded. */
  baseline?: LoadedManifest;
}

export async function runMetricsSuite(ctx: SuiteContext, opts: MetricsOptions = {}): Promise<SuiteOutput<MetricsResult>> {
  const { loaded } = ctx;
  const m = loaded.manifest;
  const task = m.model.task;
  const result: MetricsResult = { task, dataset: '', rows: 0, overall: {}, notes: [] };
  const gates: GateResult[] = [];
  const skewTolerance = m.gates?.skewTolerance ?? DEFAULT_SKEW_TOLERANCE;
  const skewSpec = skewGateSpec(loaded);

  ctx.progress({ step: 'reading validation data', percent: 0 });
  const prepared = await prepareValidation(ctx);
  const dropSpec = validationDropSpec(loaded);
  if ('error' in prepared) {
    const { error, use } = prepared;
    result.notes.push(error);
    const datasets: DatasetUse[] = use ? [use] : [];
    const rowsUsed = use ? usedRows(use) : undefined;
    if (dropSpec) gates.push(use ? droppedShareGate(loaded, dropSpec, use) : unmeasuredGate(dropSpec, error));
    gates.push(...metricGates(loaded, () => ({ metrics: { error }, how: 'validation data', ...(rowsUsed ? { rows: rowsUsed } : {}) })));
    gates.push(unmeasuredGate(skewSpec, error));
    gates.push(
      ...(opts.baseline
        ? compareWithBaseline(loaded, { task, overall: {} }, { error }, baselineName(opts.baseline), '', rowsUsed).gates
        : notRunRegressionGates(loaded, error)),
    );
    return { result, gates, datasets };
  }
  const { table, truth, inputs, rows, rowIndex, use } = prepared;
  const datasets = [use];
  const allRows = usedRows(use);
  result.dataset = displayPath(table.path);
  result.rows = rows;
  result.notes.push(...prepared.notes);
  if (dropSpec) gates.push(droppedShareGate(loaded, dropSpec, use));
  throwIfCancelled(ctx.signal);

  // Served predictions: the path users get.
  ctx.progress({ step: 'scoring through the server', percent: 5 });
  const plan = ctx.predictor.plan;
  // a manifest's serving.maxInstancesPerRequest caps every request, ours too
  const cap = m.serving?.maxInstancesPerRequest;
  const served = await predictOverHttp(ctx.url, ctx.model, plan, inputs, rows, {
    ...(cap !== undefined && cap < DEFAULT_BINARY_ROWS_PER_REQUEST ? { rowsPerRequest: Math.max(1, cap) } : {}),
    signal: ctx.signal,
    instanceText: () => instanceTexts(plan, table, rowIndex, inputs),
    onProgress: (d, n) => ctx.progress({ step: 'scoring through the server', percent: 5 + (45 * d) / n }),
  });
  const servedValues = task === 'classification' ? served.probabilities : firstColumn(served.values, rows);
  const how = `${rows} rows of ${displayPath(table.path)} scored through POST ${served.endpoint}, ${served.wireNote} (${served.rowsPerRequest} rows per request, ${served.concurrency} in flight, ${served.requests} requests); ${prepared.labelHow}`;
  result.notes.push(
    `served scoring: ${rows} rows in ${served.elapsedMs.toFixed(0)} ms (${Math.round(rows / Math.max(served.elapsedMs / 1000, 1e-9))} rows/s over HTTP, ${served.wireNote}).`,
  );
  throwIfCancelled(ctx.signal);

  // In-process predictions, for skew.
  ctx.progress({ step: 'scoring in-process', percent: 50 });
  const local = await predictInProcess(ctx.predictor, inputs, rows, { signal: ctx.signal });
  const localValues = task === 'classification' ? local.probabilities : firstColumn(local.values, rows);
  if (!servedValues || !localValues || servedValues.length !== localValues.length) {
    const why = `the server's answer has no ${task === 'classification' ? `class probabilities ("${plan.probabilityOutput}")` : `values ("${plan.primaryOutput}")`} of the expected size; check the model's outputs and postprocessing`;
    result.notes.push(why);
    gates.push(...metricGates(loaded, () => ({ metrics: { error: why }, how })));
    gates.push(unmeasuredGate(skewSpec, why));
    return { result, gates, datasets };
  }
  let maxAbsDiff = 0;
  let mismatches = 0;
  for (let i = 0; i < servedValues.length; i++) {
    const d = Math.abs(servedValues[i]! - localValues[i]!);
    if (!(d <= maxAbsDiff)) maxAbsDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
    if (!(d <= skewTolerance)) mismatches++;
  }
  result.skew = { rows, maxAbsDiff: Number.isFinite(maxAbsDiff) ? maxAbsDiff : Number.MAX_VALUE, tolerance: skewTolerance, mismatches };
  gates.push(
    Number.isFinite(maxAbsDiff)
      ? gate({ ...skewSpec, measured: maxAbsDiff, detail: mismatches ? `${mismatches} values beyond tolerance` : undefined })
      : gate({
          ...skewSpec,
          measured: null,
          unmeasured: 'a served or in-process prediction is NaN',
          unmeasuredStatus: 'failed',
          nextStep: 'check the model and its preprocessing for rows that produce NaN (e.g. a division by a zero scale)',
        }),
  );
  throwIfCancelled(ctx.signal);

  // Metrics on the served predictions.
  ctx.progress({ step: 'computing metrics', percent: 70 });
  const pred = task === 'classification' ? { probabilities: servedValues } : { values: servedValues };
  const all = evaluate(truth, pred);
  fillResult(result, all);

  const sliceCache = new Map<string, MetricsForGate>();
  const metricsFor = (spec: MetricGateSpec): MetricsForGate => {
    if (!spec.slice) return { metrics: all.computed, how, rows: allRows };
    const key = JSON.stringify(spec.slice);
    let hit = sliceCache.get(key);
    if (!hit) {
      const name = sliceName(spec.slice);
      const s = sliceRows(table, rowIndex, spec.slice);
      const sliceOf = (n: number) => ({ count: n, what: `rows in slice ${name} (of ${rows} usable rows of ${use.path})` });
      if ('error' in s) hit = { metrics: { error: s.error }, how };
      else if (s.positions.length === 0) hit = { metrics: { error: `no validation rows fall in slice ${name}` }, how, rows: sliceOf(0) };
      else {
        const e = evaluate(truth, pred, s.positions);
        (result.slices ??= []).push({ name, rows: s.positions.length, metrics: e.computed.overall });
        hit = { metrics: e.computed, how: `slice ${name}: ${s.positions.length} of ${how}`, rows: sliceOf(s.positions.length) };
      }
      sliceCache.set(key, hit);
    }
    return hit;
  };
  gates.push(...metricGates(loaded, metricsFor));

  // Champion/challenger.
  if (opts.baseline) {
    ctx.progress({ step: 'scoring the baseline', percent: 85 });
    const name = baselineName(opts.baseline);
    const champion = await championMetrics(ctx, opts.baseline, table, prepared);
    const cmp = compareWithBaseline(
      loaded,
      all.computed,
      'error' in champion ? champion : champion.computed,
      name,
      `${rows} rows of ${displayPath(table.path)}, baseline scored in-process`,
      allRows,
    );
    gates.push(...cmp.gates);
    if ('error' in champion) result.notes.push(`baseline ${name}: ${champion.error}`);
    else
      result.baseline = {
        name: opts.baseline.manifest.metadata.name,
        version: opts.baseline.manifest.metadata.version,
        overall: champion.computed.overall,
        comparisons: cmp.comparisons,
      };
    if (!m.gates?.maxRegression?.length) result.notes.push('a baseline was given but gates.maxRegression sets no rule: the comparison is reported, not gated.');
  } else if (m.gates?.maxRegression?.length) {
    result.notes.push(`gates.maxRegression is set but no baseline was found: the regression rules were not checked. ${NO_BASELINE_NEXT}.`);
    gates.push(...notRunRegressionGates(loaded, 'no earlier version to compare with was found or given'));
  }
  ctx.progress({ step: 'done', percent: 100 });
  return { result, gates, datasets };
}

/** What a metric gate on the whole validation set was computed on, for the data.minRows check. */
function usedRows(use: DatasetUse): { count: number; what: string } {
  return { count: use.rowsUsed, what: `usable rows of ${use.path}${use.rowsDropped ? ` (${use.rowsDropped} of ${use.rowsRead} rows dropped)` : ''}` };
}

/** The validation set's dropped-share gate, declared whenever the manifest names a validation set. */
export function validationDropSpec(loaded: LoadedManifest) {
  if (!loaded.manifest.data?.validation?.[0]) return undefined;
  return droppedShareSpec(
    loaded,
    SUITE,
    'validation',
    ['data', 'validation', 0, 'path'],
    'a model feature empty, marked missing or not a number; a label that is no class or, for regression, no number',
  );
}

const NO_BASELINE_NEXT =
  'Compare with the previous version: in the editor, run Test & Deploy to the registry that holds it (it finds the champion there); on the command line, modelgate deploy does the same, or modelgate test --baseline <manifest|published ref>. The first version of a model has no champion: remove gates.maxRegression for it, or publish it ungated';

/** The training-serving skew gate: always declared, with the default tolerance when the manifest sets none. */
export function skewGateSpec(loaded: LoadedManifest) {
  const m = loaded.manifest;
  const skewTolerance = m.gates?.skewTolerance ?? DEFAULT_SKEW_TOLERANCE;
  return {
    id: 'metrics.skew',
    suite: SUITE,
    metric: 'training-serving skew (max |served − in-process|)',
    threshold: { op: '<=' as const, value: skewTolerance },
    how: `largest absolute difference between served (HTTP) and in-process ${m.model.task === 'classification' ? 'class probabilities' : 'predictions'} over every validation row${m.gates?.skewTolerance === undefined ? `; tolerance ${DEFAULT_SKEW_TOLERANCE} by default (set gates.skewTolerance)` : ''}`,
    source: sourceOf(loaded, ['gates', 'skewTolerance']),
  };
}

function notRunRegressionGates(loaded: LoadedManifest, why: string): GateResult[] {
  return compareWithBaseline(loaded, { task: loaded.manifest.model.task, overall: {} }, { error: why }, 'the previous version', 'not run').gates.map((g) => ({
    ...g,
    nextStep: NO_BASELINE_NEXT,
  }));
}

/** Every metrics gate the manifest declares, each `not run` for `why`. */
export function declaredMetricsGates(loaded: LoadedManifest, why: string): GateResult[] {
  const dropSpec = validationDropSpec(loaded);
  return [
    ...(dropSpec ? [unmeasuredGate(dropSpec, why)] : []),
    ...metricGates(loaded, () => ({ metrics: { error: why }, how: 'not run' })),
    unmeasuredGate(skewGateSpec(loaded), why),
    ...compareWithBaseline(loaded, { task: loaded.manifest.model.task, overall: {} }, { error: why }, 'the previous version', 'not run').gates,
  ];
}

function baselineName(b: LoadedManifest): string {
  return `${b.manifest.metadata.name} ${b.manifest.metadata.version} (baseline)`;
}

function firstColumn(values: Float64Array | undefined, rows: number): Float64Array | undefined {
  if (!values || rows === 0) return values;
  const w = values.length / rows;
  if (w === 1) return values;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = values[r * w]!;
  return out;
}

function fillResult(result: MetricsResult, e: Evaluation): void {
  result.overall = e.computed.overall;
  result.notes.push(...e.detail.notes);
  if (e.task === 'classification') {
    result.perClass = e.detail.perClass;
    result.confusion = e.detail.confusion;
    result.roc = e.detail.roc;
    result.calibration = { bins: e.detail.calibration.map((b) => ({ confidence: b.confidence, accuracy: b.accuracy, count: b.count })) };
  } else {
    result.residuals = e.detail.residuals;
  }
}

async function championMetrics(
  ctx: SuiteContext,
  baseline: LoadedManifest,
  table: Table,
  prepared: Prepared,
): Promise<{ computed: ComputedMetrics } | { error: string }> {
  const bm = baseline.manifest;
  const m = ctx.loaded.manifest;
  if (bm.model.task !== m.model.task) return { error: `it is a ${bm.model.task} model, this one is ${m.model.task}` };
  if (m.model.task === 'classification' && JSON.stringify(bm.model.classLabels) !== JSON.stringify(m.model.classLabels)) {
    return { error: `its classLabels [${(bm.model.classLabels ?? []).join(', ')}] differ from this model's [${(m.model.classLabels ?? []).join(', ')}]` };
  }
  const predictor = await createPredictor(baseline);
  try {
    let raw: Float64Array[];
    try {
      raw = tableInputs(predictor.plan, table);
    } catch (err) {
      return { error: `cannot feed it the validation rows: ${(err as Error).message}` };
    }
    // The same rows as the challenger, in the same order.
    const inputs = raw.map((a, k) => {
      const w = predictor.plan.inputs[k]!.rawWidth;
      const b = new Float64Array(prepared.rows * w);
      prepared.rowIndex.forEach((r, i) => b.set(a.subarray(r * w, (r + 1) * w), i * w));
      return b;
    });
    if (inputs.some((a) => a.some((x) => !Number.isFinite(x)))) return { error: 'some validation rows lack a feature the baseline needs' };
    const p = await predictInProcess(predictor, inputs, prepared.rows, { signal: ctx.signal });
    const values = m.model.task === 'classification' ? p.probabilities : firstColumn(p.values, prepared.rows);
    if (!values) return { error: 'it produced no predictions' };
    return { computed: evaluate(prepared.truth, m.model.task === 'classification' ? { probabilities: values } : { values }).computed };
  } finally {
    await predictor.close();
  }
}

// The staleness suite: how old the model and its training data are, how far
// current data has drifted from the reference data, feature by feature, and
// whether the model's predictions have drifted. Gates exist only where the
// manifest sets a threshold; everything else is measured and reported.
import { DatasetError, isUri, readTable, resolveDataPath, type Table } from '../../manifest/dataset';
import { tableInputs } from '../../manifest/predict';
import type { DatasetUse, GateResult, StalenessResult } from '../../protocol/report';
import { droppedShareGate } from '../dataGates';
import { gate, unmeasuredGate } from '../gates';
import { compactFiniteRows, type FiniteRows } from '../metrics/finiteRows';
import { instanceTexts } from '../metrics/instanceText';
import { predictOverHttp } from '../metrics/predictOverHttp';
import { displayPath, throwIfCancelled, type SuiteContext, type SuiteOutput } from '../suite';
import { dataAge, modelAgeDays } from './ages';
import { isPValueMethod } from './driftConfig';
import {
  dataAgeSpec,
  dataDropSpec,
  DEFAULT_PREDICTION_THRESHOLD,
  driftedShareSpec,
  featureGateNames,
  featureGateSpec,
  howReference,
  howTraining,
  modelAgeSpec,
  predictionGateSpec,
  stalenessDataRoles,
  type DriftRole,
} from './stalenessGates';
import { tableUse, type TableUse } from './tableUse';
import { driftFeatures, driftTable } from './driftTable';
import { classShares, predictionJsd, trainingShares } from './predictionDrift';

export async function runStalenessSuite(ctx: SuiteContext): Promise<SuiteOutput<StalenessResult>> {
  const { loaded, now } = ctx;
  const m = loaded.manifest;
  const gates: GateResult[] = [];
  const result: StalenessResult = { now: now.toISOString(), features: [], notes: [] };

  // Ages.
  ctx.progress({ step: 'ages', percent: 0 });
  const modelAge = modelAgeDays(m, now);
  if (modelAge !== undefined) result.modelAgeDays = modelAge;
  const maxModelAge = m.staleness?.maxModelAge;
  if (maxModelAge !== undefined) {
    const spec = modelAgeSpec(loaded, now);
    gates.push(
      modelAge === undefined
        ? unmeasuredGate(spec, 'model.trainedAt is not set (or not a date); add `trainedAt: 2026-01-31T12:00:00Z` under `model`')
        : gate({ ...spec, measured: modelAge }),
    );
  }
  const data = dataAge(m, now);
  if (data) result.dataAgeDays = data.days;
  const maxDataAge = m.staleness?.maxDataAge;
  if (maxDataAge !== undefined) {
    const spec = dataAgeSpec(loaded, now);
    gates.push(
      data === undefined
        ? unmeasuredGate(spec, 'no data.training entry has a `window.end` date; add `window: {start: …, end: …}` to the training set')
        : gate({ ...spec, measured: data.days }),
    );
  }
  throwIfCancelled(ctx.signal);

  // Feature drift.
  ctx.progress({ step: 'feature drift', percent: 10 });
  const drift = m.staleness?.drift;
  const shareSpec = driftedShareSpec(loaded);
  const featureGatePaths = featureGateNames(loaded);

  const tables = await readDriftTables(ctx);
  let current: Table | undefined;
  let reference: Table | undefined;
  // Rows read, used and dropped per table; a gate per table that a declared gate uses.
  const datasets: DatasetUse[] = [];
  const uses = new Map<DriftRole, TableUse>();
  if (!('error' in tables)) {
    for (const role of ['reference', 'current'] as const) {
      const u = tableUse(ctx.predictor.plan, tables[role], role);
      uses.set(role, u);
      if ('use' in u) datasets.push(u.use);
    }
  }
  for (const role of stalenessDataRoles(loaded)) {
    const spec = dataDropSpec(loaded, role);
    const u = uses.get(role);
    if ('error' in tables || !u) gates.push(unmeasuredGate(spec, 'error' in tables ? tables.error : `data.${role} was not read`));
    else if ('error' in u) gates.push(unmeasuredGate(spec, `cannot feed ${displayPath(tables[role].path)} to the model: ${u.error}`));
    else gates.push(droppedShareGate(loaded, spec, u.use));
  }
  if ('error' in tables) {
    result.notes.push(tables.error);
    if (shareSpec) gates.push(unmeasuredGate(shareSpec, tables.error));
    for (const f of featureGatePaths) gates.push(unmeasuredGate(featureGateSpec(loaded, f), tables.error));
  } else {
    ({ reference, current } = tables);
    const { features, from, summarized } = driftFeatures(m, reference, current);
    if (current.rows.length === 0) {
      const why = `current data ${displayPath(current.path)} has no rows: there is nothing to compare with the reference; export recent production rows (same columns, with a header) to it`;
      result.notes.push(why);
      if (shareSpec) gates.push(unmeasuredGate(shareSpec, why));
      for (const f of featureGatePaths) gates.push(unmeasuredGate(featureGateSpec(loaded, f), why));
    } else if (reference.rows.length === 0) {
      const why = `reference data ${displayPath(reference.path)} has no rows: add a sample of the training data to it`;
      result.notes.push(why);
      if (shareSpec) gates.push(unmeasuredGate(shareSpec, why));
      for (const f of featureGatePaths) gates.push(unmeasuredGate(featureGateSpec(loaded, f), why));
    } else {
      const t = driftTable(m, reference, current, features, summarized);
      result.features = t.outcomes.map((o) => o.drift);
      result.multipleTesting = t.multipleTesting;
      const whole = summarized.map((s) => `input ${s.input} as a whole (${s.features.length} features, on 3 per-row summaries)`);
      result.notes.push(
        `drift tested on ${features.length} features${whole.length ? ` and ${whole.join(', ')}` : ''} (${from}): reference ${displayPath(reference.path)} (${reference.rows.length} rows), current ${displayPath(current.path)} (${current.rows.length} rows).`,
      );
      for (const a of t.absent)
        result.notes.push(`feature "${a.feature}" is missing from the ${a.from === 'both' ? 'reference and current' : a.from} data: not tested.`);
      if (t.tested > 0) result.driftedShare = t.drifted / t.tested;
      if (shareSpec) {
        const names = t.outcomes.filter((o) => o.counted && o.drift.drifted).map((o) => o.drift.feature);
        gates.push(
          t.tested === 0
            ? unmeasuredGate(shareSpec, 'no feature could be tested (see the staleness notes)')
            : gate({
                ...shareSpec,
                measured: t.drifted / t.tested,
                detail: `${t.drifted} of ${t.tested} features drifted${names.length ? `: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}` : ''}`,
              }),
        );
      }
      for (const f of featureGatePaths) {
        const o = t.outcomes.find((x) => x.drift.feature === f);
        const spec = featureGateSpec(loaded, f);
        if (!o) {
          gates.push(
            unmeasuredGate(
              spec,
              `feature "${f}" is not among the tested features (${t.absent.some((a) => a.feature === f) ? 'its column is missing from the data' : 'it is not a model feature'})`,
            ),
          );
          continue;
        }
        gates.push(featureGate(spec, o.drift, o.counted));
      }
    }
  }
  throwIfCancelled(ctx.signal);

  // Prediction drift.
  ctx.progress({ step: 'prediction drift', percent: 50 });
  const predThreshold = drift?.prediction?.threshold;
  const predSpec = (against: 'training' | 'reference', how: string) => predictionGateSpec(loaded, against, how);
  const classLabels = m.model.classLabels ?? [];
  const training = trainingShares(m.data?.labelFrequencies, classLabels);
  if (m.model.task !== 'classification' || classLabels.length === 0) {
    result.notes.push('prediction drift is computed for classifiers with model.classLabels only.');
  } else if (!current || current.rows.length === 0) {
    const why = current ? `current data ${displayPath(current.path)} has no rows` : 'current data could not be read (see notes)';
    if (predThreshold !== undefined) {
      gates.push(unmeasuredGate(predSpec('training', howTraining), why));
      gates.push(unmeasuredGate(predSpec('reference', howReference), why));
    }
  } else {
    const cur = await predictedLabels(ctx, current, finiteOf(uses.get('current')), (d, n) =>
      ctx.progress({ step: 'prediction drift: current data', percent: 50 + (25 * d) / n }),
    );
    const ref =
      reference && reference.rows.length > 0
        ? await predictedLabels(ctx, reference, finiteOf(uses.get('reference')), (d, n) =>
            ctx.progress({ step: 'prediction drift: reference data', percent: 75 + (25 * d) / n }),
          )
        : undefined;
    const curShares = classShares(cur.labels, classLabels);
    const pred: NonNullable<StalenessResult['prediction']> = {
      labels: [...classLabels],
      current: curShares,
      threshold: predThreshold ?? DEFAULT_PREDICTION_THRESHOLD,
    };
    if (cur.note) result.notes.push(cur.note);
    if (ref?.note) result.notes.push(ref.note);
    if (training) {
      pred.training = training;
      pred.jsdVsTraining = predictionJsd(curShares, training);
    }
    if (ref && ref.labels.length > 0) {
      pred.reference = classShares(ref.labels, classLabels);
      pred.jsdVsReference = predictionJsd(curShares, pred.reference);
    }
    result.prediction = pred;
    result.notes.push(`prediction drift: ${cur.labels.length} current${ref ? ` and ${ref.labels.length} reference` : ''} rows scored via ${cur.endpoint}.`);
    if (predThreshold !== undefined) {
      gates.push(
        pred.jsdVsTraining !== undefined
          ? gate({ ...predSpec('training', howTraining), measured: pred.jsdVsTraining })
          : unmeasuredGate(predSpec('training', howTraining), 'data.labelFrequencies is not set; add the share of each class in the training data'),
      );
      gates.push(
        pred.jsdVsReference !== undefined
          ? gate({ ...predSpec('reference', `${howReference} (${ref?.labels.length ?? 0} reference rows)`), measured: pred.jsdVsReference })
          : unmeasuredGate(predSpec('reference', howReference), 'no reference rows could be scored; set data.reference to a CSV of training-like rows'),
      );
    }
  }
  ctx.progress({ step: 'done', percent: 100 });
  return { result, gates, datasets };
}

function finiteOf(u: TableUse | undefined): FiniteRows | undefined {
  return u && 'finite' in u ? u.finite : undefined;
}

/** A per-feature gate, passing exactly when the feature did not drift. */
function featureGate(spec: ReturnType<typeof featureGateSpec>, d: import('../../protocol/report').FeatureDrift, counted: boolean): GateResult {
  const how = `${d.why}; ${d.referenceRows} reference and ${d.currentRows} current values`;
  if (!counted || d.currentRows === 0) return unmeasuredGate({ ...spec, how }, d.note ?? 'the feature could not be tested');
  if (d.pValue !== undefined && isPValueMethod(d.method)) {
    const adjusted = d.adjustedPValue !== undefined && d.adjustedPValue !== d.pValue;
    return gate({
      ...spec,
      how,
      measured: d.adjustedPValue ?? d.pValue,
      threshold: { op: '>=', value: d.threshold },
      metric: adjusted
        ? `${d.method} p-value of ${d.feature}, Benjamini–Hochberg adjusted (raw ${d.pValue.toPrecision(3)})`
        : `${d.method} p-value of ${d.feature}`,
    });
  }
  if (d.threshold === 0) {
    // Constant reference: any differing value is drift.
    return gate({
      ...spec,
      how,
      metric: `share of ${d.feature} values differing from the reference constant`,
      threshold: { op: '<=', value: 0 },
      measured: d.statistic,
    });
  }
  return gate({ ...spec, how, metric: `${d.method} of ${d.feature}`, threshold: { op: '<', value: d.threshold }, measured: d.statistic });
}

async function readDriftTables(ctx: SuiteContext): Promise<{ reference: Table; current: Table } | { error: string }> {
  const d = ctx.loaded.manifest.data;
  if (!d?.reference || !d.current) {
    return {
      error: `drift needs data.reference and data.current (CSV files with a header row); ${!d?.reference ? 'data.reference' : 'data.current'} is not set`,
    };
  }
  for (const [key, p] of [
    ['data.reference', d.reference],
    ['data.current', d.current],
  ] as const) {
    if (isUri(p)) return { error: `${key} is a URI (${p}); ModelGate records URIs but does not fetch them — point ${key} at a local CSV copy` };
  }
  try {
    const [reference, current] = await Promise.all([
      readTable(resolveDataPath(ctx.loaded.dir, d.reference)),
      readTable(resolveDataPath(ctx.loaded.dir, d.current)),
    ]);
    return { reference, current };
  } catch (err) {
    if (err instanceof DatasetError) return { error: err.message };
    throw err;
  }
}

/** Predicted labels of the table's usable rows (`finite`: those rows, when the caller has them already). */
async function predictedLabels(
  ctx: SuiteContext,
  table: Table,
  finite: FiniteRows | undefined,
  onProgress: (done: number, total: number) => void,
): Promise<{ labels: string[]; endpoint: string; note?: string }> {
  const plan = ctx.predictor.plan;
  const { inputs, rows, dropped, kept } = finite ?? compactFiniteRows(plan, tableInputs(plan, table));
  const served = await predictOverHttp(ctx.url, ctx.model, plan, inputs, rows, {
    signal: ctx.signal,
    onProgress,
    instanceText: instanceTexts(plan, table, kept, inputs),
  });
  let labels = served.labels;
  if (!labels && served.probabilities && served.classes) {
    const k = served.classes;
    const names = plan.classLabels ?? [];
    labels = [];
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (served.probabilities[r * k + c]! > served.probabilities[r * k + best]!) best = c;
      labels.push(names[best] ?? String(best));
    }
  }
  const out: { labels: string[]; endpoint: string; note?: string } = { labels: labels ?? [], endpoint: served.endpoint };
  if (dropped > 0) out.note = `${dropped} row(s) of ${displayPath(table.path)} have a missing or non-numeric feature and were not scored.`;
  return out;
}

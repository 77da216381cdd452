// Turns a measured value and a manifest threshold into a GateResult: pass
// or fail, the signed margin, a sentence naming the gate and by how much,
// and the line/column of the manifest key that set the threshold.
import type { LoadedManifest } from '../manifest/load';
import { spanOf, type JsonPath } from '../manifest/parse';
import type { GateResult, SourceRef, SuiteId, Threshold } from '../protocol/report';

/** Where in model.yaml the key at `path` sits (1-based), or undefined when it is absent. */
export function sourceOf(loaded: Pick<LoadedManifest, 'parsed'>, path: JsonPath): SourceRef | undefined {
  const parsed = loaded.parsed;
  if (!parsed.doc.hasIn(path)) return undefined;
  const { offset } = spanOf(parsed, path, 'key');
  const pos = parsed.lineCounter.linePos(offset);
  return { path: [...path], line: pos.line, column: pos.col };
}

/** A number for people: up to 4 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e9) {
    return abs >= 1000 ? String(Math.round(x * 10) / 10) : String(Number(x.toPrecision(4)));
  }
  return x.toExponential(2);
}

export function withUnit(x: number, unit?: string): string {
  return unit ? `${formatNumber(x)} ${unit}` : formatNumber(x);
}

/** True when `measured` satisfies `op value`. */
export function satisfies(measured: number, t: Threshold): boolean {
  switch (t.op) {
    case '>=':
      return measured >= t.value;
    case '>':
      return measured > t.value;
    case '<=':
      return measured <= t.value;
    case '<':
      return measured < t.value;
    case '==':
      return measured === t.value;
  }
}

/** Signed distance to the threshold, positive = headroom, negative = by how much it failed. */
export function marginOf(measured: number, t: Threshold): number {
  switch (t.op) {
    case '>=':
    case '>':
      return measured - t.value;
    case '<=':
    case '<':
      return t.value - measured;
    case '==':
      return -Math.abs(measured - t.value);
  }
}

// The operator that a failing value violates, for "731 d > 365 d".
const VIOLATED: Record<Threshold['op'], string> = { '>=': '<', '>': '≤', '<=': '>', '<': '≥', '==': '≠' };
const SHOWN: Record<Threshold['op'], string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '==': '=' };

export interface GateSpec {
  id: string;
  suite: SuiteId;
  metric: string;
  threshold: Threshold;
  /** null when the value could not be measured; `unmeasured` then says why. */
  measured: number | null;
  how: string;
  source?: SourceRef | undefined;
  unmeasured?: string;
  /** Status of a gate that has no value: `not run` (default: data, baseline or suite missing) or `failed` (e.g. NaN predictions). */
  unmeasuredStatus?: 'not run' | 'failed';
  /** Set when the value was measured but cannot be trusted to decide the gate: it becomes inconclusive with this reason. */
  inconclusive?: string;
  /** What to do next; a default is given for each status. */
  nextStep?: string;
  /** Appended to the message, e.g. which features drifted. */
  detail?: string;
}

const NEXT_NOT_RUN = 'run every suite to the end (`modelgate test <manifest>` without --only) after fixing what the reason names';

const RAISE = 'or, if the bar itself is wrong, change the threshold on the manifest line shown';

/** What to do about a gate that failed on a measured value, when its suite has nothing more specific to say. */
export function failedNextStep(id: string): string {
  if (id === 'stress.p99')
    return `make inference faster: enable serving.batching, raise serving.threads or serving.instances, or serve a smaller model — ${RAISE} (slo.p99Ms)`;
  if (id === 'stress.rps') return `raise throughput: enable serving.batching, raise serving.instances or serving.threads — ${RAISE} (slo.rps)`;
  if (id === 'stress.errorRate') return 'read the server log for the failed requests (timeouts, 5xx), fix their cause, and test again';
  if (id === 'stress.correctness' || id === 'metrics.skew')
    return "served predictions differ from in-process ones: check the pre- and postprocessing steps and each input's dtype in signature, then test again";
  if (id.startsWith('metrics.regression.'))
    return 'this version is worse than the published one it is compared with: keep that one, or improve this model and test again';
  if (id.startsWith('metrics.'))
    return `the model misses this bar on the validation data: improve it (more or better training data, tuning, class weights) and test again — ${RAISE}`;
  if (id === 'staleness.modelAge') return 'retrain the model and set model.trainedAt to when it was trained';
  if (id === 'staleness.dataAge') return 'retrain on newer data and update data.training[].window.end';
  if (id.startsWith('staleness.prediction.'))
    return 'the model predicts the classes in different shares on current data: look at the drifted features in the report, retrain on recent data, or update data.labelFrequencies if the class mix really changed';
  if (id.startsWith('staleness.'))
    return 'current data differs from the reference: look at the drifted features in the report and retrain on recent data (and refresh data.reference) — or, if the change is expected, raise the threshold on the manifest line shown';
  return 'fix what the message names, then test again';
}

/** Builds the GateResult; the message names the gate, the value, the threshold and the margin. */
export function gate(spec: GateSpec): GateResult {
  const { id, suite, metric, threshold, measured, how, source } = spec;
  const unit = threshold.unit;
  const base: GateResult = { id, suite, metric, threshold, measured, status: 'not run', pass: false, how, message: '' };
  if (source) base.source = source;
  if (measured === null || !Number.isFinite(measured)) {
    const why = spec.unmeasured ?? 'the value could not be computed';
    base.measured = null;
    base.status = spec.unmeasuredStatus ?? 'not run';
    base.reason = why;
    base.nextStep = spec.nextStep ?? (base.status === 'failed' ? 'fix what the reason names, then test again' : NEXT_NOT_RUN);
    base.message = base.status === 'failed' ? `${id}: failed without a value — ${why}` : `${id}: not run — ${why}`;
    return base;
  }
  const pass = satisfies(measured, threshold);
  const margin = marginOf(measured, threshold);
  base.margin = margin;
  const comparison = pass
    ? `${withUnit(measured, unit)} ${SHOWN[threshold.op]} ${withUnit(threshold.value, unit)} (headroom ${withUnit(Math.abs(margin), unit)})`
    : `${withUnit(measured, unit)} ${VIOLATED[threshold.op]} ${withUnit(threshold.value, unit)} by ${withUnit(Math.abs(margin), unit)}`;
  if (spec.inconclusive) {
    base.status = 'inconclusive';
    base.reason = spec.inconclusive;
    base.nextStep = spec.nextStep ?? 'measure again on a quieter machine or with a longer --duration';
    base.message = `${id}: inconclusive — measured ${comparison}, but ${spec.inconclusive}`;
    return base;
  }
  base.status = pass ? 'passed' : 'failed';
  base.pass = pass;
  base.message = `${id}: ${comparison}`;
  if (spec.detail) base.message += ` (${spec.detail})`;
  if (!pass) base.nextStep = spec.nextStep ?? failedNextStep(id);
  return base;
}

/** A gate that could not be measured (missing data, empty file, suite not run…): `not run` unless told otherwise. */
export function unmeasuredGate(spec: Omit<GateSpec, 'measured' | 'unmeasured'>, why: string): GateResult {
  return gate({ ...spec, measured: null, unmeasured: why });
}

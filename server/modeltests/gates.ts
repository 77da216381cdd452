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
    case '>=': return measured >= t.value;
    case '>': return measured > t.value;
    case '<=': return measured <= t.value;
    case '<': return measured < t.value;
    case '==': return measured === t.value;
  }
}

/** Signed distance to the threshold, positive = headroom, negative = by how much it failed. */
export function marginOf(measured: number, t: Threshold): number {
  switch (t.op) {
    case '>=':
    case '>': return measured - t.value;
    case '<=':
    case '<': return t.value - measured;
    case '==': return -Math.abs(measured - t.value);
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
    base.message = base.status === 'failed'
      ? `${id}: failed without a value — ${why}`
      : `${id}: not run — ${why}`;
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
  if (!pass && spec.nextStep) base.nextStep = spec.nextStep;
  return base;
}

/** A gate that could not be measured (missing data, empty file, suite not run…): `not run` unless told otherwise. */
export function unmeasuredGate(spec: Omit<GateSpec, 'measured' | 'unmeasured'>, why: string): GateResult {
  return gate({ ...spec, measured: null, unmeasured: why });
}

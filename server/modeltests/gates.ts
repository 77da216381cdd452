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
  /** Appended to the message, e.g. which features drifted. */
  detail?: string;
}

/** Builds the GateResult; the message names the gate, the value, the threshold and the margin. */
export function gate(spec: GateSpec): GateResult {
  const { id, suite, metric, threshold, measured, how, source } = spec;
  const unit = threshold.unit;
  const base: GateResult = { id, suite, metric, threshold, measured, pass: false, how, message: '' };
  if (source) base.source = source;
  if (measured === null || !Number.isFinite(measured)) {
    base.measured = null;
    base.message = `${id}: not measured — ${spec.unmeasured ?? 'the value could not be computed'}; the gate fails until it can be measured.`;
    return base;
  }
  const pass = satisfies(measured, threshold);
  const margin = marginOf(measured, threshold);
  base.pass = pass;
  base.margin = margin;
  base.message = pass
    ? `${id}: ${withUnit(measured, unit)} ${SHOWN[threshold.op]} ${withUnit(threshold.value, unit)} (headroom ${withUnit(Math.abs(margin), unit)})`
    : `${id}: ${withUnit(measured, unit)} ${VIOLATED[threshold.op]} ${withUnit(threshold.value, unit)} by ${withUnit(Math.abs(margin), unit)}`;
  if (spec.detail) base.message += ` (${spec.detail})`;
  return base;
}

/** A gate that failed before anything could be measured (missing data, empty file…). */
export function unmeasuredGate(spec: Omit<GateSpec, 'measured' | 'unmeasured'>, why: string): GateResult {
  return gate({ ...spec, measured: null, unmeasured: why });
}

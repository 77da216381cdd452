// Stress gates from the manifest SLO: p99 latency at the target rate, the
// highest sustainable rate, the error rate, and correctness under load.
// Messages, margins and manifest sources come from the shared gate builder,
// so every suite words its results the same way; `how` says which load mode
// produced each figure.
import { gate } from '../gates';
import type { GateResult, SourceRef } from '../../protocol/report';

export interface StressMeasurements {
  /** p99 (ms) at the load the p99 gate is judged at; `at` names that load and its mode. */
  latency?: { p99Ms: number; how: string; at: string };
  /** Highest sustainable rate (rps) and how it was found. */
  sustainable?: { rps: number; how: string };
  errors?: { failed: number; requests: number; how: string };
  correctness?: { sampled: number; mismatches: number; maxAbsDiff: number; tolerance: number; how: string };
  /** Why something was not measured (e.g. cancelled), used when a measurement is missing. */
  missingWhy: string;
}

export interface StressThresholds {
  p99Ms?: number;
  rps?: number;
  errorRate: number;
  /** Where each threshold came from; absent = a default. */
  sources: { p99Ms?: SourceRef; rps?: SourceRef; errorRate?: SourceRef; skewTolerance?: SourceRef };
}

const DEFAULT = ' (default threshold: not set in the manifest)';

export function evaluateStressGates(t: StressThresholds, m: StressMeasurements): GateResult[] {
  const gates: GateResult[] = [];
  if (t.p99Ms !== undefined) {
    gates.push(gate({
      id: 'stress.p99', suite: 'stress',
      metric: `p99 latency${m.latency ? ` at ${m.latency.at}` : ''}`,
      threshold: { op: '<=', value: t.p99Ms, unit: 'ms' },
      measured: m.latency?.p99Ms ?? null,
      how: m.latency?.how ?? 'not measured',
      source: t.sources.p99Ms,
      unmeasured: m.missingWhy,
    }));
  }
  if (t.rps !== undefined) {
    gates.push(gate({
      id: 'stress.rps', suite: 'stress',
      metric: `highest sustainable rate${t.p99Ms !== undefined ? ` within p99 ≤ ${t.p99Ms} ms` : ''} (open model)`,
      threshold: { op: '>=', value: t.rps, unit: 'rps' },
      measured: m.sustainable?.rps ?? null,
      how: m.sustainable?.how ?? 'not measured',
      source: t.sources.rps,
      unmeasured: m.missingWhy,
    }));
  }
  const e = m.errors;
  gates.push(gate({
    id: 'stress.errorRate', suite: 'stress',
    metric: `error rate${e ? ` (${e.failed} of ${e.requests} requests failed)` : ''}`,
    threshold: { op: '<=', value: t.errorRate },
    measured: e && e.requests > 0 ? e.failed / e.requests : null,
    how: (e?.how ?? 'not measured') + (t.sources.errorRate ? '' : DEFAULT),
    source: t.sources.errorRate,
    unmeasured: e ? 'no request was sent' : m.missingWhy,
  }));
  const c = m.correctness;
  gates.push(gate({
    id: 'stress.correctness', suite: 'stress',
    metric: `responses under load differing from unbatched predictions by more than ${c?.tolerance ?? 'the tolerance'}` +
      (c ? ` (of ${c.sampled} sampled; largest difference ${c.maxAbsDiff})` : ''),
    threshold: { op: '<=', value: 0 },
    measured: c && c.sampled > 0 ? c.mismatches : null,
    how: (c?.how ?? 'not measured') + (t.sources.skewTolerance ? '' : DEFAULT),
    source: t.sources.skewTolerance,
    unmeasured: c && c.sampled === 0 ? 'no response was sampled under load' : m.missingWhy,
  }));
  return gates;
}

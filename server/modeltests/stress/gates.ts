// Stress gates from the manifest SLO: p99 latency at the target rate, the
// highest sustainable rate, the error rate, and correctness under load.
// Messages, margins and manifest sources come from the shared gate builder,
// so every suite words its results the same way; `how` says which load mode
// produced each figure. A figure that noise could have turned from a pass
// into a fail makes its gate inconclusive (doubts.ts), with a next step;
// correctness is never in doubt, since noise cannot change an answer.
import { gate } from '../gates';
import type { GateResult, SourceRef } from '../../protocol/report';
import { errorRateDoubt, p99Doubt, rpsDoubt, type ErrorEvidence, type LatencyEvidence, type RateEvidence } from './doubts';

export interface StressMeasurements {
  /**
   * p99 (ms) at the load the p99 gate is judged at; `at` names that load and
   * its mode. `evidence` carries the interval, noise floor and generator
   * state that decide whether the figure can judge the gate; `explained`
   * is appended when it stands despite a disagreeing figure elsewhere.
   */
  latency?: { p99Ms: number; how: string; at: string; evidence?: Omit<LatencyEvidence, 'p99Ms'>; explained?: string };
  /** Highest sustainable rate (rps) and how it was found; `atSlo` is how the point at slo.rps fared. */
  sustainable?: { rps: number; how: string; atSlo?: RateEvidence };
  errors?: { failed: number; requests: number; how: string; evidence?: Omit<ErrorEvidence, 'failed' | 'requests'> };
  correctness?: { sampled: number; mismatches: number; maxAbsDiff: number; tolerance: number; how: string };
  /** Why something was not measured (e.g. cancelled), used when a measurement is missing. */
  missingWhy: string;
}

export interface StressThresholds {
  p99Ms?: number;
  rps?: number;
  errorRate: number;
  /** Full width of a narrow p99 interval relative to the p99 (see p99Settled); default 0.2. */
  p99Tolerance?: number;
  /** Where each threshold came from; absent = a default. */
  sources: { p99Ms?: SourceRef; rps?: SourceRef; errorRate?: SourceRef; skewTolerance?: SourceRef };
}

const DEFAULT = ' (default threshold: not set in the manifest)';

export function evaluateStressGates(t: StressThresholds, m: StressMeasurements): GateResult[] {
  const gates: GateResult[] = [];
  const latencyDoubt =
    t.p99Ms !== undefined && m.latency
      ? p99Doubt(t.p99Ms, { p99Ms: m.latency.p99Ms, generatorBound: false, ...m.latency.evidence }, t.p99Tolerance ?? 0.2)
      : undefined;
  if (t.p99Ms !== undefined) {
    const bound = m.latency?.evidence?.generatorBound;
    gates.push(
      gate({
        id: 'stress.p99',
        suite: 'stress',
        metric: `p99 latency${m.latency ? ` at ${m.latency.at}` : ''}`,
        threshold: { op: '<=', value: t.p99Ms, unit: 'ms' },
        measured: m.latency?.p99Ms ?? null,
        how: m.latency?.how ?? 'not measured',
        source: t.sources.p99Ms,
        unmeasured: m.missingWhy,
        ...(latencyDoubt ? { inconclusive: latencyDoubt.reason, nextStep: latencyDoubt.nextStep } : {}),
        ...detail(
          bound && m.latency && m.latency.p99Ms <= t.p99Ms ? 'the load generator was the bottleneck, which only adds latency: the pass stands' : undefined,
          m.latency?.explained,
        ),
      }),
    );
  }
  if (t.rps !== undefined) {
    gates.push(
      gate({
        id: 'stress.rps',
        suite: 'stress',
        metric: `highest sustainable rate${t.p99Ms !== undefined ? ` within p99 ≤ ${t.p99Ms} ms` : ''} (open model)`,
        threshold: { op: '>=', value: t.rps, unit: 'rps' },
        measured: m.sustainable?.rps ?? null,
        how: m.sustainable?.how ?? 'not measured',
        source: t.sources.rps,
        unmeasured: m.missingWhy,
        ...doubtOf(m.sustainable?.atSlo ? rpsDoubt(m.sustainable.rps, t.rps, m.sustainable.atSlo, latencyDoubt) : undefined),
      }),
    );
  }
  const e = m.errors;
  gates.push(
    gate({
      id: 'stress.errorRate',
      suite: 'stress',
      metric: `error rate${e ? ` (${e.failed} of ${e.requests} requests failed)` : ''}`,
      threshold: { op: '<=', value: t.errorRate },
      measured: e && e.requests > 0 ? e.failed / e.requests : null,
      how: (e?.how ?? 'not measured') + (t.sources.errorRate ? '' : DEFAULT),
      source: t.sources.errorRate,
      unmeasured: e ? 'no request was sent' : m.missingWhy,
      ...doubtOf(e?.evidence ? errorRateDoubt(t.errorRate, { failed: e.failed, requests: e.requests, ...e.evidence }) : undefined),
    }),
  );
  const c = m.correctness;
  gates.push(
    gate({
      id: 'stress.correctness',
      suite: 'stress',
      metric:
        `responses under load differing from unbatched predictions by more than ${c?.tolerance ?? 'the tolerance'}` +
        (c ? ` (of ${c.sampled} sampled; largest difference ${c.maxAbsDiff})` : ''),
      threshold: { op: '<=', value: 0 },
      measured: c && c.sampled > 0 ? c.mismatches : null,
      how: (c?.how ?? 'not measured') + (t.sources.skewTolerance ? '' : DEFAULT),
      source: t.sources.skewTolerance,
      unmeasured: c && c.sampled === 0 ? 'no response was sampled under load' : m.missingWhy,
    }),
  );
  return gates;
}

function doubtOf(d: { reason: string; nextStep: string } | undefined): { inconclusive?: string; nextStep?: string } {
  return d ? { inconclusive: d.reason, nextStep: d.nextStep } : {};
}

/** The parts given, as the gate message's closing remark. */
function detail(...parts: (string | undefined)[]): { detail?: string } {
  const kept = parts.filter((x): x is string => !!x);
  return kept.length ? { detail: kept.join('; ') } : {};
}

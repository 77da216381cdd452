// What the stress suite will do, resolved once from the manifest SLO, its
// defaults and the caller's options (duration override, quick mode).
import { parseDuration } from '../../manifest/durations';
import type { ModelManifest } from '../../manifest/types';

export interface StressOptions {
  /** Seconds per measured run of a sweep point (overrides slo.duration). */
  durationS?: number;
  /** Longest warm-up in seconds (0: none). */
  warmupS?: number;
  /** Short points and a small sweep, for tests. */
  quick?: boolean;
  /** Largest acceptable relative spread of repeated runs (default 0.05). */
  tolerance?: number;
  maxRuns?: number;
  /** Overrides slo.concurrency. */
  concurrency?: number[];
}

export interface StressPlan {
  concurrency: number[];
  /** Sweep points and the SLO-rate run. */
  durationS: number;
  /** Warm-up runs in chunks of this length until throughput is steady, between min and max seconds. */
  warmupChunkS: number;
  warmupMinS: number;
  /** Each bisection probe (one run). */
  searchDurationS: number;
  warmupS: number;
  tolerance: number;
  minRuns: number;
  /** Most runs of one sweep point. */
  maxRuns: number;
  /**
   * Runs beyond minRuns that the whole sweep may spend on unsteady points,
   * so a busy machine's time goes to the SLO point, which a gate reads.
   */
  sweepExtraRuns: number;
  /**
   * Runs at slo.rps: at least minRuns, then more until the p99 interval
   * settles the gate, up to this many (its time budget is sloMaxRuns ×
   * durationS, re-measures after a disagreeing rate search included).
   */
  sloMaxRuns: number;
  /** Time window (s) of the block bootstrap behind the p99 interval. */
  windowS: number;
  /** The p99 interval counts as narrow at this full width relative to the p99 (0.2 = ±10 %). */
  p99Tolerance: number;
  searchSteps: number;
  searchPrecision: number;
  timeoutS: number;
  /** Most sockets the open-model pacer may open. */
  openSockets: number;
  captureEvery: number;
  captureMax: number;
  p99Ms?: number;
  rps?: number;
  errorRate: number;
  skewTolerance: number;
}

export const DEFAULT_CONCURRENCY = [1, 4, 16, 64];
export const DEFAULT_DURATION_S = 10;
export const DEFAULT_ERROR_RATE = 0.001;
export const DEFAULT_SKEW_TOLERANCE = 1e-4;

export function resolveStressPlan(m: ModelManifest, opts: StressOptions = {}): StressPlan {
  const slo = m.slo ?? {};
  const quick = !!opts.quick;
  const sloMs = slo.duration ? parseDuration(slo.duration) : undefined;
  const durationS = opts.durationS ?? (quick ? 1 : sloMs ? sloMs / 1000 : DEFAULT_DURATION_S);
  let concurrency = [...new Set((opts.concurrency ?? slo.concurrency ?? DEFAULT_CONCURRENCY).map((c) => Math.max(1, Math.round(c))))].sort((a, b) => a - b);
  if (quick && !opts.concurrency) concurrency = concurrency.slice(0, 2);
  const maxRuns = Math.max(1, opts.maxRuns ?? (quick ? 2 : 3));
  const plan: StressPlan = {
    concurrency,
    durationS,
    // Probes only need a p99 and a kept-up rate; short probes keep the whole
    // suite within ~1 minute at the default 5–10 s points.
    searchDurationS: quick ? Math.min(durationS, 0.5) : Math.min(durationS, Math.max(1, durationS / 5)),
    // Measured on breast-cancer: the server needs 2–3 s of load (a few
    // thousand requests) before its throughput settles.
    warmupS: opts.warmupS ?? (quick ? 1.5 : 6),
    warmupMinS: Math.min(opts.warmupS ?? Infinity, quick ? 0.5 : 2),
    warmupChunkS: 0.5,
    tolerance: opts.tolerance ?? 0.05,
    minRuns: Math.min(2, maxRuns),
    maxRuns,
    sweepExtraRuns: 2,
    // With the default 5 s points: 10 s when the first two runs settle the
    // p99, at most 25 s, which keeps `modelgate test` on breast-cancer
    // within ~90 s on a busy 2-core machine.
    sloMaxRuns: Math.max(Math.min(2, maxRuns), quick ? 3 : 5),
    // At least four windows per run, and at most a second each: stalls last
    // tens to hundreds of ms, so a window holds a burst together.
    windowS: Math.min(1, durationS / 4),
    p99Tolerance: 0.2,
    searchSteps: quick ? 4 : 5,
    searchPrecision: 0.05,
    timeoutS: quick ? 3 : 10,
    openSockets: 256,
    captureEvery: 50,
    captureMax: 100,
    errorRate: slo.errorRate ?? DEFAULT_ERROR_RATE,
    skewTolerance: m.gates?.skewTolerance ?? DEFAULT_SKEW_TOLERANCE,
  };
  if (slo.p99Ms !== undefined) plan.p99Ms = slo.p99Ms;
  if (slo.rps !== undefined) plan.rps = slo.rps;
  return plan;
}

/** Seconds the plan takes when every point is stable at its first chance (for progress). */
export function plannedSeconds(p: StressPlan): number {
  return p.warmupS + p.concurrency.length * p.minRuns * p.durationS + p.searchSteps * p.searchDurationS + (p.rps ? p.minRuns * p.durationS : 0);
}

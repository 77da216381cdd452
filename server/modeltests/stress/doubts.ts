// When a stress figure cannot decide its gate. Machine noise, a starved
// load generator and a p99 that moves from window to window only ever add
// latency, lose throughput or drop requests, so each doubt is raised only
// where it could turn the verdict around: a pass measured under noise is a
// pass, a fail measured under noise is inconclusive. Pure functions with
// plain inputs, so each rule can be checked by hand.

/** Why a figure cannot decide its gate, and what the user can do about it. */
export interface Doubt {
  reason: string;
  nextStep: string;
}

/** The machine beside the measurement: CPU taken by other processes, out of how many cores. */
export interface MachineLoad {
  otherCpuCores?: number;
  cores?: number;
}

/** Other programs are worth naming from this much CPU on. */
const BUSY_CORES = 0.25;
/** From this much CPU taken by other programs the server plausibly lost throughput to them. */
export const CONTENDED_CORES = 0.5;

const ms = (x: number) => `${Number(x.toPrecision(3))} ms`;

function busyClause(m: MachineLoad): string {
  const o = m.otherCpuCores;
  if (o === undefined || o < BUSY_CORES) return '';
  return ` (other processes used ${Math.round(o * 10) / 10}${m.cores ? ` of ${m.cores}` : ''} cores meanwhile)`;
}

const NEXT_QUIET = (m: MachineLoad) => `close other programs${busyClause(m)} and test again, or run this gate in CI on a dedicated runner`;
const NEXT_UNSTABLE = (m: MachineLoad) =>
  `test again with a longer --duration (e.g. \`--duration 15s\`) so more windows settle the p99, ideally with other programs closed${busyClause(m)} or in CI`;

/** What the p99 gate reads at slo.rps (or, without slo.rps, a closed-model point). */
export interface LatencyEvidence extends MachineLoad {
  p99Ms: number;
  /** Bootstrap interval of p99 over the runs' time windows (open model at slo.rps only). */
  interval?: { lowMs: number; highMs: number; level: number; windows: number };
  /** p99 of the trivial endpoint at the same moments (open model at slo.rps only). */
  noiseFloorP99Ms?: number;
  generatorBound: boolean;
  /** Mean release lag (µs) and generator CPU (share of a core), to name the bound. */
  sendLagMeanUs?: number;
  generatorCpu?: number;
}

/**
 * The interval settles the p99 gate when it lies wholly on one side of the
 * limit, or is narrow (full width ≤ `tolerance` × p99, perf_analyzer's
 * ±10 % stability window for 0.2), so that more runs would not move it.
 */
export function p99Settled(limitMs: number, p99Ms: number, interval: { lowMs: number; highMs: number }, tolerance: number): boolean {
  return interval.highMs <= limitMs || interval.lowMs > limitMs || interval.highMs - interval.lowMs <= tolerance * p99Ms;
}

function boundWhy(e: LatencyEvidence): string {
  const parts: string[] = [];
  if (e.sendLagMeanUs !== undefined && e.sendLagMeanUs > 0) parts.push(`it released requests ${ms(e.sendLagMeanUs / 1000)} late on average`);
  if (e.generatorCpu !== undefined) parts.push(`it used ${Math.round(e.generatorCpu * 100)} % of a core`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Doubt about the p99 gate, or undefined when the measured p99 decides it. */
export function p99Doubt(limitMs: number, e: LatencyEvidence, tolerance: number): Doubt | undefined {
  const unsettled = e.interval && !p99Settled(limitMs, e.p99Ms, e.interval, tolerance);
  const range = e.interval
    ? `p99 ranged ${ms(e.interval.lowMs)}–${ms(e.interval.highMs)} (${Math.round(e.interval.level * 100)} % bootstrap interval over ${e.interval.windows} time windows)`
    : '';
  if (e.p99Ms <= limitMs) {
    // Noise only adds latency: a p99 within the limit stands, unless the
    // windows disagree so much that the limit lies inside their interval.
    if (unsettled) return { reason: `${range}, which straddles the ${ms(limitMs)} limit`, nextStep: NEXT_UNSTABLE(e) };
    return undefined;
  }
  const noise = e.noiseFloorP99Ms;
  if (noise !== undefined && noise > limitMs) {
    return {
      reason: `the noise floor alone exceeds the limit: a trivial endpoint in another process, sent the same schedule at the same moments, answered with p99 ${ms(noise)}`,
      nextStep: NEXT_QUIET(e),
    };
  }
  if (e.generatorBound) {
    return {
      reason: `the load generator was the bottleneck${boundWhy(e)}, so requests left in bursts and the figure says more about it than about the server`,
      nextStep: NEXT_QUIET(e),
    };
  }
  if (noise !== undefined && e.p99Ms - noise <= limitMs) {
    return {
      reason: `the machine's own p99 of ${ms(noise)} (trivial endpoint, same moments) is enough to carry the server's latency over the limit`,
      nextStep: NEXT_QUIET(e),
    };
  }
  if (unsettled) return { reason: `${range}, which straddles the ${ms(limitMs)} limit`, nextStep: NEXT_UNSTABLE(e) };
  return undefined;
}

/** Why the open-model point at slo.rps did not hold the rate, by the first criterion it missed. */
export type SloMiss = 'rate' | 'errors' | 'p99';

/** What the rps gate reads when the rate search found less than slo.rps. */
export interface RateEvidence extends MachineLoad {
  /** How the point at slo.rps missed (undefined: it held, or was not measured). */
  miss?: SloMiss;
  generatorBound: boolean;
  /** The trivial endpoint also fell short of the offered rate at the same moments. */
  noiseFellBehind?: boolean;
  /** The trivial endpoint lost requests at the same moments. */
  noiseFailed?: number;
}

/**
 * Doubt about a failing rps gate. A sustainable rate at or above slo.rps is
 * a pass whatever the machine did; below it, the point at slo.rps decides,
 * and its miss is in doubt when the p99 gate's is, when the generator was
 * the bottleneck, or when other programs took the CPU the server lacked.
 */
export function rpsDoubt(measuredRps: number, targetRps: number, e: RateEvidence, latency: Doubt | undefined): Doubt | undefined {
  if (measuredRps >= targetRps || !e.miss) return undefined;
  if (e.generatorBound) {
    return { reason: `the run at ${targetRps} rps was load-generator bound: the rate was not really offered`, nextStep: NEXT_QUIET(e) };
  }
  if (e.miss === 'p99' && latency) return { reason: `the run at ${targetRps} rps missed only on p99, and ${latency.reason}`, nextStep: latency.nextStep };
  if (e.miss === 'rate' && (e.noiseFellBehind || (e.otherCpuCores ?? 0) >= CONTENDED_CORES)) {
    return {
      reason: e.noiseFellBehind
        ? `a trivial endpoint could not keep up with ${targetRps} rps either at the same moments: the machine, not the server, set the limit`
        : `other processes took ${Math.round(e.otherCpuCores! * 10) / 10}${e.cores ? ` of ${e.cores}` : ''} cores while the server fell behind ${targetRps} rps`,
      nextStep: NEXT_QUIET(e),
    };
  }
  if (e.miss === 'errors' && (e.noiseFailed ?? 0) > 0) {
    return { reason: `the trivial endpoint also lost ${e.noiseFailed} request(s) at the same moments`, nextStep: NEXT_QUIET(e) };
  }
  return undefined;
}

/** What the error-rate gate reads. */
export interface ErrorEvidence extends MachineLoad {
  failed: number;
  requests: number;
  /** Answers with a non-2xx status: the server's own verdict, never noise. */
  non2xx: number;
  /** Failures (connection errors, timeouts) in runs where the load generator was the bottleneck. */
  generatorBoundFailed: number;
  /** Failures of the trivial endpoint at slo.rps, and its request count. */
  noiseFailed?: number;
  noiseRequests?: number;
}

/**
 * Doubt about a failing error-rate gate. A non-2xx answer is the server
 * speaking, so enough of them fail the gate whatever the machine did;
 * lost connections and timeouts are in doubt when the trivial endpoint lost
 * some too, or when only the generator-bound runs carry the rate over.
 */
export function errorRateDoubt(limit: number, e: ErrorEvidence): Doubt | undefined {
  if (e.requests === 0 || e.failed / e.requests <= limit) return undefined;
  if (e.non2xx / e.requests > limit) return undefined;
  if ((e.noiseFailed ?? 0) > 0) {
    return {
      reason: `the failures are lost connections and timeouts, and a trivial endpoint lost ${e.noiseFailed} of ${e.noiseRequests ?? '?'} requests at the same moments`,
      nextStep: NEXT_QUIET(e),
    };
  }
  if (e.generatorBoundFailed > 0 && (e.failed - e.generatorBoundFailed) / e.requests <= limit) {
    return {
      reason: `the failures that carry the rate over the limit (${e.generatorBoundFailed}) are lost connections and timeouts in runs where the load generator was the bottleneck`,
      nextStep: NEXT_QUIET(e),
    };
  }
  return undefined;
}

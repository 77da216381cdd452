// Turning repeated load runs into one report point, and deciding whether an
// open-model run kept up with its offered rate.
import type { StressNoiseFloor, StressPoint } from '../../protocol/report';
import { p99Settled, type SloMiss } from './doubts';
import type { LoadRunResult } from './loadgenProtocol';
import { addBuckets, mergeHistograms, newBuckets, summarizeLatency } from './latency';
import { quantileInterval } from './quantileInterval';
import { median, type Repeated } from './stability';

/** At or above this share of one core the load generator, not the server, is the likely limit. */
export const CPU_BOUND = 0.9;
/** Open model: mean release lag behind schedule (µs) above which the offered rate was not really offered. */
export const LAG_BOUND_US = 5000;

/** Fewest time windows whose bootstrap interval can call a p99 stable. */
export const MIN_WINDOWS = 4;

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function failedRequests(r: Pick<LoadRunResult, 'errors' | 'timeouts' | 'non2xx'>): number {
  return r.errors + r.timeouts + r.non2xx;
}

export function generatorBound(r: Pick<LoadRunResult, 'cpu' | 'sendLagUs'>): boolean {
  return r.cpu >= CPU_BOUND || (r.sendLagUs?.mean ?? 0) > LAG_BOUND_US;
}

export interface SustainCriteria {
  /** Achieved throughput must be at least (1 − tolerance) × offered. */
  tolerance: number;
  errorRate: number;
  p99Ms?: number;
}

export interface Sustained {
  ok: boolean;
  p99Ms: number;
  /** The first criterion missed, in words and as a kind. */
  why?: string;
  miss?: SloMiss;
}

/** Whether throughput, failures and p99 of one run or one pooled point kept within the criteria. */
function judge(offered: number, throughputRps: number, failed: number, sent: number, p99Ms: number, c: SustainCriteria): Sustained {
  const rate = sent > 0 ? failed / sent : 1;
  if (throughputRps < (1 - c.tolerance) * offered) return { ok: false, p99Ms, why: `achieved ${r1(throughputRps)} of ${offered} rps`, miss: 'rate' };
  if (rate > c.errorRate) return { ok: false, p99Ms, why: `error rate ${r3(rate)} > ${c.errorRate}`, miss: 'errors' };
  if (c.p99Ms !== undefined && p99Ms > c.p99Ms) return { ok: false, p99Ms, why: `p99 ${r3(p99Ms)} ms > ${c.p99Ms} ms`, miss: 'p99' };
  return { ok: true, p99Ms };
}

/** Whether an open-model run sustained its rate; `why` names the first criterion it missed. */
export function sustained(r: LoadRunResult, c: SustainCriteria): Sustained {
  const p99Ms = summarizeLatency(mergeHistograms([r.histogram])).p99 / 1000;
  return judge(r.offeredRps ?? 0, r.throughputRps, failedRequests(r), r.sent, p99Ms, c);
}

/**
 * Whether a repeated open-model point sustained its rate, judged on the
 * pooled figures (median throughput, all requests, merged p99) — the same
 * figures its gates read, so a longer series of runs is not held to every
 * run's worst moment.
 */
export function sustainedPoint(p: StressPoint, c: SustainCriteria): Sustained {
  return judge(p.offeredRps ?? 0, p.throughputRps, failedRequests(p), p.requests, p.latencyUs.p99 / 1000, c);
}

/** One report point from the repeated runs of one load level, with its summed plot buckets. */
export function toPoint(
  rep: Repeated<LoadRunResult>,
  durationS: number,
  p99LimitMs?: number,
  judged: { windowS?: number; p99Tolerance?: number } = {},
): { point: StressPoint; buckets: number[] } {
  const runs = rep.runs;
  const first = runs[0]!;
  const latencyUs = summarizeLatency(mergeHistograms(runs.map((r) => r.histogram)));
  const buckets = newBuckets();
  for (const r of runs) addBuckets(buckets, r.buckets);
  const sum = (f: (r: LoadRunResult) => number) => runs.reduce((a, r) => a + f(r), 0);
  const cpu = Math.max(...runs.map((r) => r.cpu));
  const point: StressPoint = {
    mode: first.mode,
    connections: Math.max(...runs.map((r) => r.connections)),
    durationS,
    throughputRps: r1(median(rep.throughputs)),
    latencyUs,
    requests: sum((r) => r.sent),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    runs: rep.throughputs.map(r1),
    spread: Math.round(rep.spread * 10000) / 10000,
    stable: rep.stable,
    loadGeneratorCpu: r3(cpu),
    loadGeneratorBound: runs.some(generatorBound),
  };
  if (first.offeredRps !== undefined) point.offeredRps = first.offeredRps;
  const lags = runs.map((r) => r.sendLagUs).filter((l): l is { mean: number; max: number } => !!l);
  if (lags.length) point.sendLagUs = { mean: Math.round(lags.reduce((a, l) => a + l.mean, 0) / lags.length), max: Math.max(...lags.map((l) => l.max)) };
  if (p99LimitMs !== undefined) point.sloExceeded = latencyUs.p99 > p99LimitMs * 1000;
  const windows = runs.flatMap((r) => r.windows ?? []);
  if (windows.length && judged.windowS) {
    const ci = quantileInterval(windows);
    // The pooled p99 itself is the hdr figure every other point reports; the
    // interval is widened to hold it (the two differ by hdr's rounding).
    const low = Math.min(ci.low, latencyUs.p99);
    const high = Math.max(ci.high, latencyUs.p99);
    point.p99IntervalUs = { low, high, level: ci.level, windows: ci.windows, windowS: judged.windowS };
    // Too few windows to resample is no evidence of stability.
    point.p99Stable =
      ci.windows < MIN_WINDOWS
        ? false
        : p99LimitMs === undefined
          ? high - low <= (judged.p99Tolerance ?? 0.2) * latencyUs.p99
          : p99Settled(p99LimitMs, latencyUs.p99 / 1000, { lowMs: low / 1000, highMs: high / 1000 }, judged.p99Tolerance ?? 0.2);
  }
  const noise = runs.map((r) => r.noise).filter((n): n is NonNullable<LoadRunResult['noise']> => !!n);
  if (noise.length) point.noiseFloor = noiseFloorOf(noise);
  return { point, buckets };
}

/** The trivial endpoint's figures over the runs of one point. */
export function noiseFloorOf(runs: NonNullable<LoadRunResult['noise']>[]): StressNoiseFloor {
  return {
    latencyUs: summarizeLatency(mergeHistograms(runs.map((n) => n.histogram))),
    requests: runs.reduce((a, n) => a + n.sent, 0),
    failed: runs.reduce((a, n) => a + failedRequests(n), 0),
    throughputRps: r1(median(runs.map((n) => n.throughputRps))),
  };
}

// Turning repeated load runs into one report point, and deciding whether an
// open-model run kept up with its offered rate.
import type { StressPoint } from '../../protocol/report';
import type { LoadRunResult } from './loadgenProtocol';
import { addBuckets, mergeHistograms, newBuckets, summarizeLatency } from './latency';
import { median, type Repeated } from './stability';

/** At or above this share of one core the load generator, not the server, is the likely limit. */
export const CPU_BOUND = 0.9;
/** Open model: mean release lag behind schedule (µs) above which the offered rate was not really offered. */
export const LAG_BOUND_US = 5000;

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

/** Whether an open-model run sustained its rate; `why` names the first criterion it missed. */
export function sustained(r: LoadRunResult, c: SustainCriteria): { ok: boolean; p99Ms: number; why?: string } {
  const p99Ms = summarizeLatency(mergeHistograms([r.histogram])).p99 / 1000;
  const offered = r.offeredRps ?? 0;
  const rate = r.sent > 0 ? failedRequests(r) / r.sent : 1;
  if (r.throughputRps < (1 - c.tolerance) * offered) return { ok: false, p99Ms, why: `achieved ${r1(r.throughputRps)} of ${offered} rps` };
  if (rate > c.errorRate) return { ok: false, p99Ms, why: `error rate ${r3(rate)} > ${c.errorRate}` };
  if (c.p99Ms !== undefined && p99Ms > c.p99Ms) return { ok: false, p99Ms, why: `p99 ${r3(p99Ms)} ms > ${c.p99Ms} ms` };
  return { ok: true, p99Ms };
}

/** One report point from the repeated runs of one load level, with its summed plot buckets. */
export function toPoint(rep: Repeated<LoadRunResult>, durationS: number, p99LimitMs?: number): { point: StressPoint; buckets: number[] } {
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
  return { point, buckets };
}

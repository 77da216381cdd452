// How sure a pooled p99 is: a block bootstrap over the time windows of the
// runs. Stalls on a busy machine come in bursts (a neighbour's build, a GC,
// a scheduler hiccup), so requests are not independent; resampling whole
// windows keeps a burst together, and the interval widens when the p99
// hinges on one or two bad windows — exactly when another run could change
// the verdict.
import type { LatencyWindow } from './loadgenProtocol';
import { seededRandom } from '../../stats/random';

/**
 * Rank from the top of the q-quantile of n values, as hdr-histogram reads
 * it: the k-th smallest with k = max(1, ceil(q·n)).
 */
export function rankFromTop(n: number, q: number): number {
  return n - Math.max(1, Math.ceil(q * n - 1e-9)) + 1;
}

/** Values ≥ x in a descending array. */
function countAtLeast(desc: number[], x: number): number {
  let lo = 0;
  let hi = desc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (desc[mid]! >= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The q-quantile of the windows taken `times[i]` times each (a bootstrap
 * draw; all ones for the plain pooled value). Exact while every window's
 * kept tail reaches the rank, which TAIL_MAX makes true for any p99 the
 * suite measures; 0 when there are no values.
 */
export function pooledQuantile(windows: LatencyWindow[], q: number, times: number[] = windows.map(() => 1)): number {
  let n = 0;
  let top = 0;
  let bottom = Infinity;
  for (let i = 0; i < windows.length; i++) {
    const w = windows[i]!;
    const m = times[i] ?? 0;
    if (!m || w.count === 0) continue;
    n += m * w.count;
    top = Math.max(top, w.tailUs[0] ?? 0);
    bottom = Math.min(bottom, w.tailUs[w.tailUs.length - 1] ?? Infinity);
  }
  if (n === 0) return 0;
  const r = rankFromTop(n, q);
  const atLeast = (x: number) => windows.reduce((a, w, i) => a + (times[i] ?? 0) * countAtLeast(w.tailUs, x), 0);
  // Largest integer x with at least r values ≥ x: the r-th largest value.
  let lo = Math.max(1, Math.min(bottom, top));
  let hi = top;
  if (atLeast(lo) < r) return lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (atLeast(mid) >= r) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface QuantileInterval {
  /** The quantile of all windows pooled (µs). */
  value: number;
  low: number;
  high: number;
  level: number;
  /** Windows with at least one value. */
  windows: number;
}

export interface IntervalOptions {
  q?: number;
  level?: number;
  resamples?: number;
  seed?: number;
}

/**
 * Percentile interval of the pooled q-quantile from `resamples` draws of as
 * many windows as there are, with replacement. Fewer than two windows give
 * a zero-width interval: nothing to resample, which callers must not read
 * as stability (the stress plan always makes several windows per run).
 */
export function quantileInterval(all: LatencyWindow[], opts: IntervalOptions = {}): QuantileInterval {
  const q = opts.q ?? 0.99;
  const level = opts.level ?? 0.95;
  const windows = all.filter((w) => w.count > 0);
  const value = pooledQuantile(windows, q);
  const W = windows.length;
  if (W < 2) return { value, low: value, high: value, level, windows: W };
  const rand = seededRandom(opts.seed ?? 1);
  const B = opts.resamples ?? 1000;
  const draws: number[] = [];
  const times = new Array<number>(W);
  for (let b = 0; b < B; b++) {
    times.fill(0);
    for (let i = 0; i < W; i++) times[Math.floor(rand() * W)]!++;
    draws.push(pooledQuantile(windows, q, times));
  }
  draws.sort((a, b) => a - b);
  const at = (p: number) => draws[Math.min(B - 1, Math.max(0, Math.round(p * (B - 1))))]!;
  const tail = (1 - level) / 2;
  return { value, low: Math.min(value, at(tail)), high: Math.max(value, at(1 - tail)), level, windows: W };
}

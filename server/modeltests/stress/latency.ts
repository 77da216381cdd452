// Latency bookkeeping in microseconds. autocannon's own histogram records
// whole milliseconds, which hides everything interesting about a model that
// answers in 300 µs, so every request is recorded here at 1 µs resolution
// (hdr-histogram, 3 significant digits) and, for the report's plot, into a
// fixed log-spaced bucket grid that runs can simply add up.
import * as hdr from 'hdr-histogram-js';
import type { HistogramData, LatencySummaryUs } from '../../protocol/report';

/** Buckets per decade of the plot grid. */
const PER_DECADE = 10;
/** Upper bounds (µs) of the grid: 10^(i/10) for i = 0..80, i.e. 1 µs to 100 s. */
export const LOG_BUCKETS_US: number[] = Array.from({ length: 8 * PER_DECADE + 1 }, (_, i) => 10 ** (i / PER_DECADE));

/** Index of the grid bucket holding `us` (values beyond the last bound land in the last bucket). */
export function bucketIndex(us: number): number {
  if (!(us > 1)) return 0;
  // Round before ceil so exact bounds (10, 100, …) stay in their own bucket
  // despite floating-point noise in log10.
  const i = Math.ceil(Math.round(PER_DECADE * Math.log10(us) * 1e9) / 1e9);
  return Math.min(LOG_BUCKETS_US.length - 1, i);
}

export function newBuckets(): number[] {
  return new Array<number>(LOG_BUCKETS_US.length).fill(0);
}

export function addBuckets(into: number[], from: number[]): number[] {
  for (let i = 0; i < into.length; i++) into[i]! += from[i] ?? 0;
  return into;
}

/** The grid trimmed to the range that holds values, with readable bounds. */
export function reportHistogram(counts: number[]): HistogramData {
  const first = counts.findIndex((c) => c > 0);
  if (first < 0) return { bucketsUs: [], counts: [] };
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  const bucketsUs: number[] = [];
  const out: number[] = [];
  for (let i = first; i <= last; i++) {
    bucketsUs.push(Number(LOG_BUCKETS_US[i]!.toPrecision(3)));
    out.push(counts[i]!);
  }
  return { bucketsUs, counts: out };
}

export type LatencyHistogram = hdr.Histogram;

export function newLatencyHistogram(): LatencyHistogram {
  // 1 µs to 1 h; autoResize keeps a pathological stall from throwing.
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
}

/** Records one latency in µs (sub-µs values count as 1 µs). */
export function recordUs(h: LatencyHistogram, buckets: number[], us: number): void {
  const v = Math.max(1, Math.round(us));
  h.recordValue(v);
  buckets[bucketIndex(v)]!++;
}

export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Sum of several encoded histograms (e.g. the repeated runs of one point). */
export function mergeHistograms(encoded: string[]): LatencyHistogram {
  const sum = newLatencyHistogram();
  for (const e of encoded) {
    const h = hdr.decodeFromCompressedBase64(e);
    sum.add(h);
  }
  return sum;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** p50/p90/p99/p99.9/max/mean in µs; all zero for an empty histogram. */
export function summarizeLatency(h: LatencyHistogram): LatencySummaryUs {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    p999: h.getValueAtPercentile(99.9),
    max: h.maxValue,
    mean: round1(h.mean),
  };
}

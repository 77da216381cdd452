// Bins cut at reference quantiles: each bin holds about the same share of
// the reference data, so PSI weighs every part of the distribution alike.
import { countAtMost, quantileSorted } from './numbers';

/**
 * Inner cut points at the reference's i/bins quantiles, duplicates removed
 * (a discrete or heavily tied column yields fewer, wider bins).
 */
export function quantileEdges(referenceSorted: ArrayLike<number>, bins = 10): number[] {
  const edges: number[] = [];
  if (referenceSorted.length === 0) return edges;
  for (let i = 1; i < bins; i++) {
    const q = quantileSorted(referenceSorted, i / bins);
    if (edges.length === 0 || q > (edges[edges.length - 1] as number)) edges.push(q);
  }
  return edges;
}

/**
 * Counts of a sorted sample in the bins (-∞, e1], (e1, e2], …, (e_k, ∞):
 * k + 1 bins for k inner edges.
 */
export function binCounts(sorted: ArrayLike<number>, innerEdges: readonly number[]): number[] {
  const counts: number[] = [];
  let below = 0;
  for (const e of innerEdges) {
    const c = countAtMost(sorted, e);
    counts.push(c - below);
    below = c;
  }
  counts.push(sorted.length - below);
  return counts;
}

export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Index of the bin holding `v` among (-∞, e1], (e1, e2], …, (e_k, ∞) — the
 * same bins `binCounts` counts, for data that arrives one value at a time.
 */
export function binIndex(innerEdges: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = innerEdges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (innerEdges[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface ReferenceBins {
  /** Inner cut points at the reference quantiles (`quantileEdges`). */
  edges: number[];
  /** Share of the reference in each of the edges.length + 1 bins. */
  expected: number[];
}

/** Reference-quantile bins of a sorted sample and the reference's own share in each. */
export function referenceBins(referenceSorted: ArrayLike<number>, bins = 10): ReferenceBins {
  const edges = quantileEdges(referenceSorted, bins);
  return { edges, expected: shares(binCounts(referenceSorted, edges)) };
}

// Bins for PSI: edges at the reference data's quantiles, so every bin holds
// about the same share of reference rows. Repeated values (a pixel that is
// almost always 0) collapse edges; the expected share of each bin is then
// measured on the reference itself rather than assumed to be 1/bins.
export interface QuantileBins {
  /** Upper edges; a value v falls in the first bin with v <= edge, else in the last bin. */
  edges: Float64Array;
  /** Share of reference rows per bin (edges.length + 1 bins). */
  expected: Float64Array;
}

export function binIndex(edges: Float64Array, v: number): number {
  // binary search: edges are few (≤ bins - 1) but this runs per value
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Quantile bins of the finite values of `values` (NaN are skipped). */
export function quantileBins(values: ArrayLike<number>, bins = 10): QuantileBins {
  const sorted = Array.from(values).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const edges: number[] = [];
  if (sorted.length > 0) {
    for (let q = 1; q < bins; q++) {
      const e = sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / bins))]!;
      if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
    }
    // An edge at the maximum leaves the top bin empty in the reference: live
    // values above every reference value then show up as drift, as they should.
    if (edges.length === 0) edges.push(sorted[0]!);
  }
  const e = Float64Array.from(edges);
  const counts = new Float64Array(e.length + 1);
  for (const v of sorted) counts[binIndex(e, v)]!++;
  const expected = counts.map((c) => (sorted.length ? c / sorted.length : 0));
  return { edges: e, expected };
}

/**
 * Population stability index between expected and actual bin shares.
 * Empty bins are floored at `eps` so one empty bin does not make it infinite.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>, eps = 1e-4): number {
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, eps);
    const a = Math.max(actual[i]!, eps);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Jensen–Shannon distance (base 2, 0..1) between two distributions. */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = q[i]!;
    const m = (a + b) / 2;
    if (a > 0) js += 0.5 * a * Math.log2(a / m);
    if (b > 0) js += 0.5 * b * Math.log2(b / m);
  }
  return Math.sqrt(Math.max(0, js));
}

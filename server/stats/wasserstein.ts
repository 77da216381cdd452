// Wasserstein-1 (earth mover's) distance between two empirical
// distributions: W₁ = ∫ |F_a(x) − F_b(x)| dx, the area between the CDFs.
import { populationStd } from './numbers';

/** W₁ for two sorted samples of finite values. */
export function wasserstein1(aSorted: ArrayLike<number>, bSorted: ArrayLike<number>): number {
  const n = aSorted.length;
  const m = bSorted.length;
  if (n === 0 || m === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let prev = Math.min(aSorted[0] as number, bSorted[0] as number);
  let area = 0;
  while (i < n || j < m) {
    const a = i < n ? (aSorted[i] as number) : Number.POSITIVE_INFINITY;
    const b = j < m ? (bSorted[j] as number) : Number.POSITIVE_INFINITY;
    const x = a <= b ? a : b;
    // Both CDFs are constant on [prev, x): add that strip's area.
    area += Math.abs(i / n - j / m) * (x - prev);
    while (i < n && (aSorted[i] as number) <= x) i++;
    while (j < m && (bSorted[j] as number) <= x) j++;
    prev = x;
  }
  return area;
}

/**
 * Smallest reference spread used as the divisor, as Evidently does, so a
 * near-constant reference gives a large finite distance instead of ∞.
 */
export const WASSERSTEIN_MIN_STD = 0.001;

/**
 * W₁ divided by the reference's (population) standard deviation, so the
 * threshold means "shift in reference standard deviations" whatever the units.
 */
export function normalizedWasserstein(referenceSorted: ArrayLike<number>, currentSorted: ArrayLike<number>): number {
  const w = wasserstein1(referenceSorted, currentSorted);
  return w / Math.max(populationStd(referenceSorted), WASSERSTEIN_MIN_STD);
}

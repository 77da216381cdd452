// Chi-square distribution tail and Pearson's test of homogeneity, used for
// drift of categorical features.
import { regularizedGammaQ } from './gamma';

/** P(χ²_df > x): the p-value of a chi-square statistic x with df degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Pearson's chi-square test that two samples come from the same categorical
 * distribution (a 2 × k contingency table of counts per category). Unlike a
 * goodness-of-fit test against reference shares, a category that only
 * appears in the current data is a finite, counted difference rather than
 * a division by zero. Categories empty in both samples are dropped.
 * Returns null when a sample is empty (there is nothing to compare).
 */
export function chiSquareHomogeneity(referenceCounts: readonly number[], currentCounts: readonly number[]): ChiSquareResult | null {
  const nRef = referenceCounts.reduce((a, b) => a + b, 0);
  const nCur = currentCounts.reduce((a, b) => a + b, 0);
  if (nRef === 0 || nCur === 0) return null;
  const total = nRef + nCur;
  let statistic = 0;
  let categories = 0;
  for (let j = 0; j < referenceCounts.length; j++) {
    const r = referenceCounts[j] as number;
    const c = currentCounts[j] ?? 0;
    const col = r + c;
    if (col === 0) continue;
    categories++;
    const er = (nRef * col) / total;
    const ec = (nCur * col) / total;
    statistic += ((r - er) * (r - er)) / er + ((c - ec) * (c - ec)) / ec;
  }
  const df = categories - 1;
  // One category in all: the two distributions are identical.
  if (df <= 0) return { statistic: 0, df: 0, pValue: 1 };
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

// Population stability index on reference-quantile bins:
//   PSI = Σ (c_i − r_i) · ln(c_i / r_i)
// over bin shares r (reference) and c (current).
import { binCounts, referenceBins, shares } from './quantileBins';

/** Reference-quantile bins PSI uses, in the staleness suite and in live health alike. */
export const PSI_BINS = 10;

/**
 * Share used in place of an empty bin's 0, as Evidently does, so the log
 * stays finite; an empty bin then still contributes a large, finite term.
 */
export const PSI_EMPTY_BIN_SHARE = 1e-4;

export interface PsiResult {
  value: number;
  /** Inner cut points (reference quantiles). */
  edges: number[];
  reference: number[];
  current: number[];
}

/** PSI between two sorted samples of finite values; `bins` reference-quantile bins (10 by default). */
export function psi(referenceSorted: ArrayLike<number>, currentSorted: ArrayLike<number>, bins = PSI_BINS): PsiResult {
  const { edges, expected: reference } = referenceBins(referenceSorted, bins);
  const current = shares(binCounts(currentSorted, edges));
  return { value: psiOfShares(reference, current), edges, reference, current };
}

/** PSI of two share vectors over the same bins. */
export function psiOfShares(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let value = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] as number, PSI_EMPTY_BIN_SHARE);
    const c = Math.max(current[i] ?? 0, PSI_EMPTY_BIN_SHARE);
    value += (c - r) * Math.log(c / r);
  }
  return value;
}

// ROC AUC by the rank (Mann–Whitney) formula, which gives tied scores half
// credit exactly, and the ROC curve points for plots.

/**
 * AUC = (Σ ranks of positives − P(P+1)/2) / (P·N), with average ranks for
 * ties. NaN when one of the two classes is absent.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    const s = scores[order[i]!] as number;
    while (j < n && (scores[order[j]!] as number) === s) j++;
    // Ranks i+1 … j share their average.
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (positive[order[k]!]) {
        rankSumPos += avg;
        pos++;
      }
    }
    i = j;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

/**
 * (FPR, TPR) at every distinct score threshold, from (0, 0) to (1, 1).
 * Tied scores move both rates in one step, so the trapezoid under these
 * points equals the rank AUC. With `maxPoints`, intermediate points are
 * thinned evenly for plotting (the AUC is always computed exactly).
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>, maxPoints = Infinity): RocCurve {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let P = 0;
  for (let i = 0; i < n; i++) if (positive[i]) P++;
  const N = n - P;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n;) {
    const s = scores[order[i]!] as number;
    while (i < n && (scores[order[i]!] as number) === s) {
      if (positive[order[i]!]) tp++;
      else fp++;
      i++;
    }
    fpr.push(N > 0 ? fp / N : 0);
    tpr.push(P > 0 ? tp / P : 0);
  }
  if (fpr.length <= maxPoints) return { fpr, tpr };
  const keep: number[] = [];
  const step = (fpr.length - 1) / (maxPoints - 1);
  for (let k = 0; k < maxPoints; k++) keep.push(Math.round(k * step));
  return { fpr: keep.map((i) => fpr[i]!), tpr: keep.map((i) => tpr[i]!) };
}

// Expected calibration error on 10 equal-width bins of the top-class
// probability: ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|.

export interface CalibrationBin {
  /** Mean top-class probability of the rows in the bin. */
  confidence: number;
  /** Share of those rows whose top class is the true class. */
  accuracy: number;
  count: number;
  /** Bin range (lo, hi]; the first bin also holds 0. */
  lo: number;
  hi: number;
}

export const CALIBRATION_BINS = 10;

/** `confidence[i]` = top-class probability, `correct[i]` = top class is the true class. */
export function calibration(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins = CALIBRATION_BINS,
): { ece: number; bins: CalibrationBin[] } {
  const n = confidence.length;
  const sumConf = new Float64Array(bins);
  const sumCorrect = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = confidence[i] as number;
    // Bin b holds (b/bins, (b+1)/bins]; 0 falls in the first bin. The 1e-9
    // keeps decimal edges where they are written (0.7 × 10 is 7.000000000000001).
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins - 1e-9) - 1));
    sumConf[b]! += c;
    sumCorrect[b]! += correct[i] ? 1 : 0;
    count[b]!++;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    const conf = sumConf[b]! / count[b]!;
    const acc = sumCorrect[b]! / count[b]!;
    ece += (count[b]! / n) * Math.abs(acc - conf);
    out.push({ confidence: conf, accuracy: acc, count: count[b]!, lo: b / bins, hi: (b + 1) / bins });
  }
  return { ece: n > 0 ? ece : Number.NaN, bins: out };
}

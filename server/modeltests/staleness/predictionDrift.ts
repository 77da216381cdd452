// Prediction drift: the share of each predicted class on current data,
// compared (Jensen–Shannon distance, base 2) with the training label
// frequencies and with the predictions on reference data.
import { jensenShannonDistance } from '../../stats/jensenShannon';

/** Shares of each class among predicted labels, in `classLabels` order. */
export function classShares(labels: readonly string[], classLabels: readonly string[]): number[] {
  const index = new Map(classLabels.map((l, i) => [l, i]));
  const counts = new Array<number>(classLabels.length).fill(0);
  let n = 0;
  for (const l of labels) {
    const i = index.get(l);
    if (i !== undefined) {
      counts[i]!++;
      n++;
    }
  }
  return counts.map((c) => (n > 0 ? c / n : 0));
}

/** data.labelFrequencies as a vector in classLabels order (absent labels = 0), or undefined. */
export function trainingShares(frequencies: Record<string, number> | undefined, classLabels: readonly string[]): number[] | undefined {
  if (!frequencies) return undefined;
  const v = classLabels.map((l) => frequencies[l] ?? 0);
  return v.some((x) => x > 0) ? v : undefined;
}

export function predictionJsd(a: readonly number[], b: readonly number[]): number {
  return jensenShannonDistance(a, b);
}

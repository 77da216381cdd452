// Classification metrics from true class indices and predicted class
// probabilities (rows × classes): accuracy, precision/recall/F1 per class
// and averaged, ROC AUC, log loss, confusion matrix and calibration.
import type { ClassMetrics } from '../../protocol/report';
import { calibration, type CalibrationBin } from './calibration';
import { rocAuc, rocCurve } from './rocAuc';

/** Probabilities are clipped to [ε, 1 − ε] before the log, as scikit-learn does. */
export const LOG_LOSS_EPS = 1e-15;
/** ROC curve points kept per class for plots. */
export const ROC_PLOT_POINTS = 200;

export interface ClassificationMetrics {
  overall: Record<string, number>;
  perClass: ClassMetrics[];
  /** Per-class one-vs-rest AUC (NaN-free: absent when a class has no positives or no negatives). */
  aucPerClass: Record<string, number>;
  confusion: { labels: string[]; matrix: number[][] };
  roc: { label: string; fpr: number[]; tpr: number[]; auc: number }[];
  calibration: CalibrationBin[];
  notes: string[];
}

/**
 * `truth[i]` is a class index (rows with -1 must be removed first);
 * `probs` is rows × labels.length, row-major.
 */
export function classificationMetrics(truth: Int32Array, probs: ArrayLike<number>, labels: readonly string[]): ClassificationMetrics {
  const n = truth.length;
  const k = labels.length;
  const notes: string[] = [];
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const pred = new Int32Array(n);
  const confidence = new Float64Array(n);
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bv = probs[i * k] as number;
    for (let c = 1; c < k; c++) {
      const v = probs[i * k + c] as number;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    pred[i] = best;
    confidence[i] = bv;
    const t = truth[i]!;
    matrix[t]![best]!++;
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, probs[i * k + t] as number));
    logLoss -= Math.log(p);
  }
  logLoss /= n;

  let correct = 0;
  for (let c = 0; c < k; c++) correct += matrix[c]![c]!;
  const perClass: ClassMetrics[] = [];
  const zeroDivision: string[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c]![c]!;
    let predicted = 0;
    let support = 0;
    for (let r = 0; r < k; r++) predicted += matrix[r]![c]!;
    for (let p = 0; p < k; p++) support += matrix[c]![p]!;
    // As scikit-learn's zero_division=0: an undefined ratio counts as 0 (and is reported).
    if (predicted === 0 || support === 0) zeroDivision.push(labels[c]!);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ label: labels[c]!, precision, recall, f1, support });
  }
  if (zeroDivision.length) notes.push(`precision or recall undefined (no rows predicted or none true) for class ${zeroDivision.join(', ')}: counted as 0.`);

  const overall: Record<string, number> = { accuracy: correct / n };
  // Averages over the classes that occur in the truth or the predictions (scikit-learn's default labels).
  const seen = perClass.filter((m, c) => m.support > 0 || matrix.some((row) => row[c]! > 0));
  if (seen.length < k)
    notes.push(
      `classes absent from both truth and predictions are left out of the macro averages: ${perClass
        .filter((m) => !seen.includes(m))
        .map((m) => m.label)
        .join(', ')}.`,
    );
  for (const metric of ['precision', 'recall', 'f1'] as const) {
    overall[`${metric}_macro`] = seen.reduce((a, m) => a + m[metric], 0) / seen.length;
    overall[`${metric}_weighted`] = perClass.reduce((a, m) => a + m[metric] * m.support, 0) / n;
    // Single-label classification: micro-averaged precision = recall = F1 = accuracy.
    overall[`${metric}_micro`] = correct / n;
    if (k === 2) overall[`${metric}_binary`] = perClass[1]![metric];
  }
  overall.log_loss = logLoss;

  const aucPerClass: Record<string, number> = {};
  const roc: ClassificationMetrics['roc'] = [];
  const scores = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      scores[i] = probs[i * k + c] as number;
      positive[i] = truth[i] === c ? 1 : 0;
    }
    const auc = rocAuc(scores, positive);
    if (Number.isNaN(auc)) continue;
    aucPerClass[labels[c]!] = auc;
    // Binary: one curve, for the positive class (the last label).
    if (k > 2 || c === 1) roc.push({ label: labels[c]!, ...rocCurve(scores, positive, ROC_PLOT_POINTS), auc });
  }
  if (k === 2 && aucPerClass[labels[1]!] !== undefined) {
    overall.roc_auc = aucPerClass[labels[1]!]!;
  } else if (k > 2 && roc.length > 0) {
    overall.roc_auc = roc.reduce((a, r) => a + r.auc, 0) / roc.length;
    if (roc.length < k) notes.push(`ROC AUC (one-vs-rest, macro) averages ${roc.length} of ${k} classes: the others have no positive or no negative rows.`);
  } else {
    notes.push('ROC AUC not computed: the validation rows hold a single class.');
  }

  const correctRow = new Uint8Array(n);
  for (let i = 0; i < n; i++) correctRow[i] = pred[i] === truth[i] ? 1 : 0;
  const cal = calibration(confidence, correctRow);
  overall.ece = cal.ece;
  return { overall, perClass, aucPerClass, confusion: { labels: [...labels], matrix }, roc, calibration: cal.bins, notes };
}

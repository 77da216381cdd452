// Computes the task's metrics for a set of rows (all validation rows, a
// slice, or the baseline model's predictions).
import type { ClassificationMetrics } from './classification';
import { classificationMetrics } from './classification';
import type { ComputedMetrics } from './metricValue';
import { regressionMetrics, type RegressionMetrics } from './regression';

export interface Truth {
  task: 'classification' | 'regression';
  /** Classification: class index per row. */
  classes?: Int32Array;
  /** Regression: target per row. */
  targets?: Float64Array;
  classLabels?: readonly string[];
}

export interface Predicted {
  /** rows × classes */
  probabilities?: ArrayLike<number>;
  /** one value per row */
  values?: ArrayLike<number>;
}

export type Evaluation =
  | { task: 'classification'; computed: ComputedMetrics; detail: ClassificationMetrics }
  | { task: 'regression'; computed: ComputedMetrics; detail: RegressionMetrics };

/** Metrics on the rows at `positions` (all rows when omitted). */
export function evaluate(truth: Truth, pred: Predicted, positions?: Int32Array): Evaluation {
  if (truth.task === 'classification') {
    const labels = truth.classLabels!;
    const k = labels.length;
    const all = truth.classes!;
    const n = positions ? positions.length : all.length;
    const t = new Int32Array(n);
    const p = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const r = positions ? positions[i]! : i;
      t[i] = all[r]!;
      for (let c = 0; c < k; c++) p[i * k + c] = pred.probabilities![r * k + c] as number;
    }
    const detail = classificationMetrics(t, p, labels);
    return {
      task: 'classification',
      detail,
      computed: { task: 'classification', overall: detail.overall, perClass: detail.perClass, aucPerClass: detail.aucPerClass, classLabels: labels },
    };
  }
  const all = truth.targets!;
  const n = positions ? positions.length : all.length;
  const y = new Float64Array(n);
  const yhat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = positions ? positions[i]! : i;
    y[i] = all[r]!;
    yhat[i] = pred.values![r] as number;
  }
  const detail = regressionMetrics(y, yhat);
  return { task: 'regression', detail, computed: { task: 'regression', overall: detail.overall } };
}

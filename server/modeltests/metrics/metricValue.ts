// Reads the value a metric gate asks for (metric + average + class) out of
// computed metrics, and names it for the report.
import type { ModelManifest } from '../../manifest/types';

export type MetricGateSpec = NonNullable<NonNullable<ModelManifest['gates']>['metrics']>[number];
export type MetricName = MetricGateSpec['metric'];

/** Metrics where a larger value is better (MLflow's greater_is_better). */
export const GREATER_IS_BETTER: Record<MetricName, boolean> = {
  accuracy: true,
  precision: true,
  recall: true,
  f1: true,
  roc_auc: true,
  r2: true,
  log_loss: false,
  ece: false,
  mae: false,
  rmse: false,
  mape: false,
};

const CLASSIFICATION = new Set<MetricName>(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'ece']);

export interface ComputedMetrics {
  task: 'classification' | 'regression';
  overall: Record<string, number>;
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  aucPerClass?: Record<string, number>;
  classLabels?: readonly string[];
}

export type MetricLookup = { key: string; value: number } | { key: string; error: string };

/** The value for one gate's metric/average/class, or why there is none. */
export function metricValue(m: ComputedMetrics, spec: Pick<MetricGateSpec, 'metric' | 'average' | 'class'>): MetricLookup {
  const { metric } = spec;
  if (CLASSIFICATION.has(metric) !== (m.task === 'classification')) {
    return {
      key: metric,
      error: `${metric} is a ${m.task === 'classification' ? 'regression' : 'classification'} metric but model.task is ${m.task}; use ${m.task === 'classification' ? 'accuracy, precision, recall, f1, roc_auc, log_loss or ece' : 'mae, rmse, r2 or mape'}`,
    };
  }
  if (spec.class !== undefined) {
    const label = String(spec.class);
    const key = `${metric}[${label}]`;
    const known = m.classLabels ?? [];
    if (!known.includes(label)) return { key, error: `class "${label}" is not in model.classLabels (${known.join(', ')})` };
    if (metric === 'roc_auc') {
      const v = m.aucPerClass?.[label];
      return v === undefined ? { key, error: `class "${label}" has no positive or no negative validation rows, so its AUC is undefined` } : { key, value: v };
    }
    const pc = m.perClass?.find((c) => c.label === label);
    if (!pc) return { key, error: `no metrics for class "${label}"` };
    // Per-class accuracy is the share of that class's rows classified correctly: its recall.
    if (metric === 'accuracy') return { key, value: pc.recall };
    if (metric === 'precision' || metric === 'recall' || metric === 'f1') return { key, value: pc[metric] };
    return { key, error: `${metric} cannot be computed for one class; remove \`class\` from this gate` };
  }
  if (metric === 'precision' || metric === 'recall' || metric === 'f1') {
    const average = spec.average ?? 'macro';
    const key = `${metric}_${average}`;
    if (average === 'binary' && (m.classLabels?.length ?? 0) !== 2) {
      return { key, error: `average: binary needs exactly 2 classes, the model has ${m.classLabels?.length ?? 0}; use macro, weighted or micro` };
    }
    const v = m.overall[key];
    return v === undefined ? { key, error: `${key} was not computed` } : { key, value: v };
  }
  const v = m.overall[metric];
  if (v === undefined) return { key: metric, error: `${metric} could not be computed on this data (see the metrics notes)` };
  return { key: metric, value: v };
}

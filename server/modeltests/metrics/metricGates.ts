// Gates from `gates.metrics`: each entry's min and/or max on the metric it
// names (with its average, class and slice), pointing at the manifest line.
import type { LoadedManifest } from '../../manifest/load';
import type { GateResult } from '../../protocol/report';
import { tooFewRows, tooFewRowsNext } from '../dataGates';
import { formatNumber, gate, sourceOf, unmeasuredGate, type GateSpec } from '../gates';
import { metricValue, type ComputedMetrics, type MetricGateSpec } from './metricValue';
import { sliceName } from './slices';

export function metricKey(spec: Pick<MetricGateSpec, 'metric' | 'average' | 'class'>): string {
  if (spec.class !== undefined) return `${spec.metric}[${String(spec.class)}]`;
  if (spec.metric === 'precision' || spec.metric === 'recall' || spec.metric === 'f1') return `${spec.metric}_${spec.average ?? 'macro'}`;
  return spec.metric;
}

export function metricGateId(spec: MetricGateSpec): string {
  return `metrics.${metricKey(spec)}${spec.slice ? `@${sliceName(spec.slice)}` : ''}`;
}

export interface MetricsForGate {
  /** Metrics of the rows the gate looks at, or why they could not be computed. */
  metrics: ComputedMetrics | { error: string };
  /** How they were measured (data, rows, path). */
  how: string;
  /** Rows the metrics were computed on, and what they are ("rows of data/v.csv"): fewer than data.minRows fails the gate. */
  rows?: { count: number; what: string };
}

/** One or two gates (min, max) per `gates.metrics` entry. */
export function metricGates(loaded: LoadedManifest, metricsFor: (spec: MetricGateSpec) => MetricsForGate): GateResult[] {
  const specs = loaded.manifest.gates?.metrics ?? [];
  const out: GateResult[] = [];
  const used = new Map<string, number>();
  specs.forEach((spec, i) => {
    let id = metricGateId(spec);
    const n = (used.get(id) ?? 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}#${n}`;
    const { metrics, how, rows } = metricsFor(spec);
    const few = rows && tooFewRows(loaded.manifest, rows.count, rows.what);
    const bounds = (
      [
        ['min', '>='],
        ['max', '<='],
      ] as const
    ).filter(([b]) => spec[b] !== undefined);
    for (const [bound, op] of bounds) {
      const g = {
        id: bounds.length > 1 ? `${id}.${bound}` : id,
        suite: 'metrics' as const,
        metric: metricKey(spec) + (spec.slice ? ` on slice ${sliceName(spec.slice)}` : ''),
        threshold: { op, value: spec[bound] as number },
        how,
        source: sourceOf(loaded, ['gates', 'metrics', i, bound]),
      };
      if ('error' in metrics) {
        out.push(few ? tooFewGate(loaded, g, few) : unmeasuredGate(g, metrics.error));
        continue;
      }
      const v = metricValue(metrics, spec);
      if (few) out.push(tooFewGate(loaded, g, 'error' in v ? few : `${few} (on them it measured ${formatNumber(v.value)})`));
      else out.push('error' in v ? unmeasuredGate(g, v.error) : gate({ ...g, measured: v.value }));
    }
  });
  return out;
}

/** A metric gate on fewer rows than data.minRows: failed, whatever it measured. */
export function tooFewGate(loaded: LoadedManifest, spec: Omit<GateSpec, 'measured'>, why: string): GateResult {
  return gate({ ...spec, measured: null, unmeasured: why, unmeasuredStatus: 'failed', nextStep: tooFewRowsNext(loaded.manifest) });
}

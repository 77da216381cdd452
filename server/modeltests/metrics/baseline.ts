// Champion/challenger: the same metrics for the previous model (the
// champion, given with --baseline) on the same validation rows, and the
// `gates.maxRegression` rules with MLflow MetricThreshold semantics —
// worsening is measured in the metric's better direction, both as an
// absolute change and relative to the champion's value.
import type { LoadedManifest } from '../../manifest/load';
import type { GateResult, MetricsResult } from '../../protocol/report';
import { gate, sourceOf, unmeasuredGate } from '../gates';
import { tooFewRows } from '../dataGates';
import { metricKey, tooFewGate } from './metricGates';
import { GREATER_IS_BETTER, metricValue, type ComputedMetrics } from './metricValue';

export interface Comparison {
  comparisons: NonNullable<MetricsResult['baseline']>['comparisons'];
  gates: GateResult[];
}

/** How much worse the challenger is (positive = worse), absolutely and relative to |champion|. */
export function worsening(metric: keyof typeof GREATER_IS_BETTER, champion: number, challenger: number): { absolute: number; relative: number | null } {
  const absolute = GREATER_IS_BETTER[metric] ? champion - challenger : challenger - champion;
  // Relative to a champion of exactly 0 is undefined (unless nothing changed).
  const relative = champion !== 0 ? absolute / Math.abs(champion) : absolute === 0 ? 0 : null;
  return { absolute, relative };
}

export function compareWithBaseline(
  loaded: LoadedManifest,
  challenger: ComputedMetrics,
  champion: ComputedMetrics | { error: string },
  championName: string,
  how: string,
  rows?: { count: number; what: string },
): Comparison {
  const rules = loaded.manifest.gates?.maxRegression ?? [];
  const few = rows && tooFewRows(loaded.manifest, rows.count, rows.what);
  const comparisons: Comparison['comparisons'] = [];
  const gates: GateResult[] = [];
  rules.forEach((rule, i) => {
    const key = metricKey(rule);
    const specs = (
      [
        ['maxAbsoluteDrop', 'absolute'],
        ['maxRelativeDrop', 'relative'],
      ] as const
    ).filter(([k]) => rule[k] !== undefined);
    const direction = GREATER_IS_BETTER[rule.metric] ? 'higher is better' : 'lower is better';
    const mk = (field: 'maxAbsoluteDrop' | 'maxRelativeDrop', kind: 'absolute' | 'relative') => ({
      id: `metrics.regression.${key}.${kind}`,
      suite: 'metrics' as const,
      metric: `${kind} worsening of ${key} vs ${championName}`,
      threshold: { op: '<=' as const, value: rule[field] as number },
      how: `${key} of this model vs ${championName} on the same rows (${how}); ${direction}; worsening = ${kind === 'absolute' ? 'champion − challenger' : '(champion − challenger) / |champion|'}${GREATER_IS_BETTER[rule.metric] ? '' : ' with the sign flipped'}`,
      source: sourceOf(loaded, ['gates', 'maxRegression', i, field]),
    });
    if (few) {
      for (const [f, k] of specs) gates.push(tooFewGate(loaded, mk(f, k), few));
      return;
    }
    if ('error' in champion) {
      for (const [f, k] of specs) gates.push(unmeasuredGate(mk(f, k), champion.error));
      return;
    }
    const a = metricValue(challenger, rule);
    const b = metricValue(champion, rule);
    if ('error' in a || 'error' in b) {
      const why = 'error' in a ? `this model: ${a.error}` : `baseline: ${(b as { error: string }).error}`;
      for (const [f, k] of specs) gates.push(unmeasuredGate(mk(f, k), why));
      return;
    }
    const w = worsening(rule.metric, b.value, a.value);
    const results = specs.map(([f, k]) =>
      k === 'relative' && w.relative === null
        ? unmeasuredGate(mk(f, k), `${championName} has ${key} = 0, so a relative change is undefined; use maxAbsoluteDrop for this metric`)
        : gate({ ...mk(f, k), measured: k === 'absolute' ? w.absolute : w.relative }),
    );
    gates.push(...results);
    comparisons.push({
      metric: key,
      champion: b.value,
      challenger: a.value,
      absoluteChange: a.value - b.value,
      relativeChange: b.value !== 0 ? (a.value - b.value) / Math.abs(b.value) : 0,
      pass: results.every((g) => g.pass),
    });
  });
  return { comparisons, gates };
}

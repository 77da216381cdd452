// One scale for features tested by different methods: 1 is the threshold,
// above 1 is drift. Distance tests (PSI, Wasserstein, Jensen–Shannon) compare
// the statistic with its limit; p-value tests (KS, chi-square) compare the
// p-value with the significance level on a log scale, so p = α gives 1 and
// p = α² gives 2.
import type { FeatureDrift } from '../../server/protocol/report';

export type DriftComparison = 'p-value' | 'statistic';

/** The p-value the verdict compared with the threshold: adjusted for multiple testing when it was. */
export function decidingPValue(f: FeatureDrift): number | undefined {
  return f.adjustedPValue ?? f.pValue;
}

export function driftComparison(f: FeatureDrift): DriftComparison {
  const p = decidingPValue(f);
  const pTest = (f.method === 'ks' || f.method === 'chisquare') && p !== undefined && f.threshold > 0 && f.threshold < 1;
  if (!pTest) return 'statistic';
  // Trust the engine's verdict: if only the statistic reading agrees with it, the threshold is on the statistic.
  const byP = p < f.threshold;
  const byStat = f.statistic > f.threshold;
  return byP !== f.drifted && byStat === f.drifted ? 'statistic' : 'p-value';
}

export function driftScore(f: FeatureDrift): number {
  if (driftComparison(f) === 'p-value') return Math.max(0, Math.log10(Math.max(decidingPValue(f)!, 1e-300)) / Math.log10(f.threshold));
  return f.threshold > 0 ? f.statistic / f.threshold : f.drifted ? Infinity : 0;
}

/** Bin labels for a distribution plot: `[a, b)` for numeric edges, the categories otherwise. */
export function binLabels(edges: number[] | string[], count: number, fmt: (n: number) => string): string[] {
  if (edges.length === count) return edges.map(String);
  return Array.from({ length: count }, (_, i) => {
    const a = edges[i],
      b = edges[i + 1];
    const f = (v: number | string | undefined) => (typeof v === 'number' ? fmt(v) : String(v ?? ''));
    return `${f(a)} – ${f(b)}`;
  });
}

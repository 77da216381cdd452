// Chart configurations of the staleness section.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { FeatureDrift, StalenessResult } from '../../server/protocol/report';
import { alpha, type ChartBuilder } from '../charts';
import { num, pct } from '../format';
import { binLabels, driftComparison, driftScore } from './drift-score';

// Scores far beyond the threshold (p ≈ 1e-40) would flatten every other bar.
const SCORE_CAP = 10;

export function featureDriftChart(features: FeatureDrift[], onPick: (f: FeatureDrift) => void): ChartBuilder {
  return (p) => {
    const scores = features.map(driftScore);
    const config = {
      type: 'bar',
      data: {
        labels: features.map((f) => f.feature),
        datasets: [
          {
            label: 'drift score',
            data: scores.map((s) => Math.min(s, SCORE_CAP)),
            backgroundColor: features.map((f) => alpha(f.drifted ? p.red : p.blue, 0.75)),
            borderColor: features.map((f) => (f.drifted ? p.red : p.blue)),
            borderWidth: 1,
            barPercentage: 0.8,
          },
          // With indexAxis 'y', a line at x = 1 for every feature draws the threshold.
          { type: 'line', label: 'threshold', data: features.map(() => 1), borderColor: p.fg, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0 },
        ],
      },
      options: {
        indexAxis: 'y',
        onClick: (_e: unknown, els: { index: number }[]) => {
          const f = els[0] ? features[els[0].index] : undefined;
          if (f) onPick(f);
        },
        scales: {
          x: {
            beginAtZero: true,
            suggestedMax: 2,
            max: Math.max(2, Math.min(SCORE_CAP, Math.ceil(Math.max(...scores, 1)))),
            title: { display: true, text: `score (statistic ÷ threshold; p-value tests: log p ÷ log α; capped at ${SCORE_CAP})` },
          },
          y: { ticks: { autoSkip: false, font: { size: 11 } } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            filter: (item: TooltipItem<'bar'>) => item.datasetIndex === 0,
            callbacks: {
              label: (item: TooltipItem<'bar'>) => {
                const f = features[item.dataIndex]!;
                const cmp =
                  driftComparison(f) === 'p-value'
                    ? `p ${num(f.adjustedPValue ?? f.pValue, 3)}${f.adjustedPValue !== undefined ? ' (adjusted)' : ''} vs α ${num(f.threshold)}`
                    : `statistic ${num(f.statistic)} vs ${num(f.threshold)}`;
                return [`${f.method}: ${cmp} → ${f.drifted ? 'drifted' : 'no drift'} (score ${num(scores[item.dataIndex], 3)})`, f.why];
              },
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function distributionChart(f: FeatureDrift): ChartBuilder {
  return (p) => {
    const bins = f.bins!;
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: binLabels(bins.edges, bins.reference.length, (n) => num(n, 3)),
        datasets: [
          { label: 'reference', data: bins.reference, backgroundColor: alpha(p.blue, 0.6), borderColor: p.blue, borderWidth: 1 },
          {
            label: 'current',
            data: bins.current,
            backgroundColor: alpha(f.drifted ? p.red : p.orange, 0.6),
            borderColor: f.drifted ? p.red : p.orange,
            borderWidth: 1,
          },
        ],
      },
      options: {
        scales: {
          x: { title: { display: true, text: f.kind === 'numeric' ? `${f.feature} (reference-quantile bins)` : f.feature }, ticks: { maxRotation: 45 } },
          y: { beginAtZero: true, title: { display: true, text: 'share of rows' }, ticks: { callback: (v) => pct(Number(v), 0) } },
        },
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${pct(item.parsed.y)}` } } },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function predictionDriftChart(pd: NonNullable<StalenessResult['prediction']>): ChartBuilder {
  return (p) => {
    const sets: { label: string; data: number[] | undefined; color: string }[] = [
      { label: 'training labels', data: pd.training, color: p.green },
      { label: 'reference predictions', data: pd.reference, color: p.blue },
      { label: 'current predictions', data: pd.current, color: p.orange },
    ];
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: pd.labels,
        datasets: sets
          .filter((s) => s.data)
          .map((s) => ({ label: s.label, data: s.data!, backgroundColor: alpha(s.color, 0.7), borderColor: s.color, borderWidth: 1 })),
      },
      options: {
        scales: { y: { beginAtZero: true, max: 1, title: { display: true, text: 'share' }, ticks: { callback: (v) => pct(Number(v), 0) } } },
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${pct(item.parsed.y)}` } } },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

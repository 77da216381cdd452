// Chart configurations of the metrics section.
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { MetricsResult } from '../../server/protocol/report';
import { alpha, type ChartBuilder, type Palette } from '../charts';
import { int, num, pct } from '../format';
import { metricName } from './metric-names';

type Xy = { x: number; y: number };

/** Distinct series colours: the theme's chart colours first, then evenly spaced hues. */
export function seriesColors(p: Palette, n: number): string[] {
  const base = [p.blue, p.orange, p.green, p.red, p.purple, p.yellow];
  return Array.from({ length: n }, (_, i) => base[i] ?? `hsl(${Math.round((i * 360) / n + 15) % 360}, 60%, 50%)`);
}

const diagonal = (p: Palette, label: string) => ({
  type: 'line',
  label,
  data: [
    { x: 0, y: 0 },
    { x: 1, y: 1 },
  ],
  borderColor: p.muted,
  borderDash: [5, 4],
  borderWidth: 1,
  pointRadius: 0,
});

const unitAxes = (x: string, y: string) => ({
  x: { type: 'linear', min: 0, max: 1, title: { display: true, text: x } },
  y: { type: 'linear', min: 0, max: 1, title: { display: true, text: y } },
});

export function rocChart(roc: NonNullable<MetricsResult['roc']>): ChartBuilder {
  return (p) => {
    const colors = seriesColors(p, roc.length);
    const config = {
      type: 'scatter',
      data: {
        datasets: [
          ...roc.map((c, i) => ({
            label: `${c.label} (AUC ${num(c.auc, 3)})`,
            data: c.fpr.map((x, k) => ({ x, y: c.tpr[k] ?? 0 })),
            showLine: true,
            borderColor: colors[i],
            backgroundColor: colors[i],
            pointRadius: 0,
            borderWidth: 2,
            clip: 4,
          })),
          diagonal(p, 'chance'),
        ],
      },
      options: {
        scales: unitAxes('false positive rate', 'true positive rate'),
        plugins: {
          legend: { labels: { boxWidth: 10, font: { size: roc.length > 4 ? 10 : 12 } } },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'scatter'>) => `${item.dataset.label}: FPR ${num((item.raw as Xy).x, 3)}, TPR ${num((item.raw as Xy).y, 3)}`,
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function calibrationChart(cal: NonNullable<MetricsResult['calibration']>): ChartBuilder {
  return (p) => {
    const max = Math.max(1, ...cal.bins.map((b) => b.count));
    const config = {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: 'model',
            data: cal.bins.map((b) => ({ x: b.confidence, y: b.accuracy, count: b.count })),
            showLine: true,
            clip: 14,
            borderColor: p.blue,
            backgroundColor: alpha(p.blue, 0.6),
            borderWidth: 2,
            // Area ∝ rows in the bin: sparse bins are visibly less trustworthy.
            pointRadius: cal.bins.map((b) => 3 + 9 * Math.sqrt(b.count / max)),
          },
          diagonal(p, 'perfectly calibrated'),
        ],
      },
      options: {
        scales: unitAxes('mean predicted confidence', 'observed accuracy'),
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'scatter'>) => {
                const raw = item.raw as Xy & { count?: number };
                return raw.count === undefined
                  ? String(item.dataset.label)
                  : `confidence ${num(raw.x, 3)} → accuracy ${num(raw.y, 3)} (${int(raw.count)} rows)`;
              },
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function residualsChart(res: NonNullable<MetricsResult['residuals']>): ChartBuilder {
  return (p) => {
    const pts = res.predicted.map((x, i) => ({ x, y: (res.actual[i] ?? x) - x }));
    const xs = pts.map((q) => q.x);
    const lo = Math.min(...xs),
      hi = Math.max(...xs);
    const config = {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'residual (actual − predicted)', data: pts, backgroundColor: alpha(p.blue, 0.55), borderColor: p.blue, pointRadius: 3 },
          {
            type: 'line',
            label: 'zero',
            data: [
              { x: lo, y: 0 },
              { x: hi, y: 0 },
            ],
            borderColor: p.muted,
            borderDash: [5, 4],
            borderWidth: 1,
            pointRadius: 0,
          },
        ],
      },
      options: {
        scales: {
          x: { type: 'linear', title: { display: true, text: 'predicted' } },
          y: { type: 'linear', title: { display: true, text: 'actual − predicted' } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (item: TooltipItem<'scatter'>) => `predicted ${num((item.raw as Xy).x)}, residual ${num((item.raw as Xy).y)}` } },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

type Comparison = NonNullable<MetricsResult['baseline']>['comparisons'][number];

export function baselineChart(rows: Comparison[], champion: string, challenger: string, yTitle: string): ChartBuilder {
  return (p) => {
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: rows.map((c) => metricName(c.metric)),
        datasets: [
          { label: `champion ${champion}`, data: rows.map((c) => c.champion), backgroundColor: alpha(p.muted, 0.55), borderColor: p.muted, borderWidth: 1 },
          {
            label: `challenger ${challenger}`,
            data: rows.map((c) => c.challenger),
            backgroundColor: rows.map((c) => alpha(c.pass ? p.blue : p.red, 0.7)),
            borderColor: rows.map((c) => (c.pass ? p.blue : p.red)),
            borderWidth: 1,
          },
        ],
      },
      options: {
        scales: { y: { title: { display: true, text: yTitle } } },
        plugins: {
          tooltip: {
            callbacks: {
              afterBody: (items) => {
                const c = rows[items[0]?.dataIndex ?? 0];
                return c ? `change ${num(c.absoluteChange, 3)} (${pct(c.relativeChange)}) · ${c.pass ? 'within the rule' : 'violates the rule'}` : '';
              },
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

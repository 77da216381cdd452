// Chart configurations of the stress section (data only; chart.js draws).
import type { ChartConfiguration, TooltipItem } from 'chart.js';
import type { HistogramData, StressPoint, StressResult } from '../../server/protocol/report';
import { alpha, type ChartBuilder } from '../charts';
import { latency, num } from '../format';
import { rpsSearchScale } from './axis-scale';

/** Log-axis labels only at 1, 2, 5 × 10^k, so the axis stays legible. */
function logTick(value: number | string): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const lead = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 5].some((d) => Math.abs(lead - d) < 1e-6) ? num(v, 3) : '';
}

export function latencyThroughputChart(points: StressPoint[], sloMs: number | undefined): ChartBuilder {
  return (p) => {
    const labels = points.map((pt) => String(pt.connections));
    const ms = (f: (pt: StressPoint) => number) => points.map((pt) => f(pt) / 1000);
    // The p99 (what the gate judges) is drawn strongest; the other percentiles
    // are thin and lighter, for context.
    const line = (label: string, data: number[], color: string, extra: object = {}) => ({
      type: 'line' as const,
      label,
      data,
      yAxisID: 'lat',
      borderColor: alpha(color, 0.75),
      backgroundColor: alpha(color, 0.75),
      pointRadius: 2,
      borderWidth: 1.25,
      ...extra,
    });
    const config = {
      type: 'bar',
      data: {
        labels,
        datasets: [
          line(
            'p50',
            ms((x) => x.latencyUs.p50),
            p.green,
          ),
          line(
            'p90',
            ms((x) => x.latencyUs.p90),
            p.orange,
          ),
          line(
            'p99 (gated)',
            ms((x) => x.latencyUs.p99),
            p.blue,
            {
              borderColor: p.blue,
              backgroundColor: p.blue,
              borderWidth: 3.5,
              order: -1,
              pointStyle: points.map((x) => (x.sloExceeded ? 'crossRot' : 'circle')),
              pointRadius: points.map((x) => (x.sloExceeded ? 7 : 4)),
            },
          ),
          line(
            'p99.9',
            ms((x) => x.latencyUs.p999),
            p.purple,
            { borderDash: [3, 3] },
          ),
          ...(sloMs !== undefined
            ? [
                line(
                  'p99 SLO',
                  labels.map(() => sloMs),
                  p.red,
                  { borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 },
                ),
              ]
            : []),
          line(
            'throughput',
            points.map((x) => x.throughputRps),
            p.fg,
            { yAxisID: 'tput', borderDash: [2, 2] },
          ),
          {
            type: 'bar' as const,
            label: 'throughput run range',
            yAxisID: 'tput',
            data: points.map((x) => (x.runs.length ? [Math.min(...x.runs), Math.max(...x.runs)] : [x.throughputRps, x.throughputRps])),
            backgroundColor: alpha(p.fg, 0.25),
            borderColor: p.fg,
            borderWidth: 1,
            barPercentage: 0.12,
            categoryPercentage: 1,
            minBarLength: 2,
          },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { title: { display: true, text: 'concurrent connections' } },
          lat: { type: 'logarithmic', position: 'left', title: { display: true, text: 'latency (ms, log)' }, ticks: { callback: logTick } },
          tput: {
            type: 'linear',
            position: 'right',
            beginAtZero: true,
            title: { display: true, text: 'throughput (req/s)' },
            grid: { drawOnChartArea: false },
          },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'bar'>) => {
                const pt = points[item.dataIndex];
                if (item.dataset.yAxisID === 'lat') return `${item.dataset.label}: ${num(item.parsed.y, 3)} ms`;
                if (item.dataset.type === 'bar' && pt) return `runs: ${pt.runs.map((r) => num(r)).join(', ')} req/s (spread ${num(pt.spread * 100, 2)} %)`;
                return `throughput: ${num(item.parsed.y)} req/s${pt?.loadGeneratorBound ? ' (load-generator bound)' : ''}`;
              },
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function histogramChart(hist: HistogramData): ChartBuilder {
  return (p) => {
    const labels = hist.bucketsUs.map((ub) => `≤ ${latency(ub)}`);
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: 'requests',
            data: hist.counts,
            backgroundColor: alpha(p.blue, 0.7),
            borderColor: p.blue,
            borderWidth: 1,
            barPercentage: 1,
            categoryPercentage: 0.95,
          },
        ],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const i = items[0]?.dataIndex ?? 0;
                return `${latency(i > 0 ? hist.bucketsUs[i - 1] : 0)} – ${latency(hist.bucketsUs[i])}`;
              },
            },
          },
        },
        scales: {
          x: { title: { display: true, text: 'latency bucket (upper bound)' }, ticks: { maxRotation: 60, autoSkip: true, autoSkipPadding: 6 } },
          y: { type: 'logarithmic', min: 0.5, title: { display: true, text: 'requests (log)' }, ticks: { callback: logTick } },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

export function rpsSearchChart(s: StressResult, sloMs: number | undefined): ChartBuilder {
  return (p) => {
    const steps = s.maxSustainableRps?.steps ?? [];
    const scale = rpsSearchScale(
      steps.map((st) => st.p99Ms),
      sloMs,
    );
    // A point above the cap is drawn on it (a triangle), its tooltip keeps the real value.
    const pts = steps.map((st, i) => ({ x: st.offeredRps, y: Math.min(st.p99Ms, scale.max ?? Infinity), p99: st.p99Ms, step: i + 1 }));
    const xs = pts.map((q) => q.x);
    const lo = Math.min(...xs),
      hi = Math.max(...xs);
    const datasets: object[] = [
      { label: 'within SLO', data: pts.filter((_, i) => steps[i]?.ok), backgroundColor: p.green, borderColor: p.green, pointRadius: 5 },
      {
        label: 'over SLO',
        data: pts.filter((_, i) => !steps[i]?.ok),
        backgroundColor: p.red,
        borderColor: p.red,
        pointRadius: 5,
        pointStyle: pts.filter((_, i) => !steps[i]?.ok).map((q) => (q.p99 > q.y ? 'triangle' : 'crossRot')),
      },
    ];
    if (sloMs !== undefined && xs.length) {
      datasets.push({
        type: 'line',
        label: 'p99 SLO',
        data: [
          { x: lo, y: sloMs },
          { x: hi, y: sloMs },
        ],
        borderColor: p.red,
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
      });
    }
    const config = {
      type: 'scatter',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'linear', grace: '5%', title: { display: true, text: 'offered rate (req/s)' } },
          // Latency is never negative: the axis starts at zero.
          y: { type: 'linear', min: 0, ...(scale.max !== undefined ? { max: scale.max } : { grace: '10%' }), title: { display: true, text: scale.title } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<'scatter'>) => {
                const raw = item.raw as { x: number; y: number; p99?: number; step?: number };
                return `${raw.step ? `step ${raw.step}: ` : ''}${num(raw.x)} req/s → p99 ${num(raw.p99 ?? raw.y, 3)} ms`;
              },
            },
          },
        },
      },
    };
    return config as unknown as ChartConfiguration;
  };
}

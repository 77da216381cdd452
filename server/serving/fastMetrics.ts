// Counters and histograms for the request path. prom-client hashes the label
// set on every observe; these keep one plain record per label set, found once
// and then updated with a few arithmetic operations, and are rendered in the
// Prometheus format by prom-client's registry at scrape time.
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

export interface CounterChild {
  inc(by?: number): void;
}
export interface HistogramChild {
  observe(v: number): void;
}

export class FastCounter {
  private series = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  labels(...values: string[]): CounterChild {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? ''])), value: 0 };
      this.series.set(key, s);
    }
    const rec = s;
    return {
      inc(by = 1) {
        rec.value += by;
      },
    };
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    return {
      name: this.name,
      help: this.help,
      type: 'counter',
      aggregator: 'sum',
      values: [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}

export class FastHistogram {
  private series = new Map<string, { labels: Labels; counts: Float64Array; sum: number; count: number }>();
  private readonly upper: Float64Array;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: string[],
    buckets: number[],
    registry: Registry,
  ) {
    this.upper = Float64Array.from(buckets);
    registry.registerMetric(this as never);
  }

  labels(...values: string[]): HistogramChild {
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = {
        labels: Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? ''])),
        counts: new Float64Array(this.upper.length + 1),
        sum: 0,
        count: 0,
      };
      this.series.set(key, s);
    }
    const rec = s;
    const upper = this.upper;
    return {
      observe(v: number) {
        let i = 0;
        while (i < upper.length && v > upper[i]!) i++;
        rec.counts[i]!++;
        rec.sum += v;
        rec.count++;
      },
    };
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] } {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upper.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: String(this.upper[i]), ...s.labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }

  reset(): void {
    this.series.clear();
  }
}

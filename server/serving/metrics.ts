// Prometheus metrics of one server, in its own registry (several servers may
// share a process in tests). Hot-path metrics use pre-bound children so a
// request costs a Map lookup, not a label hash.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { HealthReport } from './health/liveHealth';
import type { ReleaseReason } from './adaptiveBatcher';
import { FastCounter, FastHistogram, type CounterChild, type HistogramChild } from './fastMetrics';

/**
 * prom-client's default metrics include three gauges named *_total, which
 * Prometheus reserves for counters (`promtool check metrics`: non-counter
 * metrics should not have "_total" suffix). Each is the count over all types
 * of the per-type gauge beside it (nodejs_active_handles{type} and so on),
 * whose name is taken, so the totals are served as *_all with the same value.
 */
export const RENAMED_DEFAULT_METRICS: Readonly<Record<string, { name: string; help: string }>> = {
  nodejs_active_handles_total: {
    name: 'nodejs_active_handles_all',
    help: 'Active libuv handles of all types (the sum of nodejs_active_handles; prom-client calls it nodejs_active_handles_total).',
  },
  nodejs_active_requests_total: {
    name: 'nodejs_active_requests_all',
    help: 'Active libuv requests of all types (the sum of nodejs_active_requests; prom-client calls it nodejs_active_requests_total).',
  },
  nodejs_active_resources_total: {
    name: 'nodejs_active_resources_all',
    help: 'Active resources of all types keeping the event loop alive (the sum of nodejs_active_resources; prom-client calls it nodejs_active_resources_total).',
  },
};

/**
 * Replaces each misnamed default gauge with one under its new name that reads
 * the original at scrape time: prom-client still computes the value (and
 * registers the gauge only where Node.js has the API), we only rename it.
 */
function renameDefaultMetrics(registry: Registry): void {
  for (const [from, to] of Object.entries(RENAMED_DEFAULT_METRICS)) {
    const original = registry.getSingleMetric(from);
    if (!original) continue;
    registry.removeSingleMetric(from);
    new Gauge({
      name: to.name,
      help: to.help,
      registers: [registry],
      async collect() {
        this.reset();
        for (const v of (await original.get()).values) this.set(v.labels, v.value);
      },
    });
  }
}

/** What the metrics read at scrape time from each loaded model version. */
export interface MetricsSource {
  name: string;
  version: string;
  queued(): number;
  inflight(): number;
  health(): HealthReport;
  workers(): { configured: number; live: number };
}

export interface BatchMetrics {
  batch(rows: number, reason: ReleaseReason | 'direct', waits: number[], inferSeconds: number): void;
}

export class ServingMetrics {
  readonly registry = new Registry();
  private readonly requests: FastCounter;
  private readonly latency: FastHistogram;
  private readonly batchSize: FastHistogram;
  private readonly queueWait: FastHistogram;
  private readonly releases: FastCounter;
  private readonly inference: FastHistogram;
  readonly reloads: Counter<'model' | 'result'>;
  private readonly children = new Map<string, { count: CounterChild; latency: HistogramChild }>();
  private sources: () => MetricsSource[] = () => [];

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      renameDefaultMetrics(this.registry);
    }
    const r = this.registry;
    this.requests = new FastCounter(
      'modelgate_requests_total',
      'Inference and metadata requests by model, version, protocol and HTTP status.',
      ['model', 'version', 'protocol', 'status'],
      r,
    );
    this.latency = new FastHistogram(
      'modelgate_request_duration_seconds',
      'Request latency from arrival to response, in seconds.',
      ['model', 'version', 'protocol'],
      [0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1, 2.5],
      r,
    );
    this.batchSize = new FastHistogram(
      'modelgate_batch_size',
      'Rows per inference (session.run) after adaptive batching.',
      ['model', 'version'],
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      r,
    );
    this.queueWait = new FastHistogram(
      'modelgate_queue_wait_seconds',
      'Time a request waited in the batching queue before its batch was released.',
      ['model', 'version'],
      [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.1],
      r,
    );
    this.releases = new FastCounter(
      'modelgate_batch_releases_total',
      'Batches released, by reason: full (maxBatchSize reached), idle (event loop free), max_delay (maxDelayMs reached), direct (batching disabled).',
      ['model', 'version', 'reason'],
      r,
    );
    this.inference = new FastHistogram(
      'modelgate_inference_duration_seconds',
      'Time of one batch through preprocessing, the runtime and postprocessing (in the worker, without the queue or the hop to it).',
      ['model', 'version'],
      [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.1, 0.5],
      r,
    );
    this.reloads = new Counter({
      name: 'modelgate_reloads_total',
      help: 'Model (re)loads by result: ok, or failed (the previous version kept serving).',
      labelNames: ['model', 'result'],
      registers,
    });
    // prom-client calls collect() with the gauge as `this`; the sources are ours
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'modelgate_queue_depth',
      help: 'Requests waiting in the batching queue.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const s of self.sources()) this.set({ model: s.name, version: s.version }, s.queued());
      },
    });
    new Gauge({
      name: 'modelgate_inflight_requests',
      help: 'Requests accepted by a model version and not yet answered.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const s of self.sources()) this.set({ model: s.name, version: s.version }, s.inflight());
      },
    });
    new Gauge({
      name: 'modelgate_workers',
      help: 'Worker threads computing a model version, by state: configured, or live (fewer while a dead one is replaced). 0 configured: inline on the main thread.',
      labelNames: ['model', 'version', 'state'],
      registers,
      collect() {
        this.reset();
        for (const s of self.sources()) {
          const w = s.workers();
          this.set({ model: s.name, version: s.version, state: 'configured' }, w.configured);
          this.set({ model: s.name, version: s.version, state: 'live' }, w.live);
        }
      },
    });
    // Live ML health, computed at scrape time from the streaming counts.
    const reports = () => self.sources().map((s) => ({ s, h: s.health() }));
    let cached: { at: number; list: ReturnType<typeof reports> } | undefined;
    const health = () => {
      // one scrape reads four gauges; compute the reports once per scrape
      const t = Date.now();
      if (!cached || t - cached.at > 100) cached = { at: t, list: reports() };
      return cached.list;
    };
    new Gauge({
      name: 'modelgate_feature_psi',
      help: 'Population stability index of each raw feature, live window vs reference data.',
      labelNames: ['model', 'version', 'feature'],
      registers,
      collect() {
        this.reset();
        for (const { s, h } of health())
          for (const f of h.features) if (f.psi !== null) this.set({ model: s.name, version: s.version, feature: f.name }, f.psi);
      },
    });
    new Gauge({
      name: 'modelgate_prediction_drift',
      help: 'Jensen–Shannon distance of the predicted-class distribution vs data.labelFrequencies (classification), or PSI of predictions vs reference predictions (regression).',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const { s, h } of health()) {
          const v = h.predictions?.kind === 'classification' ? h.predictions.jensenShannon : h.predictions?.psi;
          if (v !== null && v !== undefined) this.set({ model: s.name, version: s.version }, v);
        }
      },
    });
    new Gauge({
      name: 'modelgate_prediction_class_share',
      help: 'Share of each predicted class in the live window.',
      labelNames: ['model', 'version', 'class'],
      registers,
      collect() {
        this.reset();
        for (const { s, h } of health())
          for (const [c, v] of Object.entries(h.predictions?.share ?? {})) this.set({ model: s.name, version: s.version, class: c }, v);
      },
    });
    new Gauge({
      name: 'modelgate_health_window_rows',
      help: 'Rows in the live health window.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const { s, h } of health()) this.set({ model: s.name, version: s.version }, h.rows);
      },
    });
    new Gauge({
      name: 'modelgate_drifted_features',
      help: 'Features whose live PSI exceeds their threshold.',
      labelNames: ['model', 'version'],
      registers,
      collect() {
        this.reset();
        for (const { s, h } of health()) this.set({ model: s.name, version: s.version }, h.drifted.length);
      },
    });
  }

  setSources(fn: () => MetricsSource[]): void {
    this.sources = fn;
  }

  /** Counts one answered request and its latency. */
  request(model: string, version: string, protocol: string, status: number, seconds: number): void {
    const key = `${model}\u0000${version}\u0000${protocol}\u0000${status}`;
    let c = this.children.get(key);
    if (!c) {
      c = {
        count: this.requests.labels(model, version, protocol, String(status)),
        latency: this.latency.labels(model, version, protocol),
      };
      this.children.set(key, c);
    }
    c.count.inc();
    c.latency.observe(seconds);
  }

  /** Pre-bound batch metrics for one model version. */
  forVersion(model: string, version: string): BatchMetrics {
    const size = this.batchSize.labels(model, version);
    const wait = this.queueWait.labels(model, version);
    const infer = this.inference.labels(model, version);
    const reasons = new Map<string, CounterChild>();
    return {
      batch: (rows, reason, waits, inferSeconds) => {
        size.observe(rows);
        for (const w of waits) wait.observe(w);
        let r = reasons.get(reason);
        if (!r) {
          r = this.releases.labels(model, version, reason);
          reasons.set(reason, r);
        }
        r.inc();
        infer.observe(inferSeconds);
      },
    };
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
  get contentType(): string {
    return this.registry.contentType;
  }
}

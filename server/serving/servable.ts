// One loaded model version: its session, processing plan, scheduler and live
// health. Front ends get a Servable from the repository and call `predict`.
import type { LoadedManifest } from '../manifest/load';
import { inferBatch, type BatchOutput } from '../manifest/predict';
import type { ProcessingPlan } from '../manifest/processing';
import type { Session, TensorInfo } from '../runtime/onnx';
import { AdaptiveBatcher } from './adaptiveBatcher';
import { LiveHealth, type HealthReport } from './health/liveHealth';
import type { BatchMetrics, MetricsSource } from './metrics';
import { DirectScheduler, type BatchSlice, type Scheduler } from './scheduler';

export type ServableState = 'AVAILABLE' | 'UNLOADING' | 'END';

export interface BatchingConfig {
  enabled: boolean;
  maxBatchSize: number;
  maxDelayMs: number;
}

export interface ServableInit {
  loaded: LoadedManifest;
  artifact: string;
  session: Session;
  plan: ProcessingPlan;
  modelIO: { inputs: TensorInfo[]; outputs: TensorInfo[] };
  health: LiveHealth;
  metrics: BatchMetrics;
  batching: BatchingConfig;
  maxInstancesPerRequest: number;
  queueTimeoutMs?: number;
}

export class Servable implements MetricsSource {
  readonly name: string;
  readonly version: string;
  readonly labels: string[];
  readonly loaded: LoadedManifest;
  readonly artifact: string;
  readonly plan: ProcessingPlan;
  readonly modelIO: { inputs: TensorInfo[]; outputs: TensorInfo[] };
  readonly batching: BatchingConfig;
  readonly maxInstancesPerRequest: number;
  readonly loadedAt = new Date();
  state: ServableState = 'AVAILABLE';
  private readonly session: Session;
  private readonly scheduler: Scheduler;
  private readonly liveHealth: LiveHealth;
  private readonly pendingHealth: { raw: Float64Array[]; rows: number; out: BatchOutput | undefined }[];

  constructor(init: ServableInit) {
    const m = init.loaded.manifest;
    this.name = m.metadata.name;
    this.version = m.metadata.version;
    this.labels = [...(m.serving?.labels ?? [])];
    this.loaded = init.loaded;
    this.artifact = init.artifact;
    this.session = init.session;
    this.plan = init.plan;
    this.modelIO = init.modelIO;
    this.batching = init.batching;
    this.maxInstancesPerRequest = init.maxInstancesPerRequest;
    this.liveHealth = init.health;
    const metrics = init.metrics;
    const plan = init.plan;
    const session = init.session;
    // Health statistics are folded in lazily, a few batches at a time (or
    // when a report is read), so the request path never pays an extra turn
    // of the event loop for them. A few, not many: batches held longer get
    // promoted to the old space, and under load that meant a mark-compact
    // every ~300 ms (64 batches) against one in 4 s (8 batches).
    const pending: { raw: Float64Array[]; rows: number; out: BatchOutput | undefined }[] = [];
    this.pendingHealth = pending;
    const observe = (raw: Float64Array[], rows: number, out: BatchOutput | undefined) => {
      pending.push({ raw, rows, out });
      if (pending.length >= 8) this.foldHealth();
    };
    if (init.batching.enabled) {
      const took = new WeakMap<BatchOutput, number>();
      this.scheduler = new AdaptiveBatcher(
        (raw, rows) => {
          const t = performance.now();
          return inferBatch(session, plan, raw, rows).then((out) => {
            took.set(out, performance.now() - t);
            return out;
          });
        },
        {
          maxBatchSize: init.batching.maxBatchSize,
          maxDelayMs: init.batching.maxDelayMs,
          widths: plan.inputs.map((i) => i.rawWidth),
          queueTimeoutMs: init.queueTimeoutMs,
          onBatch: (e) => {
            metrics.batch(e.rows, e.reason, e.waits, e.out ? (took.get(e.out) ?? 0) / 1000 : 0);
            observe(e.raw, e.rows, e.out);
          },
        },
      );
    } else {
      const noWait = [0];
      this.scheduler = new DirectScheduler(async (raw, rows): Promise<BatchOutput> => {
        const t = performance.now();
        const out = await inferBatch(session, plan, raw, rows);
        const seconds = (performance.now() - t) / 1000;
        metrics.batch(rows, 'direct', noWait, seconds);
        observe(raw, rows, out);
        return out;
      });
    }
  }

  get manifestPath(): string {
    return this.loaded.path;
  }
  get task(): 'classification' | 'regression' {
    return this.plan.task;
  }

  /** Raw rows, one array per input (rows × rawWidth) → this request's slice of a batch. */
  predict(raw: Float64Array[], rows: number): Promise<BatchSlice> {
    return this.scheduler.enqueue(raw, rows);
  }

  queued(): number {
    return this.scheduler.queued;
  }
  inflight(): number {
    return this.scheduler.inflight;
  }
  health(): HealthReport {
    this.foldHealth();
    return this.liveHealth.report();
  }

  private foldHealth(): void {
    for (const p of this.pendingHealth.splice(0)) this.liveHealth.observe(p.raw, p.rows, p.out);
  }

  /** Stops taking requests, waits for the accepted ones, then frees the session. */
  async unload(): Promise<void> {
    if (this.state !== 'AVAILABLE') return;
    this.state = 'UNLOADING';
    await this.scheduler.stop();
    await this.session.release();
    this.state = 'END';
  }
}

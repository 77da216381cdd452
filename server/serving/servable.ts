// One loaded model version: its runner (inline session or worker threads),
// processing plan, scheduler and live health. Front ends get a Servable from
// the repository and call `predict`.
import type { LoadedManifest } from '../manifest/load';
import type { BatchOutput } from '../manifest/predict';
import type { ProcessingPlan } from '../manifest/processing';
import { InferenceError, type TensorInfo } from '../runtime/onnx';
import { AdaptiveBatcher } from './adaptiveBatcher';
import { ServingError } from './errors';
import type { ModelRunner } from './workers/runner';
import type { WorkerChoice } from './workers/sizing';
import { LiveHealth, type HealthReport } from './health/liveHealth';
import type { BatchMetrics, MetricsSource } from './metrics';
import { DirectScheduler, type BatchSlice, type Scheduler } from './scheduler';

export type ServableState = 'AVAILABLE' | 'UNLOADING' | 'END';

export interface BatchingConfig {
  enabled: boolean;
  maxBatchSize: number;
  maxDelayMs: number;
  /** Set when the model takes exactly this many rows per run (exported without a dynamic batch axis). */
  fixedBatchSize?: number;
  /** What was adjusted and why, for the metadata and the serve log. */
  note?: string;
}

export interface ServableInit {
  loaded: LoadedManifest;
  artifact: string;
  runner: ModelRunner;
  /** How many workers, and why (`serving.workers` or the auto cost model). */
  workerChoice: WorkerChoice;
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
  readonly workerChoice: WorkerChoice;
  readonly loadedAt = new Date();
  state: ServableState = 'AVAILABLE';
  private readonly runner: ModelRunner;
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
    this.runner = init.runner;
    this.workerChoice = init.workerChoice;
    this.plan = init.plan;
    this.modelIO = init.modelIO;
    this.batching = init.batching;
    this.maxInstancesPerRequest = init.maxInstancesPerRequest;
    this.liveHealth = init.health;
    const metrics = init.metrics;
    const runner = init.runner;
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
        (raw, rows) =>
          runner.run(raw, rows).then(({ out, runMs }) => {
            took.set(out, runMs);
            return out;
          }),
        {
          maxBatchSize: init.batching.maxBatchSize,
          maxDelayMs: init.batching.maxDelayMs,
          widths: init.plan.inputs.map((i) => i.rawWidth),
          queueTimeoutMs: init.queueTimeoutMs,
          concurrency: runner.concurrency,
          onBatch: (e) => {
            metrics.batch(e.rows, e.reason, e.waits, e.out ? (took.get(e.out) ?? 0) / 1000 : 0);
            observe(e.raw, e.rows, e.out);
          },
        },
      );
    } else {
      const noWait = [0];
      this.scheduler = new DirectScheduler(async (raw, rows): Promise<BatchOutput> => {
        const { out, runMs } = await runner.run(raw, rows);
        metrics.batch(rows, 'direct', noWait, runMs / 1000);
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
    return this.scheduler.enqueue(raw, rows).catch((err: unknown) => {
      throw err instanceof InferenceError ? this.rejected(err, raw, rows) : err;
    });
  }

  /** Workers computing this version (0: inline on the main thread), how many run now, and their thread ids. */
  workers(): { configured: number; live: number; threadIds: number[] } {
    return { configured: this.runner.workers, live: this.runner.liveWorkers, threadIds: this.runner.threadIds() };
  }

  /** Fault injection for tests: worker `index` dies when handed its next batch, and is replaced. */
  crashWorkerOnNextBatch(index: number): void {
    if (!this.runner.crashOnNextBatch) throw new Error(`${this.name} ${this.version} runs inline: it has no workers`);
    this.runner.crashOnNextBatch(index);
  }

  /** onnxruntime refused this request's values: a 400 that says which values and why. */
  private rejected(err: InferenceError, raw: Float64Array[], rows: number): ServingError {
    // Integer inputs are ids and category indexes: the values a model refuses; name them.
    const ids = this.plan.inputs.flatMap((input, k) => {
      if (!/int/.test(input.dtype)) return [];
      const values = Array.from(raw[k]!.subarray(0, Math.min(raw[k]!.length, 8)));
      return [`${input.name} = [${values.join(', ')}${raw[k]!.length > 8 ? ', …' : ''}]`];
    });
    const reason = err.message.replace(/^onnxruntime could not run the model: /, '');
    return new ServingError(
      400,
      `the model could not compute on this request (${rows} row${rows === 1 ? '' : 's'}${ids.length ? `; ${ids.join('; ')}` : ''}): ${reason}. ` +
        'The values passed the signature checks, but the model refuses them — typically an id or category index outside what it was trained on; check them against the training data',
      'MG332',
    );
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

  /** Stops taking requests, waits for the accepted ones, then frees the session or stops the workers. */
  async unload(): Promise<void> {
    if (this.state !== 'AVAILABLE') return;
    this.state = 'UNLOADING';
    await this.scheduler.stop();
    await this.runner.close();
    this.state = 'END';
  }
}

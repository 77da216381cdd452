// A model version's instances: N worker threads, each with its own session.
// The main thread keeps HTTP, decoding, batching and metrics; a batch goes to
// a free worker (the adaptive batcher never releases more batches than there
// are workers, so one is free unless a worker is being replaced). A worker
// that dies fails only the batch it was computing (503, MG333) and is
// replaced; the others go on.
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchOutput } from '../../manifest/predict';
import type { ProcessingPlan } from '../../manifest/processing';
import { InferenceError } from '../../runtime/onnx';
import { ServingError } from '../errors';
import type { FromWorker, ToWorker, WorkerInit } from './messages';

export interface WorkerPoolOptions {
  artifact: string;
  plan: ProcessingPlan;
  workers: number;
  /** onnxruntime intra-op threads per worker. */
  threads: number;
  warmup: { raw: Float64Array[]; rows: number }[];
  /** For messages: "breast-cancer 1.0.0". */
  label: string;
  /** Told when a worker stops unexpectedly and when its replacement is ready (for the server log). */
  onEvent?: (e: { kind: 'stopped' | 'replaced' | 'replace-failed'; worker: number; reason: string }) => void;
}

interface Job {
  id: number;
  raw: Float64Array[];
  rows: number;
  resolve: (r: { out: BatchOutput; runMs: number }) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  job: Job | undefined;
  closing: boolean;
  /** Called once the running batch is answered (close waits for it). */
  onIdle?: () => void;
  crashNext?: boolean;
}

/** Where the worker's code is: dist/modelWorker.js beside a bundle, or the TypeScript source under tsx. */
function workerEntry(): { file: string; eval: boolean } {
  // dirname(__filename), not __dirname: tsx's ESM-to-CJS bridge sets only the former reliably.
  const here = dirname(__filename);
  if (!__filename.endsWith('.ts')) return { file: join(here, 'modelWorker.js'), eval: false };
  // Worker threads do not inherit tsx's loader: the source entry registers it first.
  const tsx = require.resolve('tsx/cjs');
  return { file: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(join(here, 'modelWorker.ts'))});`, eval: true };
}

const REPLACE_ATTEMPTS = 3;

export class WorkerPool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly init: WorkerInit;

  private constructor(private readonly opts: WorkerPoolOptions) {
    this.slots = new Array<Slot | undefined>(opts.workers).fill(undefined);
    this.init = { artifact: opts.artifact, threads: opts.threads, plan: opts.plan, warmup: opts.warmup };
  }

  /** Starts every worker and waits until each has loaded and warmed up its session. */
  static async start(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    const started = await Promise.allSettled(pool.slots.map((_, i) => pool.spawn(i)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason;
    }
    return pool;
  }

  get size(): number {
    return this.opts.workers;
  }
  /** Workers running now (fewer than `size` while one is being replaced). */
  get live(): number {
    return this.slots.filter((s) => s && !s.closing).length;
  }
  get busy(): number {
    return this.slots.filter((s) => s?.job).length;
  }
  /** Worker thread ids, for diagnostics and tests. */
  threadIds(): number[] {
    return this.slots.flatMap((s) => (s ? [s.worker.threadId] : []));
  }

  /** Preprocess, run and postprocess one batch in a free worker. */
  run(raw: Float64Array[], rows: number): Promise<{ out: BatchOutput; runMs: number }> {
    if (this.closed) return Promise.reject(new ServingError(503, `${this.opts.label} is shutting down; retry the request`, 'MG330'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, raw, rows, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot || slot.job || slot.closing) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      // One copy into buffers of exactly the batch's size, moved (not cloned)
      // to the worker: a view on a larger buffer would clone all of it.
      const raw = job.raw.map((r) => r.slice());
      if (slot.crashNext) slot.worker.postMessage({ kind: 'exit', code: 70 } satisfies ToWorker);
      const msg: ToWorker = { kind: 'run', id: job.id, raw, rows: job.rows };
      slot.worker.postMessage(
        msg,
        raw.map((r) => r.buffer as ArrayBuffer),
      );
    }
    if (this.queue.length && this.live === 0 && !this.replacing) {
      for (const j of this.queue.splice(0)) j.reject(this.noWorkers());
    }
  }

  private replacing = 0;

  private noWorkers(): ServingError {
    return new ServingError(
      503,
      `${this.opts.label} has no running worker: they stopped and could not be restarted (see the server log); reload the model or restart the server`,
      'MG333',
    );
  }

  private spawn(index: number): Promise<void> {
    const entry = workerEntry();
    const worker = new Worker(entry.file, {
      eval: entry.eval,
      workerData: this.init,
      // No flags of the server (an --inspect port, --cpu-prof) in every worker.
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { index, worker, job: undefined, closing: false };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      let lastError: Error | undefined;
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'ready') {
          ready = true;
          if (this.closed) {
            worker.postMessage({ kind: 'close' } satisfies ToWorker);
            slot.closing = true;
          }
          this.slots[index] = slot;
          resolve();
          this.dispatch();
          return;
        }
        if (m.kind === 'failed') {
          lastError = new Error(`worker ${index + 1} of ${this.size} for ${this.opts.label} could not load the model: ${m.message}`);
          return;
        }
        const job = slot.job;
        if (!job || job.id !== m.id) return;
        slot.job = undefined;
        if (m.kind === 'done') job.resolve({ out: m.out, runMs: m.runMs });
        else job.reject(m.inference ? new InferenceError(m.message, m.runtimeMessage ?? m.message) : new Error(m.message));
        slot.onIdle?.();
        this.dispatch();
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      worker.on('exit', (code) => {
        if (!ready) {
          reject(lastError ?? new Error(`worker ${index + 1} of ${this.size} for ${this.opts.label} exited with code ${code} while loading the model`));
          return;
        }
        if (this.slots[index] === slot) this.slots[index] = undefined;
        if (slot.closing) return;
        const reason = lastError ? lastError.message.split('\n')[0]! : `exit code ${code}`;
        this.opts.onEvent?.({ kind: 'stopped', worker: index + 1, reason });
        if (slot.job) {
          slot.job.reject(
            new ServingError(
              503,
              `the worker computing this request for ${this.opts.label} stopped (${reason}) before answering; it is being replaced, retry the request`,
              'MG333',
            ),
          );
          slot.job = undefined;
        }
        if (!this.closed) void this.replace(index, reason);
      });
    });
  }

  private async replace(index: number, reason: string): Promise<void> {
    this.replacing++;
    try {
      for (let attempt = 1; attempt <= REPLACE_ATTEMPTS && !this.closed; attempt++) {
        try {
          await this.spawn(index);
          this.opts.onEvent?.({ kind: 'replaced', worker: index + 1, reason });
          return;
        } catch (err) {
          if (attempt === REPLACE_ATTEMPTS) this.opts.onEvent?.({ kind: 'replace-failed', worker: index + 1, reason: (err as Error).message });
          else await new Promise((r) => setTimeout(r, 250 * attempt));
        }
      }
    } finally {
      this.replacing--;
      this.dispatch();
    }
  }

  /**
   * Fault injection for tests: worker `index` exits (code 70) when it is handed
   * its next batch, as a crash in the middle of a batch would. (Terminating a
   * thread while onnxruntime computes in it would abort the whole process.)
   */
  crashOnNextBatch(index: number): void {
    const slot = this.slots[index];
    if (!slot) throw new Error(`${this.opts.label} has no running worker ${index + 1}`);
    slot.crashNext = true;
  }

  /** Refuses new batches, lets the running ones finish, then stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new ServingError(503, `${this.opts.label} is shutting down; retry the request`, 'MG330'));
    const exits = this.slots.flatMap((slot) => {
      if (!slot) return [];
      slot.closing = true;
      const exited = new Promise<void>((r) => slot.worker.once('exit', () => r()));
      const close = () => slot.worker.postMessage({ kind: 'close' } satisfies ToWorker);
      if (slot.job) slot.onIdle = close;
      else close();
      return [exited];
    });
    await Promise.all(exits);
  }
}

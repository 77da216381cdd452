// Merges concurrent requests into one inference. A batch is released when
// the event loop is free (setImmediate: after the poll phase in which the
// requests arrived), never by a fixed timer, so a lone request does not wait;
// at low load (the last batch was a single request and nothing runs) it is
// handed to the model at once, saving the loop turn (one epoll_wait).
// While every instance of the model is computing a batch, new requests
// gather behind them and go out together once one has finished and the next
// poll phase has added its arrivals (at once if they fill a batch, or when
// the oldest has waited maxDelayMs). Measured on 2 cores at 16 connections:
// batches grew from ~6 rows and CPU per request fell from ~51 to ~41 µs.
// At most `concurrency` batches run at once: one per worker (1 inline, where
// session.run blocks the loop and two batches at once would not be faster).
// A batch that fails is re-run request by request, so a request the model
// cannot compute fails alone and the others in its batch are answered.
import type { BatchOutput } from '../manifest/predict';
import { Drain, stoppedError, type BatchSlice, type RunBatch, type Scheduler } from './scheduler';
import { ServingError } from './errors';
import { allocFloat64 } from './slab';
import { realClock, type Clock, type ClockTimer } from './clock';

export type ReleaseReason = 'full' | 'idle' | 'max_delay';

export interface BatchEvent {
  rows: number;
  requests: number;
  reason: ReleaseReason;
  /** Seconds each request waited in the queue. */
  waits: number[];
  /** The batch's raw inputs, one array per model input (rows × rawWidth). */
  raw: Float64Array[];
  out: BatchOutput | undefined;
  /** The batch failed and its requests were re-run one by one. */
  split: boolean;
}

export interface AdaptiveBatcherOptions {
  maxBatchSize: number;
  maxDelayMs: number;
  /** Raw width of each model input, to concatenate requests. */
  widths: number[];
  /** A request that waited longer than this is answered 503 instead of run. */
  queueTimeoutMs?: number;
  /** Called after each batch, once its requests are answered. */
  onBatch?: (e: BatchEvent) => void;
  /** Time source for queue waits and the max-delay timer (tests pass their own). */
  clock?: Clock;
  /** Batches computed at once (the model's workers; 1 inline). */
  concurrency?: number;
}

interface Job {
  raw: Float64Array[];
  rows: number;
  at: number;
  resolve: (s: BatchSlice) => void;
  reject: (e: unknown) => void;
}

export class AdaptiveBatcher implements Scheduler {
  private queue: Job[] = [];
  private queuedRows = 0;
  private running = 0;
  private immediate = false;
  /** Requests in the last batch: 1 means low load, where nothing is gained by waiting for the poll phase to end. */
  private lastRequests = 0;
  private timer: ClockTimer | undefined;
  private drain = new Drain();
  private readonly clock: Clock;
  private readonly concurrency: number;

  constructor(
    private readonly runBatch: RunBatch,
    private readonly opts: AdaptiveBatcherOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  get inflight(): number {
    return this.drain.count;
  }
  get queued(): number {
    return this.queue.length;
  }

  enqueue(raw: Float64Array[], rows: number): Promise<BatchSlice> {
    if (this.drain.stopped) return Promise.reject(stoppedError());
    this.drain.enter();
    return new Promise<BatchSlice>((resolve, reject) => {
      this.queue.push({ raw, rows, at: this.clock.now(), resolve, reject });
      this.queuedRows += rows;
      if (this.running < this.concurrency) {
        if (this.queuedRows >= this.opts.maxBatchSize) this.release('full');
        // Low load (the last batch was one request, nothing runs, nothing waits):
        // go now; a loop turn spent waiting for company would only add latency.
        else if (this.running === 0 && this.queue.length === 1 && this.lastRequests === 1 && !this.immediate) this.release('idle');
        else if (!this.immediate) {
          this.immediate = true;
          setImmediate(this.onImmediate);
        }
      } else if (!this.timer && this.opts.maxDelayMs > 0) {
        this.timer = this.clock.setTimeout(this.onTimer, this.opts.maxDelayMs);
      }
    });
  }

  private onImmediate = (): void => {
    this.immediate = false;
    if (this.running < this.concurrency && this.queue.length) this.release(this.queuedRows >= this.opts.maxBatchSize ? 'full' : 'idle');
  };

  private onTimer = (): void => {
    this.timer = undefined;
    // With every worker busy, waiting longer fills the batch; the first to finish releases it.
    if (this.queue.length && this.running < this.concurrency) this.release('max_delay');
  };

  private release(reason: ReleaseReason): void {
    if (this.timer) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const t = this.clock.now();
    const jobs: Job[] = [];
    let rows = 0;
    const timeout = this.opts.queueTimeoutMs;
    while (this.queue.length) {
      const j = this.queue[0]!;
      if (jobs.length && rows + j.rows > this.opts.maxBatchSize) break;
      this.queue.shift();
      this.queuedRows -= j.rows;
      if (timeout !== undefined && t - j.at > timeout) {
        j.reject(
          new ServingError(
            503,
            `the request waited ${Math.round(t - j.at)} ms in the queue, longer than the ${timeout} ms request timeout; the server is overloaded, retry later or add instances`,
            'MG331',
          ),
        );
        this.drain.leave();
        continue;
      }
      jobs.push(j);
      rows += j.rows;
    }
    if (jobs.length === 0) return;
    const raw = jobs.length === 1 ? jobs[0]!.raw : this.concat(jobs, rows);
    const waits = jobs.map((j) => (t - j.at) / 1000);
    this.running++;
    this.runBatch(raw, rows).then(
      (out) => {
        let offset = 0;
        for (const j of jobs) {
          j.resolve({ out, offset, rows: j.rows });
          offset += j.rows;
        }
        this.finish(jobs.length, rows, reason, waits, raw, out);
      },
      (err) => {
        if (jobs.length === 1 || err instanceof ServingError) {
          // a refusal of the batch as a whole (worker stopped, unloading): every request gets it
          for (const j of jobs) j.reject(err);
          this.finish(jobs.length, rows, reason, waits, raw, undefined);
          return;
        }
        // One of them, or several, cannot be computed: find out which by
        // running each alone (the batch slot stays taken meanwhile).
        void Promise.all(
          jobs.map((j) =>
            this.runBatch(j.raw, j.rows).then(
              (out) => j.resolve({ out, offset: 0, rows: j.rows }),
              (e: unknown) => j.reject(e),
            ),
          ),
        ).then(() => this.finish(jobs.length, rows, reason, waits, raw, undefined, true));
      },
    );
  }

  private finish(n: number, rows: number, reason: ReleaseReason, waits: number[], raw: Float64Array[], out: BatchOutput | undefined, split = false): void {
    this.running--;
    this.lastRequests = n;
    for (let i = 0; i < n; i++) this.drain.leave();
    // Requests that gathered behind this batch go when the loop is next free:
    // at once if they fill a batch, else after the coming poll phase, whose
    // arrivals join them (one inference instead of two; no timer involved).
    if (this.running < this.concurrency && this.queue.length) {
      if (this.queuedRows >= this.opts.maxBatchSize) this.release('full');
      else if (!this.immediate) {
        this.immediate = true;
        setImmediate(this.onImmediate);
      }
    }
    this.opts.onBatch?.({ rows, requests: n, reason, waits, raw, out, split });
  }

  private concat(jobs: Job[], rows: number): Float64Array[] {
    return this.opts.widths.map((w, k) => {
      const buf = allocFloat64(rows * w);
      let off = 0;
      for (const j of jobs) {
        buf.set(j.raw[k]!, off);
        off += j.rows * w;
      }
      return buf;
    });
  }

  stop(): Promise<void> {
    return this.drain.stop();
  }
}

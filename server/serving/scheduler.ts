// A scheduler sits between a servable and the runtime: requests go in with
// `enqueue`, each comes back as its slice of a batch output. `inflight`
// counts requests accepted and not yet answered; `stop` refuses new work and
// resolves once everything accepted has finished.
import type { BatchOutput } from '../manifest/predict';
import { ServingError } from './errors';

export interface BatchSlice {
  out: BatchOutput;
  /** First row of this request in `out`. */
  offset: number;
  rows: number;
}

export type RunBatch = (raw: Float64Array[], rows: number) => Promise<BatchOutput>;

export interface Scheduler {
  enqueue(raw: Float64Array[], rows: number): Promise<BatchSlice>;
  readonly inflight: number;
  /** Requests waiting to be batched (0 for the direct scheduler). */
  readonly queued: number;
  stop(): Promise<void>;
}

export function stoppedError(): ServingError {
  return new ServingError(503, 'this model version is being unloaded; retry the request (it goes to the version now serving)', 'MG330');
}

/** Counts in-flight work and resolves `stop` when it reaches zero. */
export class Drain {
  count = 0;
  stopped = false;
  private waiters: (() => void)[] = [];

  enter(): void {
    this.count++;
  }
  leave(): void {
    if (--this.count === 0 && this.waiters.length) for (const w of this.waiters.splice(0)) w();
  }
  stop(): Promise<void> {
    this.stopped = true;
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** One inference per request: used when batching is disabled for a model. */
export class DirectScheduler implements Scheduler {
  private drain = new Drain();
  constructor(private readonly runBatch: RunBatch) {}

  get inflight(): number {
    return this.drain.count;
  }
  get queued(): number {
    return 0;
  }

  async enqueue(raw: Float64Array[], rows: number): Promise<BatchSlice> {
    if (this.drain.stopped) throw stoppedError();
    this.drain.enter();
    try {
      return { out: await this.runBatch(raw, rows), offset: 0, rows };
    } finally {
      this.drain.leave();
    }
  }

  stop(): Promise<void> {
    return this.drain.stop();
  }
}

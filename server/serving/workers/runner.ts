// How a servable computes a batch: inline on the server's main thread (one
// session; run blocks the loop, so one batch at a time), or in a pool of
// worker threads (one batch per worker at once).
import { inferBatch, type BatchOutput } from '../../manifest/predict';
import type { ProcessingPlan } from '../../manifest/processing';
import type { Session } from '../../runtime/onnx';
import type { WorkerPool } from './workerPool';

export interface ModelRunner {
  /** Batches it can compute at once: 1 inline, else the worker count. */
  readonly concurrency: number;
  /** 0 when inline. */
  readonly workers: number;
  /** Workers running now (a dead one is being replaced); 0 inline. */
  readonly liveWorkers: number;
  /** Preprocess, run, postprocess; `runMs` is the compute time alone (no queue, no thread hop). */
  run(raw: Float64Array[], rows: number): Promise<{ out: BatchOutput; runMs: number }>;
  /** Fault injection for tests: worker `index` dies when handed its next batch (it is replaced). */
  crashOnNextBatch?(index: number): void;
  /** Worker thread ids (empty inline). */
  threadIds(): number[];
  close(): Promise<void>;
}

export function inlineRunner(session: Session, plan: ProcessingPlan): ModelRunner {
  return {
    concurrency: 1,
    workers: 0,
    liveWorkers: 0,
    async run(raw, rows) {
      const t = performance.now();
      const out = await inferBatch(session, plan, raw, rows);
      return { out, runMs: performance.now() - t };
    },
    threadIds: () => [],
    close: () => session.release(),
  };
}

export function poolRunner(pool: WorkerPool): ModelRunner {
  return {
    concurrency: pool.size,
    workers: pool.size,
    get liveWorkers() {
      return pool.live;
    },
    run: (raw, rows) => pool.run(raw, rows),
    crashOnNextBatch: (index) => pool.crashOnNextBatch(index),
    threadIds: () => pool.threadIds(),
    close: () => pool.close(),
  };
}

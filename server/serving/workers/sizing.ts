// How many workers a model version gets: `serving.workers` (or `modelgate
// serve --workers`) when it says a number or `inline`; for `auto`, a cost
// model from one measured row. Documented in docs/serving.md.

/** `serving.workers`: a count, `inline` (the main thread), or `auto`. */
export type WorkersSetting = number | 'auto' | 'inline';

/**
 * `auto` runs a model inline when one full batch would hold the main thread
 * for less than this: the hop to a worker and back (~50–100 µs) would cost
 * such a model more than its run, and 2 ms keeps health checks prompt.
 */
export const INLINE_BUDGET_MS = 2;

export interface WorkerChoice {
  workers: number;
  /** Why, for the server log and the status API. */
  reason: string;
}

/** What the probe measured: one row, and a full batch when one row alone did not decide. */
export interface Probe {
  rowMs: number;
  batchMs?: number;
}

/**
 * The cost model of `serving.workers: auto` (documented in docs/serving.md):
 * inline when a full batch runs under INLINE_BUDGET_MS, otherwise one worker
 * per `threads` cores.
 */
export function chooseWorkers(setting: WorkersSetting, probe: Probe | undefined, maxBatchSize: number, threads: number, cores: number): WorkerChoice {
  if (setting === 'inline') return { workers: 0, reason: 'serving.workers: inline' };
  if (typeof setting === 'number') return { workers: setting, reason: `serving.workers: ${setting}` };
  const batchMs = probe ? (probe.batchMs ?? probe.rowMs * maxBatchSize) : Infinity;
  if (batchMs < INLINE_BUDGET_MS)
    return { workers: 0, reason: `auto: a full batch of ${maxBatchSize} takes ${batchMs.toFixed(2)} ms, under ${INLINE_BUDGET_MS} ms, so it runs inline` };
  const workers = Math.max(1, Math.floor(cores / threads));
  return {
    workers,
    reason: `auto: a full batch of ${maxBatchSize} takes ${Number.isFinite(batchMs) ? batchMs.toFixed(1) : '?'} ms, over ${INLINE_BUDGET_MS} ms, so ${workers} worker${workers === 1 ? '' : 's'} (${cores} cores / ${threads} thread${threads === 1 ? '' : 's'} each)`,
  };
}

/**
 * Whether the one-row time settles it: a row × the batch size is an upper
 * bound of the batch (batching is never slower per row), and a row over the
 * budget is already too long for the main thread.
 */
export function needsBatchProbe(rowMs: number, maxBatchSize: number): boolean {
  return rowMs * maxBatchSize >= INLINE_BUDGET_MS && rowMs < INLINE_BUDGET_MS;
}

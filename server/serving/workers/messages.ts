// What the server's main thread and a model worker say to each other. Plain
// structured-clone data: typed arrays, strings, numbers, Maps.
import type { BatchOutput } from '../../manifest/predict';
import type { ProcessingPlan } from '../../manifest/processing';

export interface WorkerInit {
  artifact: string;
  /** onnxruntime intra-op threads of this worker's session. */
  threads: number;
  plan: ProcessingPlan;
  /** Batches run once before the worker says it is ready (first-run costs are paid at load, not by a request). */
  warmup: { raw: Float64Array[]; rows: number }[];
}

export type ToWorker =
  | { kind: 'run'; id: number; raw: Float64Array[]; rows: number }
  | { kind: 'close' }
  /** Fault injection for tests: exit at once, as a crash would. */
  | { kind: 'exit'; code: number };

export type FromWorker =
  | { kind: 'ready'; loadMs: number }
  | { kind: 'failed'; message: string }
  | { kind: 'done'; id: number; out: BatchOutput; runMs: number }
  /** `inference`: onnxruntime refused these values (the request's fault); otherwise the worker's. */
  | { kind: 'error'; id: number; message: string; inference: boolean; runtimeMessage?: string };

/** The buffers of a batch output, to transfer instead of copy. */
export function outputBuffers(out: BatchOutput): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = (d: unknown) => {
    if (ArrayBuffer.isView(d) && d.buffer instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength) seen.add(d.buffer);
  };
  for (const t of Object.values(out.raw)) add(t.data);
  for (const d of out.derived) if (d.kind === 'tensor') add(d.data);
  return [...seen];
}

// One model instance: a worker thread with its own onnxruntime session. It
// runs the same preprocess → run → postprocess as the inline path
// (inferBatch), so a worker's answers are bit for bit those of an inline
// session. onnxruntime's run blocks this thread, not the server's.
import { parentPort, workerData } from 'node:worker_threads';
import { inferBatch } from '../../manifest/predict';
import { InferenceError, createSession, type Session } from '../../runtime/onnx';
import { outputBuffers, type FromWorker, type ToWorker, type WorkerInit } from './messages';

const port = parentPort!;
const init = workerData as WorkerInit;

function send(m: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(m, transfer);
}

async function start(): Promise<Session | undefined> {
  const t = performance.now();
  try {
    const session = await createSession(init.artifact, { intraOpNumThreads: init.threads });
    for (const w of init.warmup) await inferBatch(session, init.plan, w.raw, w.rows);
    send({ kind: 'ready', loadMs: performance.now() - t });
    return session;
  } catch (err) {
    send({ kind: 'failed', message: (err as Error).message.split('\n')[0]! });
    return undefined;
  }
}

void start().then((session) => {
  if (!session) return port.close();
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'close') {
      void session.release().finally(() => port.close());
      return;
    }
    if (m.kind === 'exit') process.exit(m.code);
    const t = performance.now();
    inferBatch(session, init.plan, m.raw, m.rows).then(
      (out) => {
        // Outputs are moved, not copied: the buffers are this batch's alone.
        send({ kind: 'done', id: m.id, out, runMs: performance.now() - t }, outputBuffers(out));
      },
      (err: unknown) => {
        const e = err as Error;
        send({
          kind: 'error',
          id: m.id,
          message: e.message,
          inference: e instanceof InferenceError,
          runtimeMessage: e instanceof InferenceError ? e.runtimeMessage : undefined,
        });
      },
    );
  });
});

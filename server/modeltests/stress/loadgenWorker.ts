// The load-generator child process: receives the target and request bodies
// once, then runs one job at a time and answers with its measurements. It
// exits when told to or as soon as its parent goes away, so an aborted or
// crashed suite never leaves load running against a server.
import { runClosed, type LoadTarget } from './closedLoad';
import type { ChildMessage, ParentMessage } from './loadgenProtocol';
import { runOpen } from './openLoad';

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

/** Runs until the parent sends `exit` or disconnects. Resolves when it should end. */
export function runLoadgenChild(): Promise<void> {
  if (!process.send) {
    process.stderr.write('modelgate: __loadgen is started by the stress suite over an IPC channel; it cannot run on its own.\n');
    return Promise.resolve();
  }
  let target: LoadTarget | undefined;
  // One job at a time, in arrival order.
  let queue: Promise<void> = Promise.resolve();
  return new Promise<void>((resolve) => {
    const end = () => {
      process.off('message', onMessage);
      resolve();
      // Sockets or timers of an interrupted run must not keep the process alive.
      setImmediate(() => process.exit(0));
    };
    const onMessage = (raw: unknown) => {
      const msg = raw as ParentMessage;
      if (msg.type === 'init') {
        target = { url: msg.url, bodies: msg.bodies };
      } else if (msg.type === 'run') {
        queue = queue.then(async () => {
          try {
            if (!target || target.bodies.length === 0) throw new Error('load generator got a job before its target and request bodies');
            const result = msg.job.mode === 'closed' ? await runClosed(msg.job, target) : await runOpen(msg.job, target);
            send({ type: 'result', id: msg.id, result });
          } catch (err) {
            send({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) });
          }
        });
      } else if (msg.type === 'exit') {
        end();
      }
    };
    process.on('message', onMessage);
    process.on('disconnect', end);
    send({ type: 'ready' });
  });
}

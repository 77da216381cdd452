// The load-generator child process: receives the target and request bodies
// once, then runs one job at a time and answers with its measurements. It
// exits when told to or as soon as its parent goes away, so an aborted or
// crashed suite never leaves load running against a server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
      } else if (msg.type === 'serve-trivial') {
        const server = serveTrivial();
        server.listen(0, '127.0.0.1', () => {
          send({ type: 'trivial-listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models/trivial:predict` });
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

/** A response about the size of a small model's answer. */
const TRIVIAL_BODY = JSON.stringify({ predictions: [[0.5, 0.5]] });

/**
 * The noise floor's endpoint: plain node:http that reads the request and
 * answers at once, with no routing, parsing or model. What the load
 * generator measures against it is the machine's share of a latency.
 */
function serveTrivial(): http.Server {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(TRIVIAL_BODY) });
      res.end(TRIVIAL_BODY);
    });
  });
  server.keepAliveTimeout = 30_000;
  return server;
}

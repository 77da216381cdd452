// The engine host: the child process of the language server that runs engine
// jobs (dist/engine.js). It runs with plain Node flags, as the CLI does, so
// the figures of a run started from the editor are the CLI's; and it has no
// catch-all crash handler, so a crash ends it and the language server says so
// instead of swallowing it. Jobs arrive over the IPC channel; the host goes
// when the language server closes the channel or disappears.
import { errorData } from '../../protocol/errors';
import type { EngineJobs, HostError, HostEvent, HostRequest } from '../../protocol/engineHost';
import { PublishCancelledError } from '../../publish';
import { runTests, SUITES } from '../../pipeline';
import { deployManifest } from './deployManifest';
import { LocalServer } from './localServer';
import { publishManifest } from './publishManifest';
import { scoreFile } from './scoreFile';

type Start = Extract<HostRequest, { type: 'start' }>;

function send(e: HostEvent): void {
  // The channel is gone when the language server went away; the disconnect handler ends this process.
  if (process.connected) process.send!(e);
}

const local = new LocalServer({ onRate: (requestsPerSecond) => send({ type: 'rate', requestsPerSecond }) });
const controllers = new Map<number, AbortController>();

function progress<J extends keyof EngineJobs>(id: number, job: J) {
  return (event: EngineJobs[J]['progress']) => send({ type: 'progress', id, job, event } as HostEvent);
}

async function run(req: Start, signal: AbortSignal): Promise<unknown> {
  switch (req.job) {
    case 'runTests': {
      const p = req.params;
      const report = await runTests(p.manifest, {
        only: p.only?.length ? p.only : [...SUITES],
        duration: p.duration,
        concurrency: p.concurrency,
        url: p.url,
        signal,
        onProgress: progress(req.id, 'runTests'),
      });
      return { report };
    }
    case 'deploy':
      return deployManifest(req.params, progress(req.id, 'deploy'), signal);
    case 'publish':
      return publishManifest(req.params, (e) => progress(req.id, 'publish')({ percent: e.percent, message: e.message }), signal);
    case 'score':
      return scoreFile(req.params, (percent, message) => progress(req.id, 'score')({ percent, message }), signal);
    case 'serve':
      return local.start(req.params);
    case 'stop':
      return local.stop();
  }
}

function hostError(req: Start, err: unknown, signal: AbortSignal): HostError {
  const message = err instanceof Error ? err.message : String(err);
  const data = errorData(err);
  // Publish says it was cancelled with its own error; score by the aborted signal. Both answer RequestCancelled.
  const cancelled = (req.job === 'publish' && err instanceof PublishCancelledError) || (req.job === 'score' && signal.aborted);
  return { message, ...(data ? { data } : {}), ...(cancelled ? { cancelled } : {}), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };
}

async function start(req: Start): Promise<void> {
  const controller = new AbortController();
  controllers.set(req.id, controller);
  try {
    const result = await run(req, controller.signal);
    send({ type: 'result', id: req.id, job: req.job, result } as HostEvent);
  } catch (err) {
    send({ type: 'error', id: req.id, error: hostError(req, err, controller.signal) });
  } finally {
    controllers.delete(req.id);
  }
}

export function runHost(): void {
  if (!process.send) {
    process.stderr.write('modelgate engine host: start it with child_process.fork() from the language server; to run jobs yourself use the `modelgate` CLI.\n');
    process.exit(2);
  }
  process.on('message', (raw) => {
    const req = raw as HostRequest;
    if (req.type === 'cancel') controllers.get(req.id)?.abort();
    else void start(req);
  });
  // The language server closed the channel (job done, stop, or it exited): nothing more to do here.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', pid: process.pid, execArgv: [...process.execArgv] });
}

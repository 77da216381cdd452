// Language-server side of the engine host: forks dist/engine.js, hands it
// jobs, relays their progress and answers, and turns the death of the child
// (crash, out of memory, killed) into a clear error for every job it still
// had. The child's output goes to the language server's log line by line,
// and its last lines travel with that error.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EngineJob, EngineJobs, HostError, HostEvent, HostRequest } from '../../protocol/engineHost';

/** How to start the host: a module for `child_process.fork` and its Node flags. */
export interface HostCommand {
  modulePath: string;
  execArgv: string[];
}

/**
 * From a bundle (dist/server.js for the extension, dist/cli.js for `modelgate
 * lsp`) the host is dist/engine.js beside it; from sources (tsx) it is
 * hostMain.ts under tsx.
 */
export function defaultHostCommand(): HostCommand {
  // dirname(__filename), not __dirname: tsx's ESM-to-CJS bridge sets only the former reliably.
  const here = dirname(__filename);
  if (__filename.endsWith('.ts')) return { modulePath: join(here, 'hostMain.ts'), execArgv: ['--import', 'tsx'] };
  return { modulePath: join(here, 'engine.js'), execArgv: [] };
}

/** The engine host ended while it still had a job: what, how, its last words and what to do. */
export class EngineStoppedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'EngineStoppedError';
  }
}

/** A job's failure as the host reported it (see HostError). */
export class EngineJobError extends Error {
  constructor(readonly error: HostError) {
    super(error.message);
    this.name = 'EngineJobError';
  }
}

export interface EngineProcessOptions {
  /** One line the child wrote; stderr lines are errors. */
  log: (line: string, stream: 'stdout' | 'stderr') => void;
  /** The local model server's request rate (serve jobs). */
  onRate?: (requestsPerSecond: number) => void;
  command?: HostCommand;
}

export interface JobOptions<J extends EngineJob> {
  onProgress?: (e: EngineJobs[J]['progress']) => void;
  signal?: AbortSignal;
  /** Says in the crash error how to run the same without the editor, e.g. `modelgate test model.yaml`. */
  cli: string;
}

interface Pending {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (e: never) => void;
  cli: string;
}

const TAIL_LINES = 12;
const OUTPUT_GRACE_MS = 1_000;

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}${signal === 'SIGKILL' ? ' (killed from outside, or by the system when memory ran out)' : ''}`;
  return `exit code ${code}`;
}

export class EngineProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly tail: string[] = [];
  private nextId = 1;
  private ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves once the child has exited and its output has been read. */
  readonly closed: Promise<void>;

  constructor(private readonly opts: EngineProcessOptions) {
    const cmd = opts.command ?? defaultHostCommand();
    if (!existsSync(cmd.modulePath)) {
      throw new Error(
        `the engine host ${cmd.modulePath} is missing: the language server cannot run engine jobs. Rebuild with \`npm run build\` (or reinstall the extension).`,
      );
    }
    // execArgv set explicitly: fork() would otherwise pass on this process's flags (an --inspect port, memory tuning).
    this.child = fork(cmd.modulePath, [], { execArgv: cmd.execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.readLines('stdout');
    this.readLines('stderr');
    this.child.on('message', (raw) => this.onEvent(raw as HostEvent));
    this.closed = new Promise((resolve) => {
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.ended) return;
        this.ended = { code, signal };
        this.failAll();
        resolve();
      };
      // 'close' comes once the output is read, for the error's last lines; a load generator the host
      // started may hold the pipes a little longer, so 'exit' ends the wait after a grace period.
      this.child.once('close', end);
      this.child.once('exit', (code, signal) => setTimeout(() => end(code, signal), OUTPUT_GRACE_MS).unref());
      // fork failed (no such executable): there is no process to wait for
      this.child.once('error', (err) => {
        if (this.child.pid === undefined) {
          this.tail.push(err.message);
          end(null, null);
        }
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  run<J extends EngineJob>(job: J, params: EngineJobs[J]['params'], opts: JobOptions<J>): Promise<EngineJobs[J]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = {
        resolve: resolve as (r: unknown) => void,
        reject,
        onProgress: opts.onProgress as ((e: never) => void) | undefined,
        cli: opts.cli,
      };
      if (this.ended) {
        reject(this.stoppedError(pending));
        return;
      }
      this.pending.set(id, pending);
      const onAbort = () => this.post({ type: 'cancel', id });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => opts.signal?.removeEventListener('abort', onAbort);
      pending.resolve = (r) => {
        settle();
        resolve(r as EngineJobs[J]['result']);
      };
      pending.reject = (e) => {
        settle();
        reject(e);
      };
      this.post({ type: 'start', id, job, params } as HostRequest);
      if (opts.signal?.aborted) onAbort();
    });
  }

  /** Closes the channel; the host exits on it (it has nothing left to report to). */
  close(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    return this.closed;
  }

  /** For a host that does not leave on its own. */
  kill(): void {
    if (!this.ended) this.child.kill('SIGKILL');
  }

  private post(msg: HostRequest): void {
    if (this.child.connected) this.child.send(msg);
  }

  private readLines(stream: 'stdout' | 'stderr'): void {
    const s = this.child[stream];
    if (!s) return;
    createInterface({ input: s, crlfDelay: Infinity }).on('line', (line) => {
      if (stream === 'stderr') {
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
      }
      this.opts.log(line, stream);
    });
  }

  private onEvent(e: HostEvent): void {
    switch (e.type) {
      case 'ready':
        return;
      case 'rate':
        this.opts.onRate?.(e.requestsPerSecond);
        return;
      case 'progress':
        this.pending.get(e.id)?.onProgress?.(e.event as never);
        return;
      case 'result':
      case 'error': {
        const p = this.pending.get(e.id);
        if (!p) return;
        this.pending.delete(e.id);
        if (e.type === 'result') p.resolve(e.result);
        else p.reject(new EngineJobError(e.error));
      }
    }
  }

  private failAll(): void {
    for (const p of this.pending.values()) p.reject(this.stoppedError(p));
    this.pending.clear();
  }

  private stoppedError(p: Pending): EngineStoppedError {
    const { code, signal } = this.ended ?? { code: null, signal: null };
    const last = this.tail.filter((l) => l.trim()).slice(-TAIL_LINES);
    const message = [
      `The ModelGate engine stopped before it finished (pid ${this.child.pid ?? '?'}, ${describeExit(code, signal)}).`,
      last.length ? `Its last lines on stderr:\n${last.map((l) => `  ${l}`).join('\n')}` : 'It wrote nothing on stderr.',
      `What to do: see the ModelGate log (the language server's output) for everything it wrote, or run the same with the CLI, \`${p.cli}\`, to see the failure directly. The editor keeps linting; the next run starts a fresh engine.`,
    ].join('\n');
    return new EngineStoppedError(message, code, signal);
  }
}

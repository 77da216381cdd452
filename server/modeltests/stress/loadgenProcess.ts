// Parent side of the load generator: forks the child, hands it jobs one at a
// time and makes sure it is gone afterwards (close, kill on abort, or the
// child's own exit when this process disappears).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ChildMessage, LoadJob, LoadRunResult, ParentMessage } from './loadgenProtocol';

/** How to start the child: a module for `child_process.fork`, its arguments and Node flags. */
export interface LoadgenCommand {
  modulePath: string;
  args: string[];
  execArgv: string[];
}

/**
 * From sources (tsx) the child is loadgenMain.ts under tsx; from a bundle
 * (dist/cli.js or dist/server.js) it is `bin/modelgate.js __loadgen`, which
 * loads the same bundle in a fresh process.
 */
export function defaultLoadgenCommand(): LoadgenCommand {
  // dirname(__filename), not __dirname: tsx's ESM-to-CJS bridge sets only the former reliably.
  const here = dirname(__filename);
  if (__filename.endsWith('.ts')) {
    return { modulePath: join(here, 'loadgenMain.ts'), args: [], execArgv: ['--import', 'tsx'] };
  }
  return { modulePath: join(here, '..', 'bin', 'modelgate.js'), args: ['__loadgen'], execArgv: [] };
}

export class LoadgenExitedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadgenExitedError';
  }
}

export class LoadgenProcess {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (r: LoadRunResult) => void; reject: (e: Error) => void }>();
  private stderrTail = '';
  private exited: Promise<void>;
  private hasExited = false;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, sig) => {
        this.hasExited = true;
        const why = new LoadgenExitedError(
          `the load generator (pid ${child.pid}) exited ${sig ? `on ${sig}` : `with code ${code}`} during a run` +
            (this.stderrTail.trim() ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''),
        );
        for (const w of this.waiting.values()) w.reject(why);
        this.waiting.clear();
        resolve();
      });
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-2000);
    });
    child.on('message', (raw) => {
      const msg = raw as ChildMessage;
      if (msg.type === 'result' || msg.type === 'error') {
        const w = this.waiting.get(msg.id);
        if (!w) return;
        this.waiting.delete(msg.id);
        if (msg.type === 'result') w.resolve(msg.result);
        else w.reject(new Error(`load generator: ${msg.message}`));
      }
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Forks the child and waits until it is ready for jobs against `url` with `bodies`. */
  static async start(cmd: LoadgenCommand, url: string, bodies: string[]): Promise<LoadgenProcess> {
    const lg = await LoadgenProcess.fork(cmd);
    lg.post({ type: 'init', url, bodies });
    return lg;
  }

  /**
   * Forks a second child of the same program that serves the trivial
   * endpoint of the noise-floor measurement; resolves with its URL.
   */
  static async startTrivial(cmd: LoadgenCommand): Promise<{ process: LoadgenProcess; url: string }> {
    const lg = await LoadgenProcess.fork(cmd);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const onMsg = (raw: unknown) => {
          const msg = raw as ChildMessage;
          if (msg.type === 'trivial-listening') {
            lg.child.off('message', onMsg);
            resolve(msg.url);
          }
        };
        lg.child.on('message', onMsg);
        void lg.exited.then(() =>
          reject(new LoadgenExitedError(`the trivial endpoint exited before it listened${lg.stderrTail.trim() ? `: ${lg.stderrTail.trim()}` : ''}`)),
        );
        lg.post({ type: 'serve-trivial' });
      });
      return { process: lg, url };
    } catch (err) {
      await lg.kill();
      throw err;
    }
  }

  private static async fork(cmd: LoadgenCommand): Promise<LoadgenProcess> {
    if (!existsSync(cmd.modulePath)) {
      throw new Error(`cannot start the load generator: ${cmd.modulePath} is missing. Build the bundles with \`npm run build\`.`);
    }
    const child = fork(cmd.modulePath, cmd.args, { execArgv: cmd.execArgv, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    const lg = new LoadgenProcess(child);
    await new Promise<void>((resolve, reject) => {
      const onMsg = (raw: unknown) => {
        if ((raw as ChildMessage).type === 'ready') {
          cleanup();
          resolve();
        }
      };
      const onExit = () => {
        cleanup();
        reject(new LoadgenExitedError(`the load generator exited before it was ready${lg.stderrTail.trim() ? `: ${lg.stderrTail.trim()}` : ''}`));
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new Error(`cannot start the load generator (${cmd.modulePath}): ${err.message}`));
      };
      const cleanup = () => {
        child.off('message', onMsg);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.on('message', onMsg);
      child.once('exit', onExit);
      child.once('error', onError);
    });
    return lg;
  }

  private post(msg: ParentMessage): void {
    if (!this.hasExited && this.child.connected) this.child.send(msg);
  }

  run(job: LoadJob): Promise<LoadRunResult> {
    if (this.hasExited) return Promise.reject(new LoadgenExitedError('the load generator is not running'));
    const id = this.nextId++;
    return new Promise<LoadRunResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.post({ type: 'run', id, job });
    });
  }

  /** Stops at once (abort): the run in progress rejects; resolves when the process is gone. */
  async kill(): Promise<void> {
    if (!this.hasExited) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the child to exit; kills it if it does not within a few seconds. */
  async close(): Promise<void> {
    if (this.hasExited) return;
    this.post({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(timer);
  }
}

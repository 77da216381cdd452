// Starts bench/loadChild.mjs in its own process and returns its result.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export interface LoadConfig {
  url: string;
  body?: string;
  connections: number;
  /** Seconds of measured load. */
  duration: number;
  /** Seconds of load before measuring. */
  warmup?: number;
}

export interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  ok: number;
  rps: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  latencyUs: { p50: number; p90: number; p99: number; p999: number; max: number; mean: number };
}

const script = resolve(__dirname, 'loadChild.mjs');

/** `signal` ends the load before `duration` (the result covers what ran). */
export function runLoad(cfg: LoadConfig, signal?: AbortSignal): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = () => {
      child.kill('SIGTERM');
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', stop));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load child exited ${code}: ${err.slice(0, 2000)}`));
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').pop()!));
      } catch (e) {
        reject(new Error(`load child printed no result: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

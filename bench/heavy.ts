// The compute-heavy part of `npm run bench:serve`: a model whose rows cost
// milliseconds, served by `modelgate serve` in workers, against the best
// in-process onnxruntime setting measured in the same run; a light model
// and the readiness endpoint beside it while it is saturated; 1 vs 2
// workers, and what that says about a machine with more cores.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadManifest } from '../server/manifest/load';
import { runLoad, type LoadResult } from './loadChild';

const root = resolve(__dirname, '..');

interface Proc {
  child: ChildProcess;
  url: string;
}

function serve(args: string[]): Promise<Proc> {
  const child = spawn(process.execPath, ['bin/modelgate.js', 'serve', ...args, '--port', '0', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) res({ child, url: m[1]! });
    });
    child.on('exit', (code) => rej(new Error(`modelgate serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

function stop(p: Proc): Promise<void> {
  return new Promise((res) => {
    if (p.child.exitCode !== null) return res();
    p.child.once('exit', () => res());
    p.child.kill('SIGTERM');
  });
}

/** One request row for the model: the first validation row's feature values, or zeros. */
async function heavyModel(dir: string) {
  const loaded = await loadManifest(resolve(dir, 'model.yaml'));
  const m = loaded.manifest;
  const input = m.signature!.inputs[0]!;
  const width = input.features?.length ?? (input.shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
  // not zeros: a chain of zeros can skip work real data does not (denormals, sparsity)
  let row: number[] = Array.from({ length: width }, (_, i) => ((i * 7919) % 255) / 255);
  const validation = m.data?.validation?.[0]?.path;
  if (validation) {
    const [header, first] = readFileSync(resolve(dir, validation), 'utf8').split('\n', 2);
    const names = header!.split(',');
    const values = first!.split(',');
    row = names.flatMap((n, i) => (n === m.data?.labelColumn ? [] : [Number(values[i])])).slice(0, width);
  }
  const maxBatchSize = m.serving?.batching?.maxBatchSize ?? 32; // the engine's default
  return { name: m.metadata.name, manifest: loaded.path, row, maxBatchSize, body: JSON.stringify({ instances: [row] }) };
}

/** The model's configured workers, as /metrics says. */
async function workersOf(url: string, model: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const line = metrics.split('\n').find((l) => l.startsWith('modelgate_workers{') && l.includes(`model="${model}"`) && l.includes('state="configured"'));
  const n = Number(line?.split(' ').pop() ?? NaN);
  if (!Number.isFinite(n)) throw new Error(`/metrics has no modelgate_workers line for ${model}`);
  return n;
}

export interface HeavyOptions {
  dir: string;
  light: { name: string; body: string };
  duration: number;
  warmup: number;
  log: (s: string) => void;
}

export async function heavyBench(o: HeavyOptions) {
  const h = await heavyModel(o.dir);
  const heavyPath = `/v1/models/${h.name}:predict`;
  const lightPath = `/v1/models/${o.light.name}:predict`;
  const load = async (label: string, url: string, body: string | undefined, connections: number): Promise<LoadResult> => {
    const r = await runLoad({ url, body, connections, duration: o.duration, warmup: o.warmup });
    o.log(
      `  ${label} @${connections}: ${Math.round(r.rps)} req/s, p99 ${r.latencyUs.p99} µs${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}\n`,
    );
    return r;
  };

  o.log(`  in-process onnxruntime on ${h.name} (threads × batch) …`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/inProcess.ts',
      JSON.stringify({ manifest: h.manifest, row: h.row, threads: [1, 2], batches: [1, 2, 4, 8, 16], seconds: Math.max(1, o.duration / 4) }),
    ],
    { cwd: root, maxBuffer: 1 << 20 },
  );
  const inProcess = (JSON.parse(stdout.trim().split('\n').pop()!) as { points: { threads: number; batch: number; rowsPerSec: number; msPerBatch: number }[] })
    .points;
  const best = inProcess.reduce((a, b) => (b.rowsPerSec > a.rowsPerSec ? b : a));
  o.log(` best ${Math.round(best.rowsPerSec)} rows/s (${best.threads} threads, batch ${best.batch})\n`);

  // default sizing (serving.workers: auto), the light model beside it
  const s2 = await serve([o.dir, resolve(root, 'samples', o.light.name)]);
  let served: LoadResult, lightAlone: LoadResult, readyAlone: LoadResult, beside: { heavy: LoadResult; light: LoadResult; ready: LoadResult };
  let workersAuto: number;
  // Saturation needs a queue behind every worker: with fewer requests
  // outstanding than workers × maxBatchSize, a worker that finishes waits for
  // its clients' next requests (at 16 connections 2 workers idled ~19 %).
  const saturating = (workers: number) => Math.max(16, 2 * workers * h.maxBatchSize);
  try {
    workersAuto = await workersOf(s2.url, h.name);
    served = await load(`${h.name} served`, s2.url + heavyPath, h.body, saturating(workersAuto));
    lightAlone = await load(`${o.light.name} alone`, s2.url + lightPath, o.light.body, 1);
    readyAlone = await load('readiness alone', `${s2.url}/v2/health/ready`, undefined, 1);
    o.log(`  ${o.light.name} @1 and readiness @1 while ${h.name} is saturated @8 …\n`);
    const [heavy, light, ready] = await Promise.all([
      runLoad({ url: s2.url + heavyPath, body: h.body, connections: 8, duration: o.duration, warmup: o.warmup }),
      runLoad({ url: s2.url + lightPath, body: o.light.body, connections: 1, duration: o.duration, warmup: o.warmup }),
      runLoad({ url: `${s2.url}/v2/health/ready`, connections: 1, duration: o.duration, warmup: o.warmup }),
    ]);
    beside = { heavy, light, ready };
    o.log(
      `    ${h.name} ${Math.round(heavy.rps)} req/s; ${o.light.name} ${Math.round(light.rps)} req/s, p99 ${light.latencyUs.p99} µs; readiness p99 ${ready.latencyUs.p99} µs\n`,
    );
  } finally {
    await stop(s2);
  }
  const s1 = await serve([o.dir, '--workers', '1']);
  let one: LoadResult;
  try {
    one = await load(`${h.name} with 1 worker`, s1.url + heavyPath, h.body, saturating(1));
  } finally {
    await stop(s1);
  }
  const ratio = (x: number, y: number) => (y > 0 ? Math.round((x / y) * 1000) / 1000 : 0);
  const efficiency = workersAuto > 1 ? served.rps / (workersAuto * one.rps) : 1;
  return {
    model: h.name,
    inProcess,
    best,
    workersAuto,
    served: { connections: served.connections, rowsPerSec: served.rps, latencyUs: served.latencyUs, failures: served.non2xx + served.errors },
    servedOverBest: ratio(served.rps, best.rowsPerSec),
    light: {
      alone: { rps: lightAlone.rps, latencyUs: lightAlone.latencyUs },
      beside: { rps: beside.light.rps, latencyUs: beside.light.latencyUs, failures: beside.light.non2xx + beside.light.errors },
      throughputRatio: ratio(beside.light.rps, lightAlone.rps),
      p99Ratio: ratio(beside.light.latencyUs.p99, lightAlone.latencyUs.p99),
    },
    readiness: { alone: readyAlone.latencyUs, beside: beside.ready.latencyUs, besideP99Ms: beside.ready.latencyUs.p99 / 1000 },
    heavyWhileBeside: { rps: beside.heavy.rps },
    scaling: {
      oneWorkerConnections: one.connections,
      oneWorkerRowsPerSec: one.rps,
      autoWorkersRowsPerSec: served.rps,
      speedup: ratio(served.rps, one.rps),
      efficiency: Math.round(efficiency * 100) / 100,
      // on paper: one worker per core, each at the measured one-worker rate, at the measured efficiency
      sixteenCoresRowsPerSec: Math.round(16 * one.rps * efficiency),
    },
  };
}

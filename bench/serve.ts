// `npm run bench:serve`: throughput and latency of `modelgate serve` against
// (a) bare fastify answering a fixed JSON body (the HTTP ceiling) and (b) a
// hand-written fastify + onnxruntime-node server (one session.run per
// request), for the breast-cancer and digits samples at 1, 16 and 64
// connections. Every server and every load generator runs in its own
// process. Then a compute-heavy model (samples/cifar-like): served against
// the best in-process onnxruntime setting, a light model and the readiness
// probe beside it while it is saturated, and 1 vs 2 workers. Prints a table
// with the targets and writes bench-results/serve.json.
//
//   npm run bench:serve -- [--duration 10] [--warmup 2] [--connections 1,16,64] [--models breast-cancer,digits] [--heavy samples/cifar-like | --no-heavy]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { loadManifest } from '../server/manifest/load';
import { runLoad, type LoadResult } from './loadChild';
import { heavyBench } from './heavy';

const root = resolve(__dirname, '..');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const duration = Number(flag('duration', '10'));
const warmup = Number(flag('warmup', '2'));
const connections = flag('connections', '1,16,64').split(',').map(Number);
const models = flag('models', 'breast-cancer,digits').split(',');
const outFile = resolve(root, flag('out', 'bench-results/serve.json'));
const heavyDir = process.argv.includes('--no-heavy')
  ? undefined
  : resolve(root, flag('heavy', existsSync(resolve(root, 'samples/cifar-like/model.yaml')) ? 'samples/cifar-like' : 'test/fixtures/slow'));
// Every valid sample, so the RSS figure is "all samples loaded".
const allSamples = ['breast-cancer', 'breast-cancer-stale', 'breast-cancer-drifted', 'diabetes', 'digits'];

interface Server {
  name: 'a' | 'b' | 'c';
  child: ChildProcess;
  url: string;
}

function start(name: Server['name'], args: string[]): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) res({ name, child, url: m[1]! });
    });
    child.on('exit', (code) => rej(new Error(`server ${name} exited ${code}: ${err.slice(-2000)}`)));
  });
}

function stop(s: Server): Promise<void> {
  return new Promise((res) => {
    if (s.child.exitCode !== null) return res();
    s.child.once('exit', () => res());
    s.child.kill('SIGTERM');
  });
}

function memory(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 102.4) / 10, peakMB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

async function firstRow(model: string): Promise<number[]> {
  const loaded = await loadManifest(resolve(root, 'samples', model, 'model.yaml'));
  const width = loaded.manifest.signature!.inputs[0]!.features!.length;
  const line = readFileSync(resolve(root, 'samples', model, 'data/validation.csv'), 'utf8').split('\n')[1]!;
  return line.split(',').slice(0, width).map(Number);
}

async function naiveConfig(model: string) {
  const loaded = await loadManifest(resolve(root, 'samples', model, 'model.yaml'));
  const m = loaded.manifest;
  const shape = m.signature!.inputs[0]!.shape.slice(1) as number[];
  const pre = (m.preprocessing ?? []).flatMap((p): Array<{ op: string; mean?: number[]; std?: number[]; min?: number | number[]; max?: number | number[] }> =>
    p.op === 'standardize' ? [{ op: p.op, mean: p.mean, std: p.std }] : p.op === 'minmax' ? [{ op: p.op, min: p.min, max: p.max }] : [],
  );
  return { name: m.metadata.name, onnx: resolve(loaded.dir, m.model.artifact), dims: shape, pre, labels: m.model.classLabels };
}

async function post(url: string, body: string): Promise<string> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${url} answered ${r.status}: ${text}`);
  return text;
}

const fmtUs = (l: LoadResult['latencyUs']) => `${l.p50}/${l.p99}/${l.p999}`;
const ratio = (x: number, y: number) => (y > 0 ? Math.round((x / y) * 1000) / 1000 : 0);

async function main(): Promise<void> {
  const loadBefore = loadavg();
  process.stderr.write(`bench:serve: ${duration} s per point after ${warmup} s warm-up; connections ${connections.join(', ')}; models ${models.join(', ')}\n`);
  const bodies = Object.fromEntries(await Promise.all(models.map(async (m) => [m, JSON.stringify({ instances: [await firstRow(m)] })] as const)));
  const path = (m: string) => `/v1/models/${m}:predict`;

  const c = await start('c', ['bin/modelgate.js', 'serve', ...allSamples.map((s) => `samples/${s}`), '--port', '0', '--log-level', 'warn']);
  const memLoaded = memory(c.child.pid!);
  const answers = Object.fromEntries(await Promise.all(models.map(async (m) => [m, await post(c.url + path(m), bodies[m]!)] as const)));
  const a = await start('a', ['bench/servers/bare.mjs', JSON.stringify({ routes: Object.fromEntries(models.map((m) => [path(m), answers[m]])) })]);
  const b = await start('b', ['bench/servers/naive.mjs', JSON.stringify({ models: await Promise.all(models.map(naiveConfig)) })]);
  // the hand-written server must compute the same thing
  for (const m of models) {
    const mine = JSON.parse(answers[m]!).predictions[0];
    const theirs = JSON.parse(await post(b.url + path(m), bodies[m]!)).predictions[0];
    if (mine.label !== theirs.label || mine.probabilities.some((v: number, i: number) => Math.abs(v - theirs.probabilities[i]) > 1e-4)) {
      throw new Error(`server (b) disagrees with modelgate on ${m}: ${JSON.stringify(theirs)} vs ${JSON.stringify(mine)}`);
    }
  }

  const points: { model: string; connections: number; a: LoadResult; b: LoadResult; c: LoadResult }[] = [];
  for (const m of models) {
    for (const conns of connections) {
      const res: Partial<Record<'a' | 'b' | 'c', LoadResult>> = {};
      // interleaved, so drift in background load hits all three alike
      for (const s of [a, b, c]) {
        process.stderr.write(`  ${m} @${conns} (${s.name}) …`);
        res[s.name] = await runLoad({ url: s.url + path(m), body: bodies[m], connections: conns, duration, warmup });
        const r = res[s.name]!;
        process.stderr.write(
          ` ${Math.round(r.rps)} req/s, p99 ${r.latencyUs.p99} µs${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}\n`,
        );
      }
      points.push({ model: m, connections: conns, a: res.a!, b: res.b!, c: res.c! });
    }
  }
  const memAfter = memory(c.child.pid!);
  const loadAfter = loadavg();
  await Promise.all([a, b, c].map(stop));

  const heavy = heavyDir
    ? await heavyBench({
        dir: heavyDir,
        light: { name: 'breast-cancer', body: bodies['breast-cancer'] ?? JSON.stringify({ instances: [await firstRow('breast-cancer')] }) },
        duration,
        warmup,
        log: (t) => process.stderr.write(t),
      })
    : undefined;

  const rows = points.map((p) => ({
    model: p.model,
    connections: p.connections,
    rps: { a: Math.round(p.a.rps), b: Math.round(p.b.rps), c: Math.round(p.c.rps) },
    ca: ratio(p.c.rps, p.a.rps),
    cb: ratio(p.c.rps, p.b.rps),
    latencyUs: { a: p.a.latencyUs, b: p.b.latencyUs, c: p.c.latencyUs },
    failures: { a: p.a.non2xx + p.a.errors, b: p.b.non2xx + p.b.errors, c: p.c.non2xx + p.c.errors },
  }));
  const find = (m: string, n: number) => rows.find((r) => r.model === m && r.connections === n);
  const targets: { target: string; threshold: number; measured: number | null; higherIsBetter: boolean }[] = [];
  const add = (target: string, threshold: number, measured: number | undefined, higherIsBetter = true) =>
    targets.push({ target, threshold, measured: measured ?? null, higherIsBetter });
  add('breast-cancer @64: c/a ≥ 0.90', 0.9, find('breast-cancer', 64)?.ca);
  add('digits @64: c/a ≥ 0.80', 0.8, find('digits', 64)?.ca);
  for (const m of models) add(`${m} @1: c/a ≥ 0.75`, 0.75, find(m, 1)?.ca);
  for (const m of models) add(`${m} @1: c/b ≥ 1.0`, 1.0, find(m, 1)?.cb);
  for (const m of models) add(`${m} @64: c/b ≥ 1.35`, 1.35, find(m, 64)?.cb);
  add('server RSS, all samples loaded < 250 MB', 250, memAfter.peakMB, false);
  if (heavy) {
    add(`${heavy.model} served / best in-process ≥ 0.90`, 0.9, heavy.servedOverBest);
    add('light beside saturated heavy: throughput ≥ 0.4 × alone', 0.4, heavy.light.throughputRatio);
    add('light beside saturated heavy: p99 ≤ 10 × alone', 10, heavy.light.p99Ratio, false);
    add('readiness p99 during saturation < 20 ms', 20, heavy.readiness.besideP99Ms, false);
  }
  const verdicts = targets.map((t) => ({ ...t, met: t.measured === null ? null : t.higherIsBetter ? t.measured >= t.threshold : t.measured < t.threshold }));

  const header = ['model', 'conn', 'a req/s', 'b req/s', 'c req/s', 'c/a', 'c/b', 'a p50/p99/p99.9 µs', 'b p50/p99/p99.9 µs', 'c p50/p99/p99.9 µs'];
  const lines = rows.map((r) => [
    r.model,
    String(r.connections),
    String(r.rps.a),
    String(r.rps.b),
    String(r.rps.c),
    r.ca.toFixed(2),
    r.cb.toFixed(2),
    fmtUs(r.latencyUs.a),
    fmtUs(r.latencyUs.b),
    fmtUs(r.latencyUs.c),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out: string[] = [];
  out.push('', '(a) bare fastify, fixed JSON   (b) fastify + onnxruntime-node, one session.run per request   (c) modelgate serve', '');
  out.push(row(header), ...lines.map(row), '');
  out.push(
    `modelgate serve RSS with ${allSamples.length} sample manifests loaded: ${memLoaded.rssMB} MB after start, ${memAfter.rssMB} MB after the run (peak ${memAfter.peakMB} MB)`,
    '',
  );
  if (heavy) {
    const b = heavy.best;
    out.push(
      `${heavy.model}: best in-process onnxruntime ${Math.round(b.rowsPerSec)} rows/s (${b.threads} threads, batch ${b.batch}); served with ${heavy.workersAuto} workers (auto) @${heavy.served.connections} ${Math.round(heavy.served.rowsPerSec)} rows/s = ${heavy.servedOverBest}×`,
      `  in-process: ${heavy.inProcess.map((p) => `${p.threads}t×b${p.batch} ${Math.round(p.rowsPerSec)}`).join(', ')} rows/s`,
      `  breast-cancer @1 alone ${Math.round(heavy.light.alone.rps)} req/s (p99 ${heavy.light.alone.latencyUs.p99} µs); beside ${heavy.model} saturated @8: ${Math.round(heavy.light.beside.rps)} req/s (p99 ${heavy.light.beside.latencyUs.p99} µs) = ${heavy.light.throughputRatio}× throughput, ${heavy.light.p99Ratio}× p99`,
      `  readiness p99: ${heavy.readiness.alone.p99} µs alone, ${heavy.readiness.beside.p99} µs during saturation`,
      `  scaling: 1 worker @${heavy.scaling.oneWorkerConnections} ${Math.round(heavy.scaling.oneWorkerRowsPerSec)} rows/s, ${heavy.workersAuto} workers ${Math.round(heavy.scaling.autoWorkersRowsPerSec)} rows/s (${heavy.scaling.speedup}×, efficiency ${heavy.scaling.efficiency}); on paper, 16 cores at that efficiency: ~${heavy.scaling.sixteenCoresRowsPerSec} rows/s`,
      '',
    );
  }
  const tw = Math.max(...verdicts.map((v) => v.target.length));
  for (const v of verdicts)
    out.push(`${v.target.padEnd(tw)}  ${v.measured === null ? 'n/a' : String(v.measured).padStart(6)}  ${v.met === null ? '' : v.met ? 'met' : 'NOT met'}`);
  const failures = rows.filter((r) => r.failures.a + r.failures.b + r.failures.c > 0);
  if (failures.length) out.push('', `failed requests at: ${failures.map((r) => `${r.model}@${r.connections} ${JSON.stringify(r.failures)}`).join('; ')}`);
  out.push(
    '',
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(2)).join(' ')} after — shared machines make these numbers noisy`,
  );
  process.stdout.write(out.join('\n') + '\n');

  mkdirSync(resolve(outFile, '..'), { recursive: true });
  writeFileSync(
    outFile,
    JSON.stringify(
      {
        benchmark: 'serve',
        date: new Date().toISOString(),
        config: { durationSec: duration, warmupSec: warmup, connections, models, requestRowsPerRequest: 1, samplesLoaded: allSamples },
        machine: {
          cpus: cpus().length,
          cpuModel: cpus()[0]?.model,
          totalMemMB: Math.round(totalmem() / 1048576),
          node: process.version,
          loadAverageBefore: loadBefore,
          loadAverageAfter: loadAfter,
        },
        servers: { a: 'bare fastify answering a fixed JSON body', b: 'fastify + onnxruntime-node, one session.run per request', c: 'modelgate serve' },
        memory: { afterStart: memLoaded, afterRun: memAfter },
        points: rows,
        heavy,
        targets: verdicts,
      },
      null,
      2,
    ) + '\n',
  );
  process.stderr.write(`bench:serve: wrote ${outFile}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:serve failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

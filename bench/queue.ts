// `npm run bench:queue`: rows per second of `modelgate score --queue` through
// a real redis-server with 1 and 2 `modelgate serve --queue` processes,
// against in-process scoring (`modelgate score` without --queue) of the same
// file on the same machine, measured in the same run. Derives the queue's
// cost per row and, from the per-node rate, how many nodes a target rate
// needs. Prints a table and writes bench-results/queue.json.
//
//   npm run bench:queue -- [--rows 50000] [--batch-size 256] [--rate 100000] [--repeat 2]
//
// On a small machine the client, Redis and the nodes share the cores: the
// 2-node figure then shows contention as much as scale-out.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scoreCsv } from '../server/pipeline/score';
import { scoreCsvQueue } from '../server/pipeline/scoreQueue';
import { startRedis } from '../test/helpers/redis';

const root = resolve(__dirname, '..');
const manifest = resolve(root, 'samples/breast-cancer/model.yaml');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const rows = Number(flag('rows', '50000'));
const batchSize = Number(flag('batch-size', '256'));
const targetRate = Number(flag('rate', '100000'));
const repeat = Number(flag('repeat', '2'));
const outFile = resolve(root, flag('out', 'bench-results/queue.json'));

function startNode(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [resolve(root, 'bin/modelgate.js'), 'serve', manifest, '--port', '0', '--log-level', 'warn', '--queue', url], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((res, rej) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) res(child);
    });
    child.on('exit', (code) => rej(new Error(`serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

function stopNode(c: ChildProcess): Promise<void> {
  return new Promise((res) => {
    if (c.exitCode !== null) return res();
    c.once('exit', () => res());
    c.kill('SIGTERM');
  });
}

async function best(fn: () => Promise<{ rows: number; seconds: number }>): Promise<number> {
  let rate = 0;
  for (let i = 0; i < repeat; i++) {
    const r = await fn();
    rate = Math.max(rate, r.rows / r.seconds);
  }
  return rate;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-bench-queue-'));
  const redis = await startRedis();
  const nodes: ChildProcess[] = [];
  try {
    const lines = readFileSync(resolve(root, 'samples/breast-cancer/data/validation.csv'), 'utf8').trim().split('\n');
    const body = lines.slice(1);
    const input = join(dir, 'rows.csv');
    writeFileSync(input, [lines[0], ...Array.from({ length: rows }, (_, i) => body[i % body.length])].join('\n') + '\n');
    const direct = await best(() => scoreCsv(manifest, { input, output: join(dir, 'direct.csv'), batchSize }));
    const viaQueue = () => scoreCsvQueue(manifest, { input, output: join(dir, 'queue.csv'), batchSize, queue: redis.url });
    nodes.push(await startNode(redis.url));
    await scoreCsvQueue(manifest, { input, output: join(dir, 'warm.csv'), batchSize: 256, queue: redis.url }); // warms node and connection
    const one = await best(viaQueue);
    nodes.push(await startNode(redis.url));
    const two = await best(viaQueue);
    const perNode = Math.max(one, two / 2);
    const overheadUs = (1 / one - 1 / direct) * 1e6;
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      rows,
      batchSize,
      rowsPerSecond: { inProcess: Math.round(direct), queue1: Math.round(one), queue2: Math.round(two) },
      ratios: { queue1VsInProcess: +(one / direct).toFixed(3), queue2VsInProcess: +(two / direct).toFixed(3), queue2VsQueue1: +(two / one).toFixed(3) },
      queueOverheadUsPerRow: +overheadUs.toFixed(2),
      perNodeRowsPerSecond: Math.round(perNode),
      targetRate,
      nodesForTargetRate: Math.ceil(targetRate / perNode),
    };
    const pad = (s: string, n: number) => s.padEnd(n);
    console.log(`\nbreast-cancer, ${rows} rows, ${batchSize} rows per request, ${cpus().length} cores (best of ${repeat})`);
    console.log(`${pad('path', 34)}rows/s    vs in-process`);
    console.log(`${pad('in process (modelgate score)', 34)}${pad(String(result.rowsPerSecond.inProcess), 10)}1.00`);
    console.log(`${pad('queue, 1 node', 34)}${pad(String(result.rowsPerSecond.queue1), 10)}${result.ratios.queue1VsInProcess.toFixed(2)}`);
    console.log(
      `${pad('queue, 2 nodes', 34)}${pad(String(result.rowsPerSecond.queue2), 10)}${result.ratios.queue2VsInProcess.toFixed(2)}  (×${result.ratios.queue2VsQueue1.toFixed(2)} of 1 node)`,
    );
    console.log(`queue overhead: ${result.queueOverheadUsPerRow} µs per row (1 node against in process)`);
    console.log(`per node: ${result.perNodeRowsPerSecond} rows/s → ${result.nodesForTargetRate} node(s) for ${targetRate} rows/s (--rate)`);
    mkdirSync(resolve(outFile, '..'), { recursive: true });
    writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${outFile}`);
  } finally {
    await Promise.all(nodes.map(stopNode));
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

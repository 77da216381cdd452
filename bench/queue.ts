// `npm run bench:queue`: rows per second of `modelgate score --queue` through
// a real redis-server with 1 and 2 `modelgate serve --queue` processes,
// against in-process scoring (`modelgate score` without --queue) of the same
// file on the same machine, measured in the same run. Derives the queue's
// cost per row and, from the per-node rate, how many nodes a target rate
// needs. Prints a table and writes bench-results/queue.json.
//
//   npm run bench:queue -- [--rows 50000] [--batch-size 256] [--rate 100000] [--repeat 3]
//
// On a small machine the client, Redis and the nodes share the cores: the
// 2-node figure then shows contention as much as scale-out, so the CPU each
// part spends per row (read from /proc and Redis INFO) is printed too; it
// says what a node costs wherever it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { scoreCsv } from '../server/pipeline/score';
import { scoreCsvQueue } from '../server/pipeline/scoreQueue';
import { startRedis } from '../test/helpers/redis';
import { Redis } from 'ioredis';

const root = resolve(__dirname, '..');
const manifest = resolve(root, 'samples/breast-cancer/model.yaml');

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const rows = Number(flag('rows', '50000'));
const batchSize = Number(flag('batch-size', '256'));
const targetRate = Number(flag('rate', '100000'));
const repeat = Number(flag('repeat', '3'));
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

/** CPU seconds a process has used so far (utime + stime; Linux clock ticks of 1/100 s). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return get('used_cpu_user') + get('used_cpu_sys');
}

interface Measure {
  rate: number;
  /** CPU µs per row: this process, the nodes, redis-server. */
  cpu: { client: number; nodes: number; redis: number };
}

async function measure(fn: () => Promise<{ rows: number; seconds: number }>, nodes: ChildProcess[], redis: Redis): Promise<Measure> {
  const c0 = process.cpuUsage();
  const n0 = nodes.reduce((a, n) => a + cpuOf(n.pid!), 0);
  const r0 = await redisCpu(redis);
  const r = await fn();
  const c = process.cpuUsage(c0);
  const per = 1e6 / r.rows;
  return {
    rate: r.rows / r.seconds,
    cpu: {
      client: ((c.user + c.system) / 1e6) * per,
      nodes: (nodes.reduce((a, n) => a + cpuOf(n.pid!), 0) - n0) * per,
      redis: ((await redisCpu(redis)) - r0) * per,
    },
  };
}

/** The fastest run, and the least CPU per row seen (both least disturbed by other work on the machine). */
function best(ms: Measure[]): Measure {
  return {
    rate: Math.max(...ms.map((m) => m.rate)),
    cpu: {
      client: Math.min(...ms.map((m) => m.cpu.client)),
      nodes: Math.min(...ms.map((m) => m.cpu.nodes)),
      redis: Math.min(...ms.map((m) => m.cpu.redis)),
    },
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-bench-queue-'));
  const server = await startRedis();
  const redis = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
  await redis.connect();
  const nodes: ChildProcess[] = [];
  try {
    const lines = readFileSync(resolve(root, 'samples/breast-cancer/data/validation.csv'), 'utf8').trim().split('\n');
    const body = lines.slice(1);
    const input = join(dir, 'rows.csv');
    writeFileSync(input, [lines[0], ...Array.from({ length: rows }, (_, i) => body[i % body.length])].join('\n') + '\n');
    const inProcess = () => scoreCsv(manifest, { input, output: join(dir, 'direct.csv'), batchSize });
    const viaQueue = () => scoreCsvQueue(manifest, { input, output: join(dir, 'queue.csv'), batchSize, queue: server.url });
    await inProcess(); // warms the page cache and the code
    nodes.push(await startNode(server.url));
    await viaQueue(); // warms the node and the connection
    // the baseline is measured between the queue runs, so both see the same machine
    const direct: Measure[] = [];
    const one: Measure[] = [];
    for (let i = 0; i < repeat; i++) {
      direct.push(await measure(inProcess, [], redis));
      one.push(await measure(viaQueue, nodes, redis));
    }
    nodes.push(await startNode(server.url));
    await viaQueue();
    const two: Measure[] = [];
    for (let i = 0; i < repeat; i++) {
      direct.push(await measure(inProcess, [], redis));
      two.push(await measure(viaQueue, nodes, redis));
    }
    const d = best(direct);
    const q1 = best(one);
    const q2 = best(two);
    const total = (m: Measure) => m.cpu.client + m.cpu.nodes + m.cpu.redis;
    const perNode = Math.max(q1.rate, q2.rate / 2);
    // a node spends q1.cpu.nodes µs per row: rows/s one core of nodes sustains
    const perCore = 1e6 / q1.cpu.nodes;
    const round = (x: number, digits = 1) => +x.toFixed(digits);
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      rows,
      batchSize,
      repeat,
      rowsPerSecond: { inProcess: Math.round(d.rate), queue1: Math.round(q1.rate), queue2: Math.round(q2.rate) },
      ratios: { queue1VsInProcess: round(q1.rate / d.rate, 3), queue2VsInProcess: round(q2.rate / d.rate, 3), queue2VsQueue1: round(q2.rate / q1.rate, 3) },
      cpuUsPerRow: {
        inProcess: round(d.cpu.client),
        queue: { client: round(q1.cpu.client), nodes: round(q1.cpu.nodes), redis: round(q1.cpu.redis), total: round(total(q1)) },
      },
      queueOverheadUsPerRow: { wall: round((1 / q1.rate - 1 / d.rate) * 1e6, 2), cpu: round(total(q1) - d.cpu.client) },
      perNodeRowsPerSecond: Math.round(perNode),
      nodeCoreRowsPerSecond: Math.round(perCore),
      targetRate,
      nodesForTargetRate: Math.ceil(targetRate / perNode),
      nodeCoresForTargetRate: Math.ceil(targetRate / perCore),
    };
    const pad = (x: string | number, n: number) => String(x).padEnd(n);
    console.log(`\nbreast-cancer, ${rows} rows, ${batchSize} rows per request, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)} (best of ${repeat})`);
    console.log(`${pad('path', 30)}${pad('rows/s', 10)}${pad('vs in-process', 16)}CPU µs/row (client + nodes + redis)`);
    console.log(`${pad('in process (modelgate score)', 30)}${pad(result.rowsPerSecond.inProcess, 10)}${pad('1.00', 16)}${result.cpuUsPerRow.inProcess}`);
    const c = result.cpuUsPerRow.queue;
    console.log(
      `${pad('queue, 1 node', 30)}${pad(result.rowsPerSecond.queue1, 10)}${pad(result.ratios.queue1VsInProcess.toFixed(2), 16)}${c.total} (${c.client} + ${c.nodes} + ${c.redis})`,
    );
    console.log(
      `${pad('queue, 2 nodes', 30)}${pad(result.rowsPerSecond.queue2, 10)}${pad(result.ratios.queue2VsInProcess.toFixed(2), 16)}×${result.ratios.queue2VsQueue1.toFixed(2)} of 1 node`,
    );
    console.log(
      `queue overhead per row: ${result.queueOverheadUsPerRow.wall} µs of wall time, ${result.queueOverheadUsPerRow.cpu} µs of CPU (1 node against in process)`,
    );
    console.log(
      `for ${targetRate} rows/s (--rate): ${result.nodesForTargetRate} node(s) at the measured ${result.perNodeRowsPerSecond} rows/s per node; ${result.nodeCoresForTargetRate} node core(s) at ${result.nodeCoreRowsPerSecond} rows/s per core of node CPU`,
    );
    mkdirSync(resolve(outFile, '..'), { recursive: true });
    writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
    console.log(`wrote ${outFile}`);
  } finally {
    await Promise.all(nodes.map(stopNode));
    redis.disconnect();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

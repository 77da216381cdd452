// Scale-out through the queue with real processes and a real redis-server:
// two `modelgate serve --queue` nodes on one stream score 20,000 rows exactly
// as `modelgate score` does in process; one node killed with SIGKILL midway
// loses nothing (its pending requests are claimed by the other); a request
// that crashes every node that reads it ends in the dead-letter stream while
// the rest are answered; a Redis restart (AOF) and a Ctrl-C are survived or
// resumed; a wrong password is a clear error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { QueueClient } from '../../../server/serving/queue/queueClient';
import { GROUP, streamNames } from '../../../server/serving/queue/streams';
import { buildIfStandalone, modelgateBin, repoRoot, runCli } from '../../helpers/cli';
import { startRedis, skipWithoutRedis, type RedisServer } from '../../helpers/redis';
import { waitFor } from '../../helpers/waitFor';
import { validationRows } from './helpers';
import { ScoreRequest } from '../../../server/protocol/lsp';
import { REPO, startLspClient } from '../lsp/lspClient';

const MANIFEST = join(repoRoot, 'samples/breast-cancer/model.yaml');
const ROWS = 20_000;
const names = streamNames('breast-cancer');
let dir: string;
let input: string;
let expected: string;
let redis: RedisServer;
let admin: Redis;
const children = new Set<ChildProcess>();

interface Node {
  child: ChildProcess;
  consumer: string;
  url: string;
  stderr: () => string;
}

/** A serving node; resolves once it listens and consumes (its consumer name from stdout). */
async function startNode(url: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Node> {
  const child = spawn(process.execPath, [modelgateBin, 'serve', MANIFEST, '--port', '0', '--log-level', 'warn', '--queue', url, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const consumer = / as (\S+) \(/.exec(out)?.[1];
      const listening = /listening on (\S+)/.exec(out)?.[1];
      if (consumer && listening) resolve({ child, consumer, url: listening, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening:\n${out}\n${err}`)));
  });
}

async function stopNode(n: Node): Promise<void> {
  if (n.child.exitCode !== null || n.child.signalCode !== null) return;
  const exited = once(n.child, 'exit');
  n.child.kill('SIGTERM');
  await exited;
}

function score(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [modelgateBin, 'score', MANIFEST, '--no-progress', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

/** Rows a run has saved as written so far (its resume state), 0 before the first save. */
function rowsWritten(output: string): number {
  const path = output + '.queue-state.json';
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { rows: number }).rows : 0;
}

async function metric(node: Node, name: string): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  const m = new RegExp(`^${name}\\{model="breast-cancer"[^}]*\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

async function consumerPending(consumer: string): Promise<number> {
  const list = (await admin.call('XINFO', 'CONSUMERS', names.requests, GROUP)) as (string | number)[][];
  for (const c of list) {
    const m = new Map<string, string | number>();
    for (let i = 0; i < c.length; i += 2) m.set(String(c[i]), c[i + 1]!);
    if (m.get('name') === consumer) return Number(m.get('pending'));
  }
  return 0;
}

before(async () => {
  if (skipWithoutRedis) return;
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'mg-queue-'));
  redis = await startRedis({ password: 'queue-pw' });
  admin = new Redis({ host: '127.0.0.1', port: redis.port, password: 'queue-pw', lazyConnect: true });
  await admin.connect();
  // 20,000 distinct rows (each validation row scaled a little), so order mistakes show
  const base = validationRows('breast-cancer', 114, 30);
  const header = readFileSync(join(repoRoot, 'samples/breast-cancer/data/validation.csv'), 'utf8').split('\n')[0]!.split(',').slice(0, 30);
  const lines = [header.map((h) => (h.includes(',') ? `"${h}"` : h)).join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(base[i % base.length]!.map((v) => +(v * (1 + (i % 89) / 500)).toPrecision(6)).join(','));
  input = join(dir, 'rows.csv');
  await writeFile(input, lines.join('\n') + '\n');
  const direct = await runCli(['score', MANIFEST, '--input', input, '--output', join(dir, 'direct.csv'), '--no-progress']);
  assert.equal(direct.code, 0, direct.stderr);
  expected = await readFile(join(dir, 'direct.csv'), 'utf8');
  assert.equal(expected.trim().split('\n').length, ROWS + 1);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  admin?.disconnect();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('two nodes on one stream score 20,000 rows exactly as in-process scoring does', { skip: skipWithoutRedis }, async () => {
  const a = await startNode(redis.authUrl);
  const b = await startNode(redis.authUrl);
  try {
    const output = join(dir, 'two.csv');
    const r = await score(['--input', input, '--output', output, '--queue', redis.authUrl]).done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /scored 20000 rows/);
    assert.match(r.stderr, /answered by 2 node\(s\)/);
    assert.equal(await readFile(output, 'utf8'), expected);
    assert.ok(!existsSync(output + '.partial') && !existsSync(output + '.queue-state.json'));
    assert.ok((await metric(a, 'modelgate_stream_requests_total')) > 0 || (await metric(b, 'modelgate_stream_requests_total')) > 0);
    assert.doesNotMatch(r.stderr + a.stderr() + b.stderr(), /queue-pw/);
  } finally {
    await Promise.all([stopNode(a), stopNode(b)]);
  }
});

test('a node killed with SIGKILL midway loses nothing: the other claims its pending requests', { skip: skipWithoutRedis }, async () => {
  const a = await startNode(redis.authUrl, ['--queue-claim-idle', '1000']);
  const b = await startNode(redis.authUrl, ['--queue-claim-idle', '1000']);
  try {
    const output = join(dir, 'killed.csv');
    const run = score(['--input', input, '--output', output, '--queue', redis.authUrl, '--batch-size', '10']);
    await waitFor('node A to answer some requests', async () => (await metric(a, 'modelgate_stream_requests_total')) >= 5, { timeoutMs: 60_000 });
    // frozen, A acknowledges nothing more: kill it once it holds requests it has read
    let pendingAtKill = 0;
    await waitFor('node A to hold unanswered requests', async () => {
      a.child.kill('SIGSTOP');
      pendingAtKill = await consumerPending(a.consumer);
      if (pendingAtKill > 0) return true;
      a.child.kill('SIGCONT');
      return false;
    });
    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(output, 'utf8'), expected);
    assert.equal(await consumerPending(a.consumer), 0, "the killed node's pending requests were all claimed");
    const claims = await metric(b, 'modelgate_stream_claims_total');
    assert.ok(claims >= pendingAtKill, `node B claimed ${claims}, A held ${pendingAtKill}`);
    assert.equal(Number(((await admin.call('XPENDING', names.requests, GROUP)) as [number])[0]), 0);
  } finally {
    await Promise.all([stopNode(a), stopNode(b)]);
  }
});

test('a request that crashes every node that reads it ends in the dead-letter stream; the others are answered', { skip: skipWithoutRedis }, async () => {
  // a supervisor, as systemd or Kubernetes would be: a node that dies is started again
  const env = { MODELGATE_TEST: '1', MODELGATE_TEST_QUEUE_CRASH_ID: 'poison' };
  const args = ['--queue-claim-idle', '500', '--queue-max-deliveries', '2'];
  let restarts = 0;
  let stopping = false;
  let current = await startNode(redis.authUrl, args, env);
  const supervise = (n: Node) =>
    n.child.once('exit', () => {
      if (stopping) return;
      restarts++;
      void startNode(redis.authUrl, args, env).then((next) => {
        current = next;
        supervise(next);
      });
    });
  supervise(current);
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'breast-cancer', timeoutMs: 60_000 });
  try {
    const row = validationRows('breast-cancer', 1, 30)[0]!;
    const body = JSON.stringify({ inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP64', data: row }] });
    const ids = Array.from({ length: 30 }, (_, i) => (i === 10 ? 'poison' : `good-${i}`));
    await client.enqueue(ids.map((id) => ({ id, body })));
    const replies = await client.waitFor(ids);
    for (const id of ids.filter((x) => x !== 'poison')) assert.equal(replies.get(id)!.status, 200, `${id}: ${replies.get(id)!.error}`);
    const poison = replies.get('poison')!;
    assert.equal(poison.code, 'MG363');
    assert.match(poison.error!, /modelgate:breast-cancer:dead: delivered 3 times/);
    assert.equal(restarts, 2, 'the poison crashed a node on each of its 2 deliveries');
    const dead = (await admin.xrange(names.deadLetters, '-', '+')) as [string, string[]][];
    const entry = dead
      .map(([, f]) => new Map(f.flatMap((_, i) => (i % 2 ? [] : [[f[i]!, f[i + 1]!] as [string, string]]))))
      .find((m) => m.get('id') === 'poison');
    assert.ok(entry, 'the poison request is in the dead-letter stream');
    assert.equal(entry.get('dead_deliveries'), '3');
    assert.match(entry.get('dead_reason')!, /never answered/);
    assert.equal(entry.get('body'), body);
  } finally {
    stopping = true;
    await client.close();
    await stopNode(current);
  }
});

test('Redis restarted mid-run (AOF on): the run completes, or stops with a clear error and resumes', { skip: skipWithoutRedis }, async () => {
  const a = await startNode(redis.authUrl, ['--queue-claim-idle', '2000']);
  try {
    const output = join(dir, 'restart.csv');
    const args = ['--input', input, '--output', output, '--queue', redis.authUrl, '--batch-size', '10', '--queue-timeout', '20000'];
    const run = score(args);
    await waitFor('some rows written', () => rowsWritten(output) > 0, {
      timeoutMs: 60_000,
    });
    await redis.restart();
    let r = await run.done;
    if (r.code !== 0) {
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /MG36\d: .*run the same command again to resume/);
      r = await score(args).done;
      assert.match(r.stderr, /resumed after \d+ rows/);
    }
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(output, 'utf8'), expected);
  } finally {
    await stopNode(a);
  }
});

test('an interrupted run (Ctrl-C) keeps its progress and the same command resumes it', { skip: skipWithoutRedis }, async () => {
  const a = await startNode(redis.authUrl);
  try {
    const output = join(dir, 'resume.csv');
    const args = ['--input', input, '--output', output, '--queue', redis.authUrl, '--batch-size', '10'];
    const run = score(args);
    await waitFor('some rows written', () => rowsWritten(output) > 0, {
      timeoutMs: 60_000,
    });
    // the node frozen, the run cannot finish before the signal lands
    a.child.kill('SIGSTOP');
    run.child.kill('SIGINT');
    const first = await run.done;
    a.child.kill('SIGCONT');
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /interrupted; \d+ row\(s\) are written to .*resume\.csv\.partial; run the same command again/);
    assert.ok(!existsSync(output));
    const second = await score(args).done;
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resumed after [1-9]\d* rows/);
    assert.equal(await readFile(output, 'utf8'), expected);
  } finally {
    await stopNode(a);
  }
});

test("the editor's Score a CSV file (modelgate/score with queue) writes the same bytes through the queue", { skip: skipWithoutRedis }, async () => {
  const a = await startNode(redis.authUrl);
  const lsp = startLspClient([join(REPO, 'dist', 'server.js'), '--stdio']);
  try {
    await lsp.initialize();
    const viaLsp = join(dir, 'lsp.csv');
    const r = await lsp.conn.sendRequest(ScoreRequest.type, { manifest: MANIFEST, input, output: viaLsp, queue: redis.authUrl });
    assert.equal(r.rows, ROWS);
    assert.equal(await readFile(viaLsp, 'utf8'), expected);
  } finally {
    await lsp.stop();
    await stopNode(a);
  }
});

test('a wrong password stops serve and score with a clear error that never shows it', { skip: skipWithoutRedis }, async () => {
  const url = `redis://default:wrong-secret@127.0.0.1:${redis.port}`;
  const serve = await runCli(['serve', MANIFEST, '--port', '0', '--queue', url]);
  assert.equal(serve.code, 2);
  assert.match(serve.stderr, /MG361: Redis at redis:\/\/default:\*\*\*@127\.0\.0\.1:\d+ refused the login/);
  const s = await runCli(['score', MANIFEST, '--input', input, '--output', join(dir, 'never.csv'), '--queue', url, '--no-progress']);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /MG361: .*refused the login/);
  assert.doesNotMatch(serve.stdout + serve.stderr + s.stdout + s.stderr, /wrong-secret/);
  // a URL that is no Redis URL fails before any model loads
  const typo = await runCli(['serve', MANIFEST, '--port', '0', '--queue', 'http://default:wrong-secret@127.0.0.1:6379']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--queue: MG360: queue URL "http:\/\/default:\*\*\*@127\.0\.0\.1:6379" has scheme http/);
  assert.doesNotMatch(typo.stdout, /listening/);
  assert.doesNotMatch(typo.stderr, /wrong-secret/);
});

// Graceful shutdown: every request the server accepted is answered, through
// startServer().close() and through `modelgate serve` receiving SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Agent, request } from 'node:http';
import { startServer } from '../../../server/serving/server';
import { root, sample, validationRows } from './helpers';

const body = JSON.stringify({ instances: validationRows('digits', 4, 64) });

interface Outcome {
  status?: number;
  error?: string;
}

function post(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolveOutcome) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolveOutcome({ status: res.statusCode }));
      res.on('error', (e: NodeJS.ErrnoException) => resolveOutcome({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolveOutcome({ error: e.code ?? e.message }));
    req.end(body);
  });
}

function fire(url: string, n: number, agent: Agent): Promise<Outcome>[] {
  return Array.from({ length: n }, () => post(url, agent));
}

test('close() answers every accepted request and refuses new connections', async () => {
  const server = await startServer({ manifests: [sample('digits')], port: 0 });
  const dispatcher = new Agent({ keepAlive: true, maxSockets: 32 });
  const url = `${server.url}/v1/models/digits:predict`;
  await Promise.all(fire(url, 32, dispatcher)); // open the connections
  const digits = server.repository.resolve('digits');
  const pending = fire(url, 200, dispatcher);
  // wait until the server holds accepted requests, then shut down
  while (digits.inflight() === 0) await new Promise((r) => setImmediate(r));
  const accepted = digits.inflight();
  await server.close();
  const outcomes = await Promise.all(pending);
  const ok = outcomes.filter((o) => o.status === 200).length;
  const other = outcomes.filter((o) => o.status !== 200);
  assert.ok(ok >= accepted, `${ok} answered 200, ${accepted} were accepted at close`);
  // whatever was not answered 200 was never accepted: a 503 "closing" answer or a refused/closed connection before sending
  for (const o of other) assert.ok(o.status === 503 || o.error !== undefined, JSON.stringify(o));
  assert.ok(!other.some((o) => o.status !== undefined && o.status !== 503), JSON.stringify(other.slice(0, 3)));
  assert.equal(digits.state, 'END');
  await assert.rejects(fetch(`${server.url}/v2/health/live`));
  dispatcher.destroy();
});

const bin = resolve(root, 'bin/modelgate.js');

function startCli(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const listening = new Promise<string>((resolveUrl, reject) => {
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolveUrl(m[1]!);
    });
    void exited.then((code) => reject(new Error(`modelgate serve exited ${code} before listening:\n${stderr}`)));
  });
  listening.catch(() => undefined); // callers that expect a failure await `exited` instead
  return { child, listening, exited, out: () => stdout, err: () => stderr };
}

test('modelgate serve: table and URL on stdout; SIGTERM drains and exits 0; busy port and broken manifest exit 2', async () => {
  const cli = startCli(['serve', 'samples/digits/model.yaml', 'samples/breast-cancer', '--port', '0', '--log-level', 'warn']);
  const url = await cli.listening;
  assert.match(cli.out(), /MODEL\s+VERSION\s+DEFAULT\s+LABELS\s+TASK/);
  assert.match(cli.out(), /digits\s+1\.0\.0\s+yes/);
  const dispatcher = new Agent({ keepAlive: true, maxSockets: 16 });
  const target = `${url}/v1/models/digits:predict`;
  await Promise.all(fire(target, 16, dispatcher));
  const pending = fire(target, 100, dispatcher);
  const first = await Promise.race(pending);
  assert.equal(first.status, 200);
  cli.child.kill('SIGTERM');
  const outcomes = await Promise.all(pending);
  assert.equal(await cli.exited, 0, cli.err());
  assert.match(cli.err(), /SIGTERM: no new requests; draining/);
  assert.match(cli.err(), /stopped/);
  assert.ok(outcomes.filter((o) => o.status === 200).length >= 1);
  for (const o of outcomes) assert.ok(o.status === 200 || o.status === 503 || o.error !== undefined, JSON.stringify(o));
  dispatcher.destroy();

  // a second server on the port of a running one
  const one = startCli(['serve', 'samples/digits', '--port', '0', '--log-level', 'warn']);
  const port = new URL(await one.listening).port;
  const two = startCli(['serve', 'samples/digits', '--port', port]);
  assert.equal(await two.exited, 2);
  assert.match(two.err(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port`));
  one.child.kill('SIGINT');
  assert.equal(await one.exited, 0);

  const broken = startCli(['serve', 'samples/broken/model.yaml', '--port', '0']);
  assert.equal(await broken.exited, 2);
  assert.match(broken.err(), /samples\/broken\/model\.yaml:\d+:\d+: error MG\d+/);
});

// Remote ModelGate nodes for real: `modelgate serve` processes on loopback
// (one without the admin API; one with an admin token per test that deploys
// to it), v1 and v2 of the breast-cancer sample
// published into an OCI layout, v2 deployed to the node as a 10 % canary
// while autocannon loads it, then rolled back. Per-version shares come from
// the node's own /metrics (requests counted under the version that served).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import autocannon from 'autocannon';
import { loadManifest } from '../../../server/manifest/load';
import { buildIfStandalone, runCli, type CliResult } from '../../helpers/cli';
import { publishModel } from '../../../server/publish/index';
import { deployRemote, checkRemoteUrl } from '../../../server/pipeline/remote';

const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/modelgate.js');
const TOKEN = 'integration-admin-token-5f1c2a9e';
const MODEL = 'breast-cancer';

let work: string;
let layout: string;
const refs: Record<string, string> = {};
const children: ChildProcess[] = [];
let plainNode: string; // without the admin API, shared: nothing changes what it serves

function serve(args: string[]): Promise<string> {
  return start(args).then((s) => s.url);
}

function start(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0', '--log-level', 'warn'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise<{ url: string; child: ChildProcess }>((resolveUrl, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolveUrl({ url: m[1]!, child });
    });
    child.on('close', (code) => reject(new Error(`modelgate serve exited ${code} before listening:\n${stderr}`)));
  });
}

async function copyVersion(version: string): Promise<string> {
  const dir = join(work, `v${version}`);
  await cp(resolve(root, 'samples', MODEL), dir, { recursive: true });
  const manifest = join(dir, 'model.yaml');
  const yaml = await readFile(manifest, 'utf8');
  const bumped = yaml.replace(/^(\s+version:) 1\.0\.0$/m, `$1 ${version}`);
  assert.match(bumped, new RegExp(`^\\s+version: ${version.replace(/\./g, '\\.')}$`, 'm'), 'the sample manifest has metadata.version 1.0.0');
  await writeFile(manifest, bumped);
  return manifest;
}

/**
 * A node with the admin API serving v1, for one test: deploys, canaries and
 * rollbacks change what a node serves, so each test that makes them has a
 * node of its own and no test starts from another's leftovers.
 */
async function adminNode(): Promise<{ url: string; close(): Promise<void> }> {
  const { url, child } = await start([join(work, 'v1.0.0/model.yaml'), '--admin-token-file', join(work, 'token')]);
  return { url, close: () => stopChild(child) };
}

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise<void>((r) => {
    if (c.exitCode !== null || c.signalCode !== null) return r();
    c.once('close', () => r());
    c.kill('SIGTERM');
  });
}

const admin = (node: string, path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  fetch(`${node}/admin${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? TOKEN}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** modelgate_requests_total of the v1 predictions answered with 200, per version. */
async function servedCounts(node: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${node}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^modelgate_requests_total\{model="breast-cancer",version="([^"]+)",protocol="v1",status="200"\} (\d+)/gm))
    out[m[1]!] = Number(m[2]);
  return out;
}

const delta = (a: Record<string, number>, b: Record<string, number>, v: string) => (b[v] ?? 0) - (a[v] ?? 0);

const row = new Array(30).fill(0).map((_, i) => (i % 7) + 0.5);

function load(node: string, amount: number): Promise<autocannon.Result> {
  return new Promise((resolveRun, reject) => {
    autocannon(
      {
        url: `${node}/v1/models/${MODEL}:predict`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: [row] }),
        connections: 8,
        amount,
      },
      (err, result) => (err ? reject(err) : resolveRun(result)),
    );
  });
}

before(async () => {
  buildIfStandalone();
  work = await mkdtemp(join(tmpdir(), 'mg-remote-it-'));
  layout = join(work, 'registry');
  for (const v of ['1.0.0', '2.0.0']) {
    const loaded = await loadManifest(await copyVersion(v));
    const published = await publishModel({ loaded, target: layout, gated: false, source: false, revision: false });
    refs[v] = `${published.reference.replace(/:[^:/]+$/, '')}@${published.digest}`;
  }
  await writeFile(join(work, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  plainNode = await serve([join(work, 'v1.0.0/model.yaml')]);
});

after(async () => {
  await Promise.all(children.map(stopChild));
  if (work) await rm(work, { recursive: true, force: true });
});

test('a node started without --admin-token-file has no /admin routes', async () => {
  const r = await fetch(`${plainNode}/admin/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 404);
});

test('an empty token file is refused at start-up', async () => {
  await writeFile(join(work, 'empty'), '  \n', { mode: 0o600 });
  await assert.rejects(serve([join(work, 'v1.0.0/model.yaml'), '--admin-token-file', join(work, 'empty')]), /admin token file .* is empty/);
});

test('deploy v2 as a 10 % canary under load: no failed request, ~10 % served by v2; a wrong token changes nothing; rollback → all v1', async () => {
  const { url: node, close } = await adminNode();
  try {
    const outcome = await deployRemote(
      { url: checkRemoteUrl(node, 'test'), token: TOKEN, canaryPercent: 10 },
      { name: MODEL, version: '2.0.0' },
      refs['2.0.0']!,
    );
    assert.equal(outcome.loaded, 'loaded');
    assert.equal(outcome.action, 'canary');
    assert.deepEqual(outcome.weights, { '2.0.0': 10, '1.0.0': 90 });

    const wrong = await admin(node, `/models/${MODEL}/canary`, { method: 'POST', body: { version: '2.0.0', weight: 90 }, token: 'not-the-token' });
    assert.equal(wrong.status, 401);
    assert.match(((await wrong.json()) as { error: string }).error, /token is wrong/);
    const listed = (await (await admin(node, '/models')).json()) as { models: { traffic: { weights: Record<string, number> } }[] };
    assert.deepEqual(listed.models[0]!.traffic.weights, { '2.0.0': 10, '1.0.0': 90 }, 'the refused request left the split as it was');
    const gauge = await (await fetch(`${node}/metrics`)).text();
    assert.match(gauge, /modelgate_traffic_weight\{model="breast-cancer",version="2.0.0"\} 10\b/);

    const before = await servedCounts(node);
    const result = await load(node, 3000);
    const afterLoad = await servedCounts(node);
    assert.equal(result.errors, 0, 'connection errors');
    assert.equal(result.non2xx, 0, 'non-2xx answers');
    const v1 = delta(before, afterLoad, '1.0.0');
    const v2 = delta(before, afterLoad, '2.0.0');
    assert.ok(v1 + v2 >= 3000, `only ${v1 + v2} requests counted`);
    const share = v2 / (v1 + v2);
    process.stdout.write(`# canary split: v2 served ${v2} of ${v1 + v2} (${(share * 100).toFixed(1)} %), failed ${result.non2xx + result.errors}\n`);
    assert.ok(share >= 0.05 && share <= 0.15, `v2 share ${(share * 100).toFixed(1)} % is outside 5–15 %`);

    // a request naming a version gets exactly that version, whatever the split
    const named = await fetch(`${node}/v1/models/${MODEL}/versions/2.0.0:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [row] }),
    });
    assert.equal(named.status, 200);

    const rb = await admin(node, `/models/${MODEL}/rollback`, { method: 'POST' });
    assert.equal(rb.status, 200);
    assert.deepEqual(((await rb.json()) as { rolledBack: unknown }).rolledBack, { from: '2.0.0', to: '1.0.0' });
    const beforeRb = await servedCounts(node);
    const after = await load(node, 500);
    const afterRb = await servedCounts(node);
    assert.equal(after.non2xx + after.errors, 0);
    assert.equal(delta(beforeRb, afterRb, '2.0.0'), 0, 'v2 served nothing after the rollback');
    assert.ok(delta(beforeRb, afterRb, '1.0.0') >= 500);
  } finally {
    await close();
  }
});

test('deployRemote without a canary activates; re-deploying the same version is idempotent; a wrong token is a clear error', async () => {
  const { url: node, close } = await adminNode();
  try {
    const target = { url: checkRemoteUrl(node, 'test'), token: TOKEN };
    const first = await deployRemote(target, { name: MODEL, version: '2.0.0' }, refs['2.0.0']!);
    assert.equal(first.loaded, 'loaded');
    assert.equal(first.action, 'activated');
    assert.deepEqual(first.weights, { '2.0.0': 100, '1.0.0': 0 });
    const again = await deployRemote(target, { name: MODEL, version: '2.0.0' }, refs['2.0.0']!);
    assert.equal(again.loaded, 'already loaded');
    assert.equal(again.action, 'activated');
    assert.deepEqual(again.weights, { '2.0.0': 100, '1.0.0': 0 });
    await assert.rejects(deployRemote({ ...target, token: 'wrong' }, { name: MODEL, version: '1.0.0' }, refs['1.0.0']!), /refused the admin token/);
    await assert.rejects(
      deployRemote({ url: checkRemoteUrl(plainNode, 'test'), token: TOKEN }, { name: MODEL, version: '2.0.0' }, refs['2.0.0']!),
      /has no admin API/,
    );
    const listed = (await (await admin(node, '/models')).json()) as { models: { defaultVersion: string }[] };
    assert.equal(listed.models[0]!.defaultVersion, '2.0.0');
  } finally {
    await close();
  }
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(args, { cwd: work, env: { NO_COLOR: '1', MODELGATE_ADMIN_TOKEN: '', ...env } });

test('modelgate deploy --remote: refuses plain http to another host and a missing token before testing; publishes and activates on the node', async () => {
  const { url: node, close } = await adminNode();
  try {
    const manifest = await copyVersion('3.0.0');
    const http = await cli(['deploy', manifest, '--to', layout, '--remote', 'http://10.1.2.3:8500', '--no-progress'], { MODELGATE_ADMIN_TOKEN: TOKEN });
    assert.equal(http.code, 2, http.stderr);
    assert.match(http.stderr, /--remote: http:\/\/10\.1\.2\.3:8500 must use https/);
    const noToken = await cli(['deploy', manifest, '--to', layout, '--remote', node, '--no-progress']);
    assert.equal(noToken.code, 2, noToken.stderr);
    assert.match(noToken.stderr, /needs the node's admin token/);

    const r = await cli(['deploy', manifest, '--to', layout, '--remote', node, '--force', '--quick', '--duration', '1s', '--no-progress'], {
      MODELGATE_ADMIN_TOKEN: TOKEN,
    });
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /remote http:\/\/127\.0\.0\.1:\d+: loaded, activated \(traffic: 3\.0\.0 100%/);
    const listed = (await (await admin(node, '/models')).json()) as { models: { defaultVersion: string; versions: { version: string; source?: string }[] }[] };
    assert.equal(listed.models[0]!.defaultVersion, '3.0.0');
    assert.match(listed.models[0]!.versions.find((v) => v.version === '3.0.0')!.source ?? '', /registry@sha256:[0-9a-f]{64}$/);
  } finally {
    await close();
  }
});

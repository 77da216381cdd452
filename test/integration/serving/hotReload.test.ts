// Hot reload under load: autocannon (in its own process) loads a model and
// another one while the first model's manifest changes version. No request
// may fail; the version must switch while the load runs (both versions answer
// it); the other model's p99 before and during the swap is reported (not
// asserted: timing on a shared machine).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { startServer, type RunningServer } from '../../../server/serving/server';
import type { ReloadEvent } from '../../../server/serving/lifecycle';
import { runLoad } from '../../../bench/loadChild';
import { copySample, metricSum, postJson, sample, validationRows } from './helpers';
import { waitFor } from '../../helpers/waitFor';

let server: RunningServer;
let copy: Awaited<ReturnType<typeof copySample>>;
const reloads: ReloadEvent[] = [];
let waiters: ((e: ReloadEvent) => void)[] = [];
const nextReload = () => new Promise<ReloadEvent>((r) => waiters.push(r));

before(async () => {
  copy = await copySample('breast-cancer');
  server = await startServer({
    manifests: [copy.manifest, sample('digits')],
    port: 0,
    watch: true,
    onReload: (e) => {
      reloads.push(e);
      const w = waiters;
      waiters = [];
      for (const f of w) f(e);
    },
  });
});
after(async () => {
  await server.close();
  await copy.cleanup();
});

const bcBody = JSON.stringify({ instances: validationRows('breast-cancer', 1, 30) });
const digitsBody = JSON.stringify({ instances: validationRows('digits', 1, 64) });

// Successful v1 answers per model version so far (autocannon speaks v1; the
// sampling client below speaks v2, so it is not counted here).
async function v1Answers(model: string, version?: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return metricSum(text, 'modelgate_requests_total', { model, protocol: 'v1', status: '200', ...(version ? { version } : {}) });
}

test('a version change under load swaps with zero failed requests', async (t) => {
  const bcUrl = `${server.url}/v1/models/breast-cancer:predict`;
  const digitsUrl = `${server.url}/v1/models/digits:predict`;
  // Enough answers to call the load steady, and to say the new version served it.
  const steady = 300;
  // the same load twice: once quiet, once while breast-cancer reloads. Each
  // phase ends when the test has seen what it waits for, not after a fixed time;
  // `duration` only caps a phase that would otherwise hang.
  const phase = async (duringReload: boolean) => {
    const stop = new AbortController();
    const bcBefore = await v1Answers('breast-cancer');
    const digitsBefore = await v1Answers('digits');
    const loadA = runLoad({ url: bcUrl, body: bcBody, connections: 8, duration: 60 }, stop.signal);
    const loadB = runLoad({ url: digitsUrl, body: digitsBody, connections: 8, duration: 60 }, stop.signal);
    // a v2 client in this process samples which version answers
    const seen = new Set<string>();
    const seenWaiters = new Map<string, () => void>();
    const sawVersion = (v: string) => new Promise<void>((r) => (seen.has(v) ? r() : seenWaiters.set(v, r)));
    let failures = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = await postJson(`${server.url}/v2/models/breast-cancer/infer`, {
          inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: JSON.parse(bcBody).instances[0] }],
        });
        if (r.status !== 200) failures++;
        else {
          seen.add(r.json.model_version);
          seenWaiters.get(r.json.model_version)?.();
        }
        // pacing, not waiting for anything: a sample every ~10 ms is enough and
        // leaves the server to the load generators
        await new Promise((res) => setTimeout(res, 10));
      }
    })();
    // no event says "the load is flowing": the server's own counters do
    const flowing = () =>
      waitFor(
        'both load generators to be answered',
        async () => (await v1Answers('breast-cancer')) - bcBefore >= steady && (await v1Answers('digits')) - digitsBefore >= steady,
      );
    let event: ReloadEvent | undefined;
    let reloadMs = 0;
    try {
      await flowing();
      await sawVersion('1.0.0');
      if (duringReload) {
        const reloaded = nextReload();
        const text = await readFile(copy.manifest, 'utf8');
        const t0 = performance.now();
        await writeFile(copy.manifest, text.replace('version: 1.0.0', 'version: 1.0.1'));
        event = await reloaded;
        reloadMs = performance.now() - t0;
        // the load goes on until the new version has answered it
        await waitFor('the load generator to be answered by 1.0.1', async () => (await v1Answers('breast-cancer', '1.0.1')) >= steady);
        await sawVersion('1.0.1');
      }
    } finally {
      stop.abort();
      watching = false;
    }
    const [a, b] = await Promise.all([loadA, loadB]);
    await watcher;
    return { a, b, seen, failures, event, reloadMs };
  };
  const quiet = await phase(false);
  const during = await phase(true);
  const { a, b, event } = during;

  assert.equal(event?.ok, true, event?.error);
  assert.equal(event!.version, '1.0.1');
  assert.equal(event!.previousVersion, '1.0.0');
  for (const r of [quiet.a, quiet.b, a, b]) {
    assert.ok(r.requests > 0);
    assert.equal(r.non2xx, 0, JSON.stringify(r.statuses));
    assert.equal(r.errors, 0);
  }
  assert.equal(during.failures, 0);
  assert.ok(during.seen.has('1.0.0') && during.seen.has('1.0.1'), `versions seen: ${[...during.seen]}`);
  const status = (await (await fetch(`${server.url}/v1/models/breast-cancer`)).json()) as { model_version_status: { version: string }[] };
  assert.deepEqual(
    status.model_version_status.map((v) => v.version),
    ['1000001'],
  );
  t.diagnostic(
    `breast-cancer during reload: ${a.requests} requests, ${Math.round(a.rps)} req/s, p99 ${a.latencyUs.p99} µs, 0 failed; file change → new version serving in ${Math.round(during.reloadMs)} ms`,
  );
  t.diagnostic(
    `digits p99 without reload: ${quiet.b.latencyUs.p99} µs at ${Math.round(quiet.b.rps)} req/s; during the breast-cancer reload: ${b.latencyUs.p99} µs at ${Math.round(b.rps)} req/s (max ${b.latencyUs.max} µs vs ${quiet.b.latencyUs.max} µs)`,
  );
});

type ModelList = { models: { name: string; defaultVersion: string; lastError?: string }[] };
const breastCancer = async () => ((await (await fetch(`${server.url}/v1/models`)).json()) as ModelList).models.find((m) => m.name === 'breast-cancer')!;

test('a broken manifest keeps the old version serving and says why', async () => {
  const good = await readFile(copy.manifest, 'utf8');
  // whatever version serves now (this test does not rely on the one before it)
  const serving = (await breastCancer()).defaultVersion;
  const reloaded = nextReload();
  await writeFile(copy.manifest, good.replace('task: classification', 'task: clasification'));
  const event = await reloaded;
  assert.equal(event.ok, false);
  assert.match(event.error!, /model\.yaml:\d+:\d+/);
  const r = await postJson(`${server.url}/v1/models/breast-cancer:predict`, JSON.parse(bcBody));
  assert.equal(r.status, 200);
  const bc = await breastCancer();
  assert.equal(bc.defaultVersion, serving);
  assert.match(bc.lastError!, /task/);

  const fixed = nextReload();
  await writeFile(copy.manifest, good);
  assert.equal((await fixed).ok, true);
  assert.equal((await breastCancer()).lastError, undefined);
});

test('a broken ONNX file keeps the old version serving', async () => {
  const onnx = `${copy.dir}/model.onnx`;
  const bytes = await readFile(onnx);
  const reloaded = nextReload();
  await writeFile(onnx, Buffer.from('not a model'));
  const event = await reloaded;
  assert.equal(event.ok, false);
  assert.match(event.error!, /ONNX/);
  assert.equal((await postJson(`${server.url}/v1/models/breast-cancer:predict`, JSON.parse(bcBody))).status, 200);
  const restored = nextReload();
  await writeFile(onnx, bytes);
  assert.equal((await restored).ok, true);
});

// Model workers: a busy model computes in worker threads, so other models,
// health and metrics are answered meanwhile; a request the model cannot
// compute fails alone; a dead worker fails only its batch and is replaced;
// hot reload and shutdown wait for the workers. The slow fixture (a MatMul
// chain, milliseconds per row) is the busy model; assertions are about the
// order things happen in, not about how long they take.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, type RunningServer } from '../../../server/serving/server';
import type { ReloadEvent } from '../../../server/serving/lifecycle';
import { runLoad } from '../../../bench/loadChild';
import { fixture, postJson, root, sample, validationRows } from './helpers';
import { waitFor } from '../../helpers/waitFor';

const bcRow = validationRows('breast-cancer', 1, 30)[0]!;
const slowRows = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: 512 }, (_, k) => ((i + k) % 7) / 7));

/** Sends a slow request that keeps a worker busy (hundreds of milliseconds), and says when it was answered. */
function busy(server: RunningServer, rows = 128): { done: Promise<number>; finished: () => boolean } {
  let finished = false;
  const done = postJson(`${server.url}/v1/models/slow:predict`, { instances: slowRows(rows) }).then((r) => {
    finished = true;
    return r.status;
  });
  return { done, finished: () => finished };
}

describe('a busy model in workers', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ manifests: [fixture('slow'), sample('breast-cancer')], port: 0, logger: false });
  });
  after(() => server.close());

  test('the slow model runs in two workers, the light one inline', () => {
    const slow = server.repository.resolve('slow');
    const bc = server.repository.resolve('breast-cancer');
    assert.deepEqual({ ...slow.workers(), threadIds: slow.workers().threadIds.length }, { configured: 2, live: 2, threadIds: 2 });
    assert.equal(bc.workers().configured, 0);
    assert.match(bc.workerChoice.reason, /^auto: a full batch of 32 takes .* under 2 ms, so it runs inline$/);
    const status = server.models.find((m) => m.name === 'slow')!.versions[0]!;
    assert.equal(status.workers, 2);
    assert.equal(status.workersReason, 'serving.workers: 2');
  });

  test('other models, health and /metrics answer while both workers compute', async () => {
    // 512 rows keep each worker busy for about a second: long enough that the
    // light requests below finish first even when the workers' threads take
    // most of the machine's two cores
    const a = busy(server, 512);
    const b = busy(server, 512);
    // both slow requests are in the workers before the light ones go
    await waitFor(
      'both slow batches to be in the workers',
      () => server.repository.resolve('slow').inflight() === 2 && server.repository.resolve('slow').queued() === 0,
    );
    const answered: { what: string; status: number; slowDone: boolean }[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await postJson(`${server.url}/v1/models/breast-cancer:predict`, { instances: [bcRow] });
      answered.push({ what: 'predict', status: r.status, slowDone: a.finished() || b.finished() });
    }
    for (const path of ['/v2/health/ready', '/v2/health/live', '/metrics', '/v1/models/slow']) {
      const r = await fetch(server.url + path);
      await r.text();
      answered.push({ what: path, status: r.status, slowDone: a.finished() || b.finished() });
    }
    assert.deepEqual(await Promise.all([a.done, b.done]), [200, 200]);
    assert.deepEqual(
      answered.filter((x) => x.status !== 200 || x.slowDone),
      [],
      'every light request was answered, before either slow batch finished',
    );
  });

  test('answers from workers are bit for bit those of an inline session', async () => {
    const inline = await startServer({ manifests: [fixture('slow')], port: 0, logger: false, workers: 'inline' });
    try {
      const body = { instances: slowRows(3) };
      const [w, i] = await Promise.all([postJson(`${server.url}/v1/models/slow:predict`, body), postJson(`${inline.url}/v1/models/slow:predict`, body)]);
      assert.equal(w.status, 200);
      assert.equal(w.text, i.text);
    } finally {
      await inline.close();
    }
  });

  test('a worker that dies fails only its own request with 503, and is replaced', async () => {
    const slow = server.repository.resolve('slow');
    const before = slow.workers().threadIds;
    // worker 0 (the first free one) dies as it is handed the next batch
    slow.crashWorkerOnNextBatch(0);
    const [r, other] = await Promise.all([
      postJson(`${server.url}/v1/models/slow:predict`, { instances: slowRows(64) }),
      postJson(`${server.url}/v1/models/slow:predict`, { instances: slowRows(64) }),
    ]);
    assert.equal(r.status, 503, r.text);
    assert.match(
      r.json.error,
      /the worker computing this request for slow 1\.0\.0 stopped \(exit code 70\) before answering; it is being replaced, retry the request/,
    );
    assert.equal(other.status, 200, 'the request in the other worker is answered');
    await waitFor('the worker to be replaced', () => slow.workers().live === 2);
    const after = slow.workers().threadIds;
    assert.equal(after.length, 2);
    assert.notDeepEqual(after, before);
    const again = await postJson(`${server.url}/v1/models/slow:predict`, { instances: slowRows(2) });
    assert.equal(again.status, 200, again.text);
  });
});

describe('one bad request in a batch fails only itself', () => {
  for (const workers of [2, 'inline'] as const) {
    test(`60 good and 1 bad request at once → 60 × 200 and 1 × 400 (${workers === 'inline' ? 'inline' : 'workers'})`, async () => {
      const server = await startServer({ manifests: [fixture('lookup')], port: 0, logger: false, workers });
      try {
        const url = `${server.url}/v1/models/lookup:predict`;
        const good = (i: number) => ({ instances: [{ x1: i / 10, x2: 1, x3: -1, category: i % 4 }] });
        const bodies = Array.from({ length: 61 }, (_, i) => (i === 30 ? { instances: [{ x1: 0, x2: 0, x3: 0, category: 9 }] } : good(i)));
        // a large request first keeps the main thread decoding while the 61 arrive, so they queue into shared batches
        const large = postJson(url, { instances: Array.from({ length: 4000 }, (_, i) => good(i).instances[0]) });
        const answers = await Promise.all(bodies.map((b) => postJson(url, b)));
        assert.equal((await large).status, 200);
        const statuses = answers.map((a) => a.status);
        assert.equal(statuses.filter((s) => s === 200).length, 60, JSON.stringify(answers.filter((a) => a.status !== 200).map((a) => a.text)));
        assert.equal(statuses[30], 400);
        const error: string = answers[30]!.json.error;
        assert.match(error, /category = \[9\]/);
        assert.match(error, /idx=9 must be within the inclusive range \[-4,3\]/);
        assert.match(error, /check them against the training data/);
        // the good ones got their own answers, not a neighbour's
        const single = await postJson(url, good(7));
        assert.deepEqual(answers[7]!.json, single.json);
        // batching did merge them (else the test proves nothing about batches)
        const metrics = await (await fetch(`${server.url}/metrics`)).text();
        const batches = Number(/^modelgate_batch_size_count\{[^}]*model="lookup"[^}]*\} (\d+)/m.exec(metrics)?.[1] ?? NaN);
        // unbatched: the large request's ceil(4000 / 64) batches (maxBatchSize 64) plus one per small request
        const unbatched = Math.ceil(4000 / 64) + 61;
        assert.ok(batches < unbatched, `requests were batched (${batches} batches, ${unbatched} without batching)`);
      } finally {
        await server.close();
      }
    });
  }
});

describe('hot reload and shutdown with workers', () => {
  let dir: string;
  let manifest: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mg-slow-'));
    await cp(resolve(root, 'test/fixtures/slow'), dir, { recursive: true });
    manifest = join(dir, 'model.yaml');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('a version change under load: zero failed requests; the old workers exit', async () => {
    let resolveReload: (e: ReloadEvent) => void = () => undefined;
    const reloaded = new Promise<ReloadEvent>((r) => (resolveReload = r));
    const server = await startServer({ manifests: [manifest], port: 0, logger: false, watch: true, onReload: (e) => resolveReload(e) });
    try {
      const old = server.repository.resolve('slow');
      const oldThreads = old.workers().threadIds;
      const stop = new AbortController();
      const load = runLoad(
        { url: `${server.url}/v1/models/slow:predict`, body: JSON.stringify({ instances: slowRows(1) }), connections: 4, duration: 60 },
        stop.signal,
      );
      let res;
      try {
        await waitFor('the load to be answered', () => old.health().rows >= 20);
        await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('version: 1.0.0', 'version: 1.0.1'));
        const e = await reloaded;
        assert.equal(e.ok, true, e.error);
        const next = server.repository.resolve('slow');
        assert.equal(next.version, '1.0.1');
        await waitFor('the new version to answer the load', () => next.health().rows >= 20);
        assert.equal(old.state, 'END');
        assert.equal(old.workers().live, 0, 'the old version’s workers exited');
        assert.equal(next.workers().live, 2);
        assert.equal(
          next.workers().threadIds.some((t) => oldThreads.includes(t)),
          false,
        );
      } finally {
        stop.abort();
        res = await load;
      }
      assert.equal(res.non2xx + res.errors, 0, JSON.stringify(res.statuses));
      assert.ok(res.ok > 40);
    } finally {
      await server.close();
    }
  });

  test('close() answers the request a worker is computing, then stops the workers', async () => {
    const server = await startServer({ manifests: [manifest], port: 0, logger: false });
    const slow = server.repository.resolve('slow');
    const a = busy(server, 128);
    await waitFor('the slow request to be in a worker', () => slow.inflight() === 1);
    await server.close();
    assert.equal(await a.done, 200);
    assert.equal(slow.state, 'END');
    assert.equal(slow.workers().live, 0);
  });
});

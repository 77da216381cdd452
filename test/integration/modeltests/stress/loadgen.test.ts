// The load generator as users run it: the bundled CLI's hidden `__loadgen`
// subcommand in its own process, against a stand-in server with a known
// cost per request. Also: a server that answers wrongly under load is caught.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadManifest } from '../../../../server/manifest/load';
import { runStressSuite } from '../../../../server/modeltests/stress/index';
import { LoadgenProcess } from '../../../../server/modeltests/stress/loadgenProcess';
import { mergeHistograms, summarizeLatency } from '../../../../server/modeltests/stress/latency';
import { startFakeServer, type FakeServer } from './fakeServer';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'bin', 'modelgate.js');
const SAMPLE = join(ROOT, 'samples', 'breast-cancer', 'model.yaml');

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('load generator process', () => {
  let srv: FakeServer;
  before(async () => {
    srv = await startFakeServer({ busyUs: 300 });
  });
  after(() => srv.close());

  test('`modelgate __loadgen` (bundled CLI) runs closed and open jobs in a child process', async () => {
    assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` (scripts/test.mjs builds it first)');
    const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ instances: [[i, 1]] }));
    const lg = await LoadgenProcess.start({ modulePath: BIN, args: ['__loadgen'], execArgv: [] }, `${srv.url}/v1/models/m:predict`, bodies);
    assert.notEqual(lg.pid, process.pid);
    try {
      const before = srv.requests();
      const closed = await lg.run({ mode: 'closed', connections: 2, durationS: 0.5, timeoutS: 2, captureEvery: 7, captureMax: 5 });
      assert.equal(closed.mode, 'closed');
      assert.ok(closed.responses > 10, `${closed.responses} responses`);
      assert.equal(closed.errors + closed.timeouts + closed.non2xx, 0);
      // The server answered every request the generator counted.
      assert.ok(srv.requests() - before >= closed.responses);
      const lat = summarizeLatency(mergeHistograms([closed.histogram]));
      // Every request busy-waits 300 µs on the server, so no latency can be lower.
      assert.ok(lat.p50 >= 300, `p50 ${lat.p50} µs`);
      assert.ok(lat.p50 <= lat.p99 && lat.p99 <= lat.max);
      assert.equal(closed.captured.length, 5);
      for (const c of closed.captured) {
        const sent = JSON.parse(bodies[c.row]!).instances[0] as number[];
        assert.deepEqual(JSON.parse(c.body).predictions, [[sent[0]! + sent[1]!, sent[0]]], 'captured body belongs to its row');
      }

      const open = await lg.run({ mode: 'open', connections: 32, rate: 200, durationS: 0.5, timeoutS: 2, captureEvery: 0, captureMax: 0 });
      assert.equal(open.mode, 'open');
      assert.equal(open.sent, 100, '200 rps for 0.5 s is 100 requests on the schedule');
      assert.equal(open.responses, 100);
      assert.ok(open.sendLagUs && open.sendLagUs.mean >= 0);
      assert.ok(open.cpu > 0 && open.cpu < 2);
    } finally {
      await lg.close();
    }
    assert.ok(gone(lg.pid), 'the child exited after close');
  });

  test('an open run paces the trivial endpoint (a second bundled child) beside the server, window by window', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ instances: [[i, 1]] }));
    const cmd = { modulePath: BIN, args: ['__loadgen'], execArgv: [] };
    const lg = await LoadgenProcess.start(cmd, `${srv.url}/v1/models/m:predict`, bodies);
    const trivial = await LoadgenProcess.startTrivial(cmd);
    assert.notEqual(trivial.process.pid, lg.pid);
    try {
      const before = srv.requests();
      const r = await lg.run({
        mode: 'open',
        connections: 32,
        rate: 200,
        durationS: 1,
        timeoutS: 2,
        captureEvery: 0,
        captureMax: 0,
        noiseUrl: trivial.url,
        windowS: 0.25,
      });
      assert.equal(r.sent, 200);
      assert.equal(srv.requests() - before, 200, 'the trivial requests never reach the server');
      const n = r.noise!;
      assert.equal(n.sent, 200, 'one trivial request per model request, on the same schedule');
      assert.equal(n.responses, 200);
      assert.equal(n.errors + n.timeouts + n.non2xx, 0);
      assert.equal(r.windows!.length, 4);
      assert.equal(n.windows.length, 4);
      assert.equal(
        r.windows!.reduce((a, w) => a + w.count, 0),
        r.responses,
      );
      for (const w of r.windows!) {
        assert.equal(w.tailUs.length, w.count);
        assert.ok(
          w.tailUs.every((x, i) => i === 0 || w.tailUs[i - 1]! >= x),
          'descending',
        );
        // Every model request busy-waits 300 µs on the server.
        assert.ok(w.tailUs.at(-1)! >= 300);
      }
      const model = summarizeLatency(mergeHistograms([r.histogram]));
      const noise = summarizeLatency(mergeHistograms([n.histogram]));
      assert.ok(model.p50 >= 300 && noise.p50 > 0);
    } finally {
      await lg.close();
      await trivial.process.close();
    }
    assert.ok(gone(lg.pid) && gone(trivial.process.pid), 'both children exited after close');
  });

  test('responses that differ under load fail the correctness gate', async () => {
    const bad = await startFakeServer({ busyUs: 100, corruptEvery: 5 });
    try {
      const loaded = await loadManifest(SAMPLE);
      const { result, gates } = await runStressSuite({
        loaded,
        baseUrl: bad.url,
        options: { quick: true, concurrency: [2], maxRuns: 1, warmupS: 0 },
      });
      assert.ok(result.correctness, 'correctness was checked');
      assert.ok(result.correctness.sampled > 0);
      assert.ok(result.correctness.mismatches > 0, 'some sampled answers were corrupted');
      assert.ok(result.correctness.maxAbsDiff >= 1 - 1e-9);
      const g = gates.find((x) => x.id === 'stress.correctness')!;
      assert.equal(g.pass, false);
      assert.equal(g.measured, result.correctness.mismatches);
      assert.match(g.message, /^stress\.correctness: \d+ > 0 by \d+/);
      assert.ok(result.notes.some((n) => /Mismatch under load: row \d+/.test(n)));
    } finally {
      await bad.close();
    }
  });
});

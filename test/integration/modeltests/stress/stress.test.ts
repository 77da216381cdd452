// The stress suite against the real server serving the breast-cancer sample,
// in quick mode. No timing asserts: the machine is shared, so only the
// structure and internal consistency of the numbers are checked — plus the
// gates that cannot pass (an impossible SLO) and a clean cancel.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadManifest } from '../../../../server/manifest/load';
import { runStressSuite } from '../../../../server/modeltests/stress/index';
import { startServer, type RunningServer } from '../../../../server/serving/server';

const SAMPLE_DIR = join(__dirname, '..', '..', '..', '..', 'samples', 'breast-cancer');
const SAMPLE = join(SAMPLE_DIR, 'model.yaml');

/** 1-based line of the first line of `text` matching `re`. */
const lineOf = (text: string, re: RegExp) => text.split('\n').findIndex((l) => re.test(l)) + 1;

function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

describe('stress suite on breast-cancer (real server, quick mode)', () => {
  let server: RunningServer;
  let tmp: string;
  before(async () => {
    server = await startServer({ manifests: [SAMPLE], port: 0, logger: false });
    tmp = mkdtempSync(join(tmpdir(), 'mg-stress-'));
  });
  after(async () => {
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('measures every point with consistent numbers, and answers stay correct under load', async () => {
    const loaded = await loadManifest(SAMPLE);
    const events: { step: string; percent?: number }[] = [];
    const { result, gates } = await runStressSuite({ loaded, baseUrl: server.url, options: { quick: true }, onProgress: (e) => events.push(e) });

    assert.equal(result.endpoint, `${server.url}/v1/models/breast-cancer:predict`);
    const csvRows = readFileSync(join(SAMPLE_DIR, 'data', 'validation.csv'), 'utf8').trim().split('\n').length - 1;
    assert.equal(result.bodies.source, join('data', 'validation.csv'));
    assert.ok(result.bodies.distinct > 1 && result.bodies.distinct <= csvRows);
    assert.equal(result.cancelled, undefined);

    const closed = result.points.filter((p) => p.mode === 'closed');
    const open = result.points.filter((p) => p.mode === 'open');
    assert.ok(closed.length >= 1, 'at least the first sweep point');
    assert.equal(closed[0]!.connections, 1);
    assert.equal(open.length, 1, 'one open-model point at slo.rps');
    assert.equal(open[0]!.offeredRps, 200);
    for (const p of result.points) {
      const l = p.latencyUs;
      assert.ok(p.requests > 0 && p.throughputRps > 0, `${p.mode} ${p.connections}: traffic`);
      assert.ok(l.p50 > 0 && l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, `${p.mode}: ordered percentiles ${JSON.stringify(l)}`);
      assert.ok(l.mean > 0 && l.mean <= l.max);
      assert.equal(p.errors + p.timeouts + p.non2xx, 0, 'no failed requests at these loads');
      assert.ok(p.runs.length >= 1 && p.runs.length <= 2);
      assert.ok(p.spread >= 0);
      assert.ok(p.loadGeneratorCpu > 0 && p.loadGeneratorCpu < 2);
      assert.equal(typeof p.sloExceeded, 'boolean');
    }
    assert.ok(open[0]!.sendLagUs, 'open-model points report release lag');

    const sustainable = result.maxSustainableRps!;
    assert.ok(sustainable.steps.length >= 1);
    assert.ok(sustainable.steps.filter((s) => s.ok).every((s) => s.offeredRps <= sustainable.value));

    assert.ok(result.histogram && result.histogram.counts.reduce((a, c) => a + c, 0) > 0);
    assert.equal(result.histogram.counts.length, result.histogram.bucketsUs.length);

    assert.ok(result.correctness, 'correctness was checked');
    assert.ok(result.correctness.sampled > 0);
    assert.equal(result.correctness.mismatches, 0, `no mismatch under load: ${result.notes.filter((n) => n.startsWith('Mismatch')).join('; ')}`);
    assert.equal(result.correctness.tolerance, 0.0001);

    if (sustainable.value > 0) assert.ok(result.costPerMillion && Math.abs(result.costPerMillion.usd - (0.1 / (sustainable.value * 3600)) * 1e6) < 1e-3);

    const text = readFileSync(SAMPLE, 'utf8');
    const byId = Object.fromEntries(gates.map((g) => [g.id, g]));
    assert.deepEqual(Object.keys(byId).sort(), ['stress.correctness', 'stress.errorRate', 'stress.p99', 'stress.rps']);
    assert.equal(byId['stress.p99']!.source!.line, lineOf(text, /^\s+p99Ms:/));
    assert.equal(byId['stress.rps']!.source!.line, lineOf(text, /^\s+rps:/));
    assert.equal(byId['stress.errorRate']!.source!.line, lineOf(text, /^\s+errorRate:/));
    assert.equal(byId['stress.correctness']!.source!.line, lineOf(text, /^\s+skewTolerance:/));
    assert.equal(byId['stress.correctness']!.pass, true);
    assert.equal(byId['stress.errorRate']!.pass, true);
    assert.equal(byId['stress.p99']!.measured, open[0]!.latencyUs.p99 / 1000, 'p99 gate judged on the open-model run at slo.rps');
    assert.match(byId['stress.p99']!.how, /open model/);

    assert.ok(events.length > 4);
    assert.ok(events.every((e) => e.percent !== undefined && e.percent >= 0 && e.percent <= 100));
    assert.ok(events.some((e) => e.step === 'warm-up'));
    assert.equal(events.at(-1)!.percent, 100);
  });

  test('an impossible SLO fails the p99 gate, naming the gate and the margin', async () => {
    // Batching off too: a batch delay above the p99 limit is itself a lint error (MG124).
    const text = readFileSync(SAMPLE, 'utf8')
      .replace(/^(\s+p99Ms:)\s*[\d.]+/m, '$1 0.001')
      .replace(/^(\s+batching:\s*\n\s+enabled:)\s*true/m, '$1 false');
    const dir = mkdtempSync(join(tmp, 'impossible-'));
    writeFileSync(join(dir, 'model.yaml'), text);
    symlinkSync(join(SAMPLE_DIR, 'model.onnx'), join(dir, 'model.onnx'));
    symlinkSync(join(SAMPLE_DIR, 'data'), join(dir, 'data'));
    const loaded = await loadManifest(join(dir, 'model.yaml'));
    assert.equal(loaded.manifest.slo?.p99Ms, 0.001);

    const { result, gates } = await runStressSuite({ loaded, baseUrl: server.url, options: { quick: true } });
    const p99 = gates.find((g) => g.id === 'stress.p99')!;
    assert.equal(p99.pass, false);
    assert.ok(p99.measured! > 0.001);
    assert.ok(Math.abs(p99.margin! - (0.001 - p99.measured!)) < 1e-9);
    assert.match(p99.message, /^stress\.p99: [\d.]+ ms > 0\.001 ms by [\d.]+ ms/);
    assert.equal(p99.source!.line, lineOf(text, /^\s+p99Ms:/));
    // The sweep stops at the first point over the limit, and no rate can be sustainable.
    assert.equal(result.points.filter((p) => p.mode === 'closed').length, 1);
    assert.equal(result.points[0]!.sloExceeded, true);
    assert.ok(result.notes.some((n) => /^Sweep stopped at 1 connection/.test(n)));
    assert.equal(result.maxSustainableRps!.value, 0);
    assert.equal(gates.find((g) => g.id === 'stress.rps')!.pass, false);
  });

  test('cancelling stops the load generator and returns what was measured', async () => {
    const loaded = await loadManifest(SAMPLE);
    const ac = new AbortController();
    let pid = -1;
    const { result, gates } = await runStressSuite({
      loaded, baseUrl: server.url, signal: ac.signal,
      options: { quick: true, onLoadgenStart: (p) => { pid = p; } },
      onProgress: (e) => {
        // Cancel while the first sweep point is running.
        if (e.step.startsWith('closed')) ac.abort();
      },
    });
    assert.ok(pid > 0 && pid !== process.pid);
    assert.ok(gone(pid), `load generator ${pid} is gone after the cancel`);
    assert.equal(result.cancelled, true);
    assert.ok(result.notes.some((n) => n.startsWith('Cancelled:')));
    assert.equal(result.correctness, undefined);
    const p99 = gates.find((g) => g.id === 'stress.p99')!;
    assert.equal(p99.pass, false);
    assert.equal(p99.measured, null);
    assert.match(p99.message, /cancelled/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelManifest } from '../../../../server/manifest/types';
import { plannedSeconds, resolveStressPlan } from '../../../../server/modeltests/stress/plan';

const base = {
  apiVersion: 'modelgate/v1',
  kind: 'Model',
  metadata: { name: 'm', version: '1.0.0' },
  model: { artifact: 'm.onnx', task: 'classification' },
} as ModelManifest;

describe('resolveStressPlan', () => {
  test('defaults: sweep 1, 4, 16, 64 for 10 s, error rate 0.1 %, skew 1e-4, no p99/rps', () => {
    const p = resolveStressPlan(base);
    assert.deepEqual(p.concurrency, [1, 4, 16, 64]);
    assert.equal(p.durationS, 10);
    assert.equal(p.errorRate, 0.001);
    assert.equal(p.skewTolerance, 1e-4);
    assert.equal(p.p99Ms, undefined);
    assert.equal(p.rps, undefined);
    assert.equal(p.maxRuns, 3);
    assert.equal(p.minRuns, 2);
    assert.ok(p.warmupMinS >= 2, 'the server needs seconds of load to settle');
  });

  test('warmupS 0 turns the warm-up off', () => {
    const p = resolveStressPlan(base, { warmupS: 0 });
    assert.equal(p.warmupS, 0);
    assert.equal(p.warmupMinS, 0);
  });

  test('reads the manifest SLO, sorting and de-duplicating the sweep', () => {
    const p = resolveStressPlan({
      ...base,
      slo: { p99Ms: 20, rps: 150, errorRate: 0.01, concurrency: [8, 2, 8], duration: '1500ms' },
      gates: { skewTolerance: 0.01 },
    });
    assert.deepEqual(p.concurrency, [2, 8]);
    assert.equal(p.durationS, 1.5);
    assert.equal(p.p99Ms, 20);
    assert.equal(p.rps, 150);
    assert.equal(p.errorRate, 0.01);
    assert.equal(p.skewTolerance, 0.01);
  });

  test('the caller overrides duration; quick mode shortens everything and keeps two sweep points', () => {
    assert.equal(resolveStressPlan({ ...base, slo: { duration: '5s' } }, { durationS: 3 }).durationS, 3);
    const q = resolveStressPlan({ ...base, slo: { duration: '5s', rps: 10 } }, { quick: true });
    assert.deepEqual(q.concurrency, [1, 4]);
    assert.equal(q.durationS, 1);
    assert.ok(q.warmupS <= 2 && q.warmupMinS <= q.warmupS && q.searchDurationS <= 1);
    assert.ok(plannedSeconds(q) < 15, `quick plan takes ${plannedSeconds(q)} s`);
  });

  test('the SLO point: two runs at least, up to five (three quick), four or more windows of at most 1 s each', () => {
    const p = resolveStressPlan({ ...base, slo: { rps: 200, p99Ms: 50, duration: '5s' } });
    assert.equal(p.minRuns, 2);
    assert.equal(p.sloMaxRuns, 5);
    assert.equal(p.sweepExtraRuns, 2, 'unsteady sweep points share two extra runs');
    assert.equal(p.windowS, 1);
    assert.equal(p.p99Tolerance, 0.2);
    const q = resolveStressPlan({ ...base, slo: { rps: 200 } }, { quick: true });
    assert.equal(q.sloMaxRuns, 3);
    assert.equal(q.windowS, 0.25, 'four windows in a 1 s run');
    assert.equal(resolveStressPlan(base, { maxRuns: 1 }).sloMaxRuns, 5, 'maxRuns limits the sweep, not the SLO point');
  });
});

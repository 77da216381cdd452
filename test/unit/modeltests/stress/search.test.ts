import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { searchMaxRps } from '../../../../server/modeltests/stress/search';

/** A server that sustains anything up to `capacity` rps; p99 grows with load. */
const server = (capacity: number) => async (rps: number) => ({ ok: rps <= capacity, p99Ms: rps / capacity });

describe('searchMaxRps', () => {
  test('brackets the capacity within the requested precision', async () => {
    const r = await searchMaxRps(server(730), { hi: 2000, precision: 0.05, maxSteps: 20 });
    assert.ok(r.value <= 730, `never reports an unsustainable rate (${r.value})`);
    assert.ok(r.value >= 730 * 0.95, `within 5 % of the capacity (${r.value})`);
    assert.equal(r.stoppedBy, 'precision');
    assert.equal(r.steps[0]!.offeredRps, 2000);
    assert.equal(r.steps[0]!.ok, false);
    assert.equal(r.p99Ms, r.value / 730);
    // every ok step is below every failed step
    const okMax = Math.max(...r.steps.filter((s) => s.ok).map((s) => s.offeredRps));
    const failMin = Math.min(...r.steps.filter((s) => !s.ok).map((s) => s.offeredRps));
    assert.ok(okMax < failMin);
  });

  test('respects the step budget', async () => {
    const r = await searchMaxRps(server(730), { hi: 2000, precision: 0.001, maxSteps: 4 });
    assert.equal(r.steps.length, 4);
    assert.equal(r.stoppedBy, 'max-steps');
    assert.deepEqual(
      r.steps.map((s) => s.offeredRps),
      [2000, 1000, 500, 750],
    );
    assert.equal(r.value, 500);
  });

  test('doubles a sustainable upper bound, then bisects above it', async () => {
    const r = await searchMaxRps(server(2500), { hi: 1000, precision: 0.05, maxSteps: 20 });
    assert.deepEqual(
      r.steps.slice(0, 3).map((s) => [s.offeredRps, s.ok]),
      [
        [1000, true],
        [2000, true],
        [4000, false],
      ],
    );
    assert.ok(r.value >= 2500 * 0.95 && r.value <= 2500, `${r.value}`);
  });

  test('reports the highest rate tried when even the doubled bound holds', async () => {
    const r = await searchMaxRps(server(1e9), { hi: 100, precision: 0.05, maxSteps: 20, maxDoublings: 2 });
    assert.equal(r.value, 400);
    assert.equal(r.stoppedBy, 'upper-bound-ok');
    assert.equal(r.steps.length, 3);
  });

  test('nothing sustainable gives 0 and stops at the minimum rate', async () => {
    const r = await searchMaxRps(async () => ({ ok: false, p99Ms: 99 }), { hi: 64, precision: 0.05, maxSteps: 50 });
    assert.equal(r.value, 0);
    assert.equal(r.p99Ms, 0);
    assert.equal(r.stoppedBy, 'min-rate');
    assert.ok(r.steps.every((s) => s.offeredRps >= 1));
  });
});

describe('searchMaxRps with a known sustainable rate', () => {
  test('bisects above it and never reports less', async () => {
    const r = await searchMaxRps(server(730), { hi: 2000, precision: 0.05, maxSteps: 20, known: { rps: 600, p99Ms: 0.5 } });
    assert.equal(r.steps[1]!.offeredRps, 1300, 'first midpoint between the known 600 and the failed 2000');
    assert.ok(r.value >= 700 && r.value <= 730, `${r.value}`);
  });
  test('keeps the known rate when every probe above it fails', async () => {
    const r = await searchMaxRps(server(100), { hi: 2000, precision: 0.05, maxSteps: 3, known: { rps: 200, p99Ms: 0.7 } });
    assert.equal(r.value, 200);
    assert.equal(r.p99Ms, 0.7);
  });
  test('a known rate above the upper bound is ignored', async () => {
    const r = await searchMaxRps(server(730), { hi: 500, precision: 0.05, maxSteps: 20, known: { rps: 900, p99Ms: 1 } });
    assert.equal(r.steps[0]!.offeredRps, 500);
    assert.ok(r.value >= 693 && r.value <= 730);
  });
});

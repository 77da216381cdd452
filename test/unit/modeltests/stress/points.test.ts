import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeHistogram, newBuckets, newLatencyHistogram, recordUs } from '../../../../server/modeltests/stress/latency';
import type { LoadRunResult } from '../../../../server/modeltests/stress/loadgenProtocol';
import { generatorBound, sustained, sustainedPoint, toPoint } from '../../../../server/modeltests/stress/points';

/** A run whose every request took `us` µs. */
function run(over: Partial<LoadRunResult> & { us: number; n?: number }): LoadRunResult {
  const h = newLatencyHistogram();
  const b = newBuckets();
  for (let i = 0; i < (over.n ?? 100); i++) recordUs(h, b, over.us);
  return {
    mode: 'open',
    connections: 4,
    offeredRps: 100,
    elapsedS: 1,
    responses: 100,
    sent: 100,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    throughputRps: 100,
    histogram: encodeHistogram(h),
    buckets: b,
    cpu: 0.2,
    captured: [],
    ...over,
  };
}

describe('sustained (one open-model run)', () => {
  const c = { tolerance: 0.05, errorRate: 0.01, p99Ms: 5 };
  test('keeps up, few errors, p99 within the limit', () => {
    assert.deepEqual(sustained(run({ us: 2000, throughputRps: 96 }), c), { ok: true, p99Ms: 2 });
  });
  test('falling behind the offered rate is not sustained', () => {
    const s = sustained(run({ us: 2000, throughputRps: 94 }), c);
    assert.equal(s.ok, false);
    assert.match(s.why!, /achieved 94 of 100 rps/);
  });
  test('too many failed requests, or p99 over the limit, are not sustained', () => {
    assert.match(sustained(run({ us: 2000, timeouts: 1, non2xx: 1 }), c).why!, /error rate 0\.02/);
    assert.match(sustained(run({ us: 6000 }), c).why!, /p99 6\.00\d ms > 5 ms/);
    assert.equal(sustained(run({ us: 6000 }), { tolerance: 0.05, errorRate: 0.01 }).ok, true, 'no p99 limit set');
  });
});

describe('toPoint', () => {
  test('median throughput, merged latency, summed counts and buckets', () => {
    const runs = [run({ us: 100, throughputRps: 100, errors: 1 }), run({ us: 300, throughputRps: 104, timeouts: 2, cpu: 0.4, connections: 7 })];
    const { point, buckets } = toPoint({ runs, throughputs: [100, 104], spread: 0.0392, stable: true }, 2, 0.25);
    assert.equal(point.mode, 'open');
    assert.equal(point.throughputRps, 102);
    assert.deepEqual(point.runs, [100, 104]);
    assert.equal(point.latencyUs.p50, 100);
    assert.equal(point.latencyUs.p99, 300);
    assert.equal(point.requests, 200);
    assert.equal(point.errors, 1);
    assert.equal(point.timeouts, 2);
    assert.equal(point.connections, 7);
    assert.equal(point.loadGeneratorCpu, 0.4);
    assert.equal(point.loadGeneratorBound, false);
    assert.equal(point.sloExceeded, true, 'p99 300 µs > 0.25 ms');
    assert.equal(point.offeredRps, 100);
    assert.equal(point.durationS, 2);
    assert.equal(
      buckets.reduce((a, x) => a + x, 0),
      200,
    );
  });

  test('a busy generator marks the point', () => {
    const { point } = toPoint({ runs: [run({ us: 100, cpu: 0.95 })], throughputs: [100], spread: 0, stable: false }, 1);
    assert.equal(point.loadGeneratorBound, true);
    assert.equal('sloExceeded' in point, false);
  });
});

describe('generatorBound', () => {
  test('by CPU or by late releases', () => {
    assert.equal(generatorBound({ cpu: 0.89 }), false);
    assert.equal(generatorBound({ cpu: 0.9 }), true);
    assert.equal(generatorBound({ cpu: 0.1, sendLagUs: { mean: 6000, max: 9000 } }), true);
    assert.equal(generatorBound({ cpu: 0.1, sendLagUs: { mean: 400, max: 9000 } }), false);
  });
});

describe('the point at slo.rps: windows, noise floor, pooled verdict', () => {
  /** A run at 100 rps whose requests took `us` µs, in `w` windows of equal counts. */
  const windowed = (us: number, w: number, noiseUs: number) => {
    const r = run({ us });
    const h = newLatencyHistogram();
    for (let i = 0; i < 100; i++) recordUs(h, newBuckets(), noiseUs);
    r.windows = Array.from({ length: w }, () => ({ count: 100 / w, tailUs: new Array(100 / w).fill(us) }));
    r.noise = { sent: 100, responses: 100, errors: 0, timeouts: 1, non2xx: 0, throughputRps: 99, histogram: encodeHistogram(h), windows: [] };
    return r;
  };

  test('identical windows: a zero-width interval at the p99, settled either side of the limit', () => {
    const runs = [windowed(2000, 4, 300), windowed(2000, 4, 500)];
    const { point } = toPoint({ runs, throughputs: [100, 100], spread: 0, stable: true }, 1, 50, { windowS: 0.25, p99Tolerance: 0.2 });
    assert.deepEqual(point.p99IntervalUs, { low: 2000, high: 2000, level: 0.95, windows: 8, windowS: 0.25 });
    assert.equal(point.p99Stable, true);
    assert.equal(point.noiseFloor!.latencyUs.p99, 500);
    assert.equal(point.noiseFloor!.requests, 200);
    assert.equal(point.noiseFloor!.failed, 2, 'one timeout per run');
    assert.equal(point.noiseFloor!.throughputRps, 99);
  });

  test('fewer than four windows never count as stable', () => {
    const { point } = toPoint({ runs: [windowed(2000, 2, 300)], throughputs: [100], spread: 0, stable: false }, 1, 50, { windowS: 0.5 });
    assert.equal(point.p99IntervalUs!.windows, 2);
    assert.equal(point.p99Stable, false);
  });

  test('one window of stalls among quick ones: the interval straddles the limit, unstable', () => {
    // 12 windows of 25 requests, one of them all 100 ms: pooled, 25 of 300 are
    // slow, so p99 = 100 ms; a third of the resamples miss that window and read 1 ms.
    const runs = [windowed(1000, 4, 300), windowed(1000, 4, 300), windowed(1000, 4, 300)];
    runs[2]!.windows![3] = { count: 25, tailUs: new Array(25).fill(100_000) };
    const { point } = toPoint({ runs, throughputs: [100, 100, 100], spread: 0, stable: true }, 1, 50, { windowS: 0.25 });
    assert.equal(point.p99IntervalUs!.windows, 12);
    assert.equal(point.p99IntervalUs!.low, 1000);
    assert.equal(point.p99IntervalUs!.high, 100_000);
    assert.equal(point.p99Stable, false);
  });

  test('sustainedPoint judges the pooled figures and names the miss', () => {
    const runs = [run({ us: 2000 }), run({ us: 2000, throughputRps: 90 })];
    const { point } = toPoint({ runs, throughputs: [100, 90], spread: 0.1, stable: false }, 1);
    const c = { tolerance: 0.05, errorRate: 0.01, p99Ms: 5 };
    // Median throughput 95 ≥ 0.95 × 100: held, although one run alone fell behind.
    assert.deepEqual(sustainedPoint(point, c), { ok: true, p99Ms: 2 });
    assert.equal(sustainedPoint(point, { ...c, p99Ms: 1 }).miss, 'p99');
    assert.equal(sustainedPoint({ ...point, throughputRps: 80 }, c).miss, 'rate');
    assert.equal(sustainedPoint({ ...point, non2xx: 5 }, c).miss, 'errors');
  });
});

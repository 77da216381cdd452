// The rules that turn a stress figure's doubt into an inconclusive gate,
// on hand-checkable inputs (limits of 50 ms, 200 rps, 0.001).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errorRateDoubt, p99Doubt, p99Settled, rpsDoubt, type LatencyEvidence } from '../../../../server/modeltests/stress/doubts';

const LIMIT = 50;
const TOL = 0.2;
/** Quiet machine, settled interval, p99 `p99Ms`. */
const ev = (p99Ms: number, over: Partial<LatencyEvidence> = {}): LatencyEvidence => ({
  p99Ms,
  interval: { lowMs: p99Ms * 0.95, highMs: p99Ms * 1.05, level: 0.95, windows: 10 },
  noiseFloorP99Ms: 2,
  generatorBound: false,
  ...over,
});

describe('p99Settled', () => {
  test('an interval wholly on one side of the limit settles it', () => {
    assert.equal(p99Settled(50, 10, { lowMs: 5, highMs: 40 }, TOL), true);
    assert.equal(p99Settled(50, 80, { lowMs: 60, highMs: 120 }, TOL), true);
  });
  test('one across the limit settles it only when narrow (≤ 20 % of the p99)', () => {
    assert.equal(p99Settled(50, 48, { lowMs: 20, highMs: 90 }, TOL), false);
    assert.equal(p99Settled(50, 50, { lowMs: 46, highMs: 55 }, TOL), true, '9 ms wide ≤ 0.2 × 50 ms');
  });
});

describe('p99Doubt', () => {
  test('a settled p99 within the limit passes', () => {
    assert.equal(p99Doubt(LIMIT, ev(10), TOL), undefined);
  });

  test('a pass stands even when the generator was the bottleneck or the noise floor is high', () => {
    assert.equal(p99Doubt(LIMIT, ev(10, { generatorBound: true, sendLagMeanUs: 9000 }), TOL), undefined);
    assert.equal(p99Doubt(LIMIT, ev(45, { noiseFloorP99Ms: 60 }), TOL), undefined);
  });

  test('a pass whose interval straddles the limit is unstable: longer --duration', () => {
    const d = p99Doubt(LIMIT, ev(30, { interval: { lowMs: 5, highMs: 120, level: 0.95, windows: 10 } }), TOL)!;
    assert.match(d.reason, /p99 ranged 5 ms–120 ms \(95 % bootstrap interval over 10 time windows\), which straddles the 50 ms limit/);
    assert.match(d.nextStep, /--duration/);
  });

  test('a settled fail on a quiet machine stays a fail', () => {
    assert.equal(p99Doubt(LIMIT, ev(80), TOL), undefined);
  });

  test('a fail whose noise floor alone exceeds the limit: close other programs or CI', () => {
    const d = p99Doubt(LIMIT, ev(128.8, { noiseFloorP99Ms: 90, otherCpuCores: 1.04, cores: 2 }), TOL)!;
    assert.match(d.reason, /noise floor alone exceeds the limit.*p99 90 ms/);
    assert.match(d.nextStep, /close other programs \(other processes used 1 of 2 cores meanwhile\).*CI/);
  });

  test('a fail measured by a starved generator is inconclusive', () => {
    const d = p99Doubt(LIMIT, ev(170.5, { generatorBound: true, sendLagMeanUs: 6200, generatorCpu: 0.4 }), TOL)!;
    assert.match(d.reason, /load generator was the bottleneck \(it released requests 6\.2 ms late on average, it used 40 % of a core\)/);
    assert.match(d.nextStep, /close other programs/);
  });

  test("a fail the machine's own p99 could carry over the limit is inconclusive", () => {
    // 70 − 30 = 40 ≤ 50: without the machine's 30 ms the server may be within.
    assert.match(p99Doubt(LIMIT, ev(70, { noiseFloorP99Ms: 30 }), TOL)!.reason, /machine's own p99 of 30 ms/);
    // 90 − 30 = 60 > 50: the server alone is over.
    assert.equal(p99Doubt(LIMIT, ev(90, { noiseFloorP99Ms: 30 }), TOL), undefined);
  });

  test('a fail whose interval reaches below the limit is unstable', () => {
    const d = p99Doubt(LIMIT, ev(60, { interval: { lowMs: 8, highMs: 140, level: 0.95, windows: 12 } }), TOL)!;
    assert.match(d.reason, /straddles the 50 ms limit/);
  });

  test('closed model (no interval, no noise floor): only a starved generator is doubted', () => {
    assert.equal(p99Doubt(LIMIT, { p99Ms: 80, generatorBound: false }, TOL), undefined);
    assert.ok(p99Doubt(LIMIT, { p99Ms: 80, generatorBound: true, generatorCpu: 0.97 }, TOL));
  });
});

describe('rpsDoubt', () => {
  const latency = { reason: 'the noise floor alone exceeds the limit', nextStep: 'close other programs' };
  test('a sustainable rate at or above slo.rps passes, whatever the machine did', () => {
    assert.equal(rpsDoubt(200, 200, { miss: 'p99', generatorBound: true }, latency), undefined);
  });
  test('below slo.rps: a p99 miss in doubt makes the rate inconclusive too', () => {
    assert.match(rpsDoubt(0, 200, { miss: 'p99', generatorBound: false }, latency)!.reason, /missed only on p99, and the noise floor alone exceeds/);
    assert.equal(rpsDoubt(0, 200, { miss: 'p99', generatorBound: false }, undefined), undefined);
  });
  test('below slo.rps: a starved generator, or a machine that could not keep up, is doubted', () => {
    assert.match(rpsDoubt(150, 200, { miss: 'rate', generatorBound: true }, undefined)!.reason, /load-generator bound/);
    assert.match(rpsDoubt(150, 200, { miss: 'rate', generatorBound: false, noiseFellBehind: true }, undefined)!.reason, /trivial endpoint could not keep up/);
    assert.match(
      rpsDoubt(150, 200, { miss: 'rate', generatorBound: false, otherCpuCores: 0.9, cores: 2 }, undefined)!.reason,
      /other processes took 0\.9 of 2 cores/,
    );
  });
  test('below slo.rps on a quiet machine is a fail', () => {
    assert.equal(rpsDoubt(150, 200, { miss: 'rate', generatorBound: false, noiseFellBehind: false, otherCpuCores: 0.1 }, undefined), undefined);
    assert.equal(rpsDoubt(150, 200, { miss: 'errors', generatorBound: false, noiseFailed: 0 }, undefined), undefined);
  });
});

describe('errorRateDoubt', () => {
  const base = { failed: 30, requests: 10_000, non2xx: 0, generatorBoundFailed: 0 };
  test('within the limit: nothing to doubt', () => {
    assert.equal(errorRateDoubt(0.001, { ...base, failed: 10 }), undefined);
  });
  test('non-2xx answers over the limit are the server speaking', () => {
    assert.equal(errorRateDoubt(0.001, { ...base, non2xx: 20, noiseFailed: 5, noiseRequests: 2000 }), undefined);
  });
  test('lost requests while the trivial endpoint lost some too are doubted', () => {
    assert.match(errorRateDoubt(0.001, { ...base, noiseFailed: 4, noiseRequests: 2000 })!.reason, /trivial endpoint lost 4 of 2000 requests/);
  });
  test('lost requests that only the generator-bound runs carry over the limit are doubted', () => {
    // Without the 25 from bound runs: 5 / 10 000 = 0.0005 ≤ 0.001.
    assert.ok(errorRateDoubt(0.001, { ...base, generatorBoundFailed: 25 }));
    // Without the 10 from bound runs: 20 / 10 000 = 0.002 > 0.001, a fail.
    assert.equal(errorRateDoubt(0.001, { ...base, generatorBoundFailed: 10 }), undefined);
  });
});

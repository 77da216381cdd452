import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifest } from '../../../../server/manifest/parse';
import { sourceOf } from '../../../../server/modeltests/gates';
import { evaluateStressGates, type StressMeasurements, type StressThresholds } from '../../../../server/modeltests/stress/gates';

const MANIFEST = `apiVersion: modelgate/v1
kind: Model
metadata: {name: m, version: 1.0.0}
slo:
  p99Ms: 25
  rps: 300
gates:
  skewTolerance: 0.001
`;

const measured: StressMeasurements = {
  latency: { p99Ms: 12.5, how: 'open model at 300 rps', at: '300 rps (open model)' },
  sustainable: { rps: 410, how: 'bisection' },
  errors: { failed: 3, requests: 10_000, how: 'sweep' },
  correctness: { sampled: 200, mismatches: 0, maxAbsDiff: 2e-7, tolerance: 1e-4, how: 'sampled' },
  missingWhy: 'cancelled',
};

describe('stress gates', () => {
  test('every SLO gate passes with its headroom as margin', () => {
    const gates = evaluateStressGates({ p99Ms: 25, rps: 300, errorRate: 0.001, sources: {} }, measured);
    assert.deepEqual(
      gates.map((g) => g.id),
      ['stress.p99', 'stress.rps', 'stress.errorRate', 'stress.correctness'],
    );
    assert.ok(gates.every((g) => g.pass && g.suite === 'stress'));
    const [p99, rps, err, corr] = gates;
    assert.equal(p99!.margin, 12.5);
    assert.equal(p99!.measured, 12.5);
    assert.deepEqual(p99!.threshold, { op: '<=', value: 25, unit: 'ms' });
    assert.equal(rps!.margin, 110);
    assert.equal(err!.measured, 0.0003);
    assert.ok(Math.abs(err!.margin! - 0.0007) < 1e-12);
    assert.equal(corr!.measured, 0);
    assert.equal(p99!.metric, 'p99 latency at 300 rps (open model)');
    assert.match(p99!.message, /^stress\.p99: 12\.5 ms ≤ 25 ms \(headroom 12\.5 ms\)/);
    assert.match(err!.metric, /3 of 10000 requests failed/);
    assert.match(err!.how, /default threshold/, 'errorRate was not set in the manifest');
  });

  test('an impossible p99 fails, naming the gate and the margin', () => {
    const gates = evaluateStressGates({ p99Ms: 0.001, errorRate: 0.001, sources: {} }, measured);
    const p99 = gates.find((g) => g.id === 'stress.p99')!;
    assert.equal(p99.pass, false);
    assert.ok(Math.abs(p99.margin! - (0.001 - 12.5)) < 1e-12);
    assert.match(p99.message, /^stress\.p99: 12\.5 ms > 0\.001 ms by 12\.5 ms/);
    assert.equal(
      gates.some((g) => g.id === 'stress.rps'),
      false,
      'no rps gate without slo.rps',
    );
  });

  test('too low a sustainable rate, too many errors and mismatches each fail', () => {
    const gates = evaluateStressGates(
      { rps: 500, errorRate: 0.0001, sources: {} },
      {
        ...measured,
        correctness: { ...measured.correctness!, mismatches: 4, maxAbsDiff: 0.3 },
      },
    );
    const by = Object.fromEntries(gates.map((g) => [g.id, g]));
    assert.equal(by['stress.rps']!.pass, false);
    assert.equal(by['stress.rps']!.margin, -90);
    assert.match(by['stress.rps']!.message, /^stress\.rps: 410 rps < 500 rps by 90 rps/);
    assert.equal(by['stress.errorRate']!.pass, false);
    assert.equal(by['stress.correctness']!.pass, false);
    assert.equal(by['stress.correctness']!.measured, 4);
    assert.match(by['stress.correctness']!.message, /^stress\.correctness: 4 > 0 by 4/);
    assert.match(by['stress.correctness']!.metric, /by more than 0\.0001 \(of 200 sampled; largest difference 0\.3\)/);
  });

  test('a missing measurement is not run, with null and the reason', () => {
    const gates = evaluateStressGates({ p99Ms: 25, rps: 300, errorRate: 0.001, sources: {} }, { missingWhy: 'the run was cancelled' });
    assert.equal(gates.length, 4);
    for (const g of gates) {
      assert.equal(g.pass, false);
      assert.equal(g.status, 'not run');
      assert.equal(g.measured, null);
      assert.match(g.message, /not run — the run was cancelled/);
    }
  });

  test('a zero-sample correctness check is not a pass', () => {
    const gates = evaluateStressGates({ errorRate: 0.001, sources: {} }, { ...measured, correctness: { ...measured.correctness!, sampled: 0 } });
    const c = gates.find((g) => g.id === 'stress.correctness')!;
    assert.equal(c.pass, false);
    assert.match(c.message, /no response was sampled under load/);
  });
});

// The four gate statuses from the evidence beside each figure: slo.p99Ms 50,
// slo.rps 200, error rate 0.001.
describe('stress gate statuses under doubt', () => {
  const T: StressThresholds = { p99Ms: 50, rps: 200, errorRate: 0.001, sources: {} };
  const quiet = { generatorBound: false, noiseFloorP99Ms: 2, cores: 2, otherCpuCores: 0 };
  const at = (p99Ms: number, evidence: NonNullable<StressMeasurements['latency']>['evidence'] = quiet) => ({
    p99Ms,
    how: 'open model at 200 rps',
    at: '200 rps (open model)',
    evidence: { interval: { lowMs: p99Ms * 0.9, highMs: p99Ms * 1.1, level: 0.95, windows: 10 }, ...evidence },
  });
  const by = (m: Partial<StressMeasurements>) => Object.fromEntries(evaluateStressGates(T, { ...measured, ...m }).map((g) => [g.id, g]));

  test('stable, within the limits: passed', () => {
    const g = by({ latency: at(4), sustainable: { rps: 1500, how: 'bisection', atSlo: { generatorBound: false } } });
    assert.equal(g['stress.p99']!.status, 'passed');
    assert.equal(g['stress.rps']!.status, 'passed');
  });

  test('within the limit although the generator was the bottleneck: still passed, and said so', () => {
    const g = by({ latency: at(4, { ...quiet, generatorBound: true, sendLagMeanUs: 7000 }) })['stress.p99']!;
    assert.equal(g.status, 'passed');
    assert.match(g.message, /load generator was the bottleneck, which only adds latency: the pass stands/);
  });

  test('unstable across the limit: inconclusive with a longer --duration as next step', () => {
    const g = by({ latency: { ...at(40), evidence: { ...quiet, interval: { lowMs: 3, highMs: 130, level: 0.95, windows: 10 } } } })['stress.p99']!;
    assert.equal(g.status, 'inconclusive');
    assert.equal(g.pass, false);
    assert.equal(g.measured, 40);
    assert.match(g.message, /^stress\.p99: inconclusive — measured 40 ms ≤ 50 ms .*straddles the 50 ms limit/);
    assert.match(g.nextStep!, /--duration/);
  });

  test('over the limit with a generator-bound run: inconclusive, not failed', () => {
    const g = by({ latency: at(170.5, { ...quiet, generatorBound: true, sendLagMeanUs: 6000 }) })['stress.p99']!;
    assert.equal(g.status, 'inconclusive');
    assert.match(g.reason!, /load generator was the bottleneck/);
    assert.match(g.nextStep!, /close other programs|CI/);
  });

  test('over the limit with a noise floor above it: inconclusive, and the rate missed on p99 follows', () => {
    const g = by({
      latency: at(128.8, { ...quiet, noiseFloorP99Ms: 95 }),
      sustainable: { rps: 120, how: 'bisection', atSlo: { miss: 'p99', generatorBound: false } },
    });
    assert.equal(g['stress.p99']!.status, 'inconclusive');
    assert.match(g['stress.p99']!.reason!, /noise floor alone exceeds the limit/);
    assert.equal(g['stress.rps']!.status, 'inconclusive');
    assert.match(g['stress.rps']!.reason!, /missed only on p99/);
  });

  test('over the limit on a quiet machine: failed, by how much', () => {
    const g = by({
      latency: at(80),
      sustainable: { rps: 120, how: 'bisection', atSlo: { miss: 'p99', generatorBound: false } },
    });
    assert.equal(g['stress.p99']!.status, 'failed');
    assert.match(g['stress.p99']!.message, /^stress\.p99: 80 ms > 50 ms by 30 ms/);
    assert.equal(g['stress.rps']!.status, 'failed');
  });

  test('lost requests the trivial endpoint lost too: error rate inconclusive; non-2xx: failed', () => {
    const lost = by({
      errors: { failed: 30, requests: 10_000, how: 'sweep', evidence: { non2xx: 0, generatorBoundFailed: 0, noiseFailed: 3, noiseRequests: 2000 } },
    });
    assert.equal(lost['stress.errorRate']!.status, 'inconclusive');
    const answered = by({
      errors: { failed: 30, requests: 10_000, how: 'sweep', evidence: { non2xx: 30, generatorBoundFailed: 0, noiseFailed: 3, noiseRequests: 2000 } },
    });
    assert.equal(answered['stress.errorRate']!.status, 'failed');
  });

  test('correctness is never in doubt: mismatches fail on any machine', () => {
    const g = by({ latency: at(170, { ...quiet, generatorBound: true }), correctness: { ...measured.correctness!, mismatches: 2 } });
    assert.equal(g['stress.correctness']!.status, 'failed');
  });
});

describe('threshold sources', () => {
  test('point at the key that set the threshold, 1-based', () => {
    const parsed = parseManifest(MANIFEST);
    assert.deepEqual(sourceOf({ parsed }, ['slo', 'p99Ms']), { path: ['slo', 'p99Ms'], line: 5, column: 3 });
    assert.deepEqual(sourceOf({ parsed }, ['slo', 'rps']), { path: ['slo', 'rps'], line: 6, column: 3 });
    assert.deepEqual(sourceOf({ parsed }, ['gates', 'skewTolerance']), { path: ['gates', 'skewTolerance'], line: 8, column: 3 });
  });
  test('a default threshold has no source', () => {
    assert.equal(sourceOf({ parsed: parseManifest(MANIFEST) }, ['slo', 'errorRate']), undefined);
  });
});

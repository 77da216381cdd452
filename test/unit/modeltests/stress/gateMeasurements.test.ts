// What the gates read from a run's figures, and the sentence that explains
// a disagreement between the point at slo.rps and the rate search.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StressPoint } from '../../../../server/protocol/report';
import { explainDisagreement, gateMeasurements } from '../../../../server/modeltests/stress/gateMeasurements';
import { resolveStressPlan } from '../../../../server/modeltests/stress/plan';
import type { StressMeasured } from '../../../../server/modeltests/stress/stressRun';
import type { ModelManifest } from '../../../../server/manifest/types';

const plan = resolveStressPlan({
  apiVersion: 'modelgate/v1',
  kind: 'Model',
  metadata: { name: 'm', version: '1.0.0' },
  model: { artifact: 'm.onnx', task: 'classification' },
  slo: { p99Ms: 50, rps: 200, duration: '5s' },
} as ModelManifest);

const lat = (p99: number) => ({ p50: p99 / 4, p90: p99 / 2, p99, p999: p99, max: p99, mean: p99 / 4 });

/** The point at slo.rps: p99 `p99Us`, noise floor p99 `noiseUs`, interval ±10 %. */
function sloPoint(p99Us: number, noiseUs: number, over: Partial<StressPoint> = {}): StressPoint {
  return {
    mode: 'open',
    connections: 4,
    offeredRps: 200,
    durationS: 5,
    throughputRps: 200,
    latencyUs: lat(p99Us),
    requests: 2000,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    runs: [200, 200],
    spread: 0,
    stable: true,
    loadGeneratorCpu: 0.1,
    loadGeneratorBound: false,
    sendLagUs: { mean: 300, max: 4000 },
    p99IntervalUs: { low: p99Us * 0.9, high: p99Us * 1.1, level: 0.95, windows: 10, windowS: 1 },
    p99Stable: true,
    noiseFloor: { latencyUs: lat(noiseUs), requests: 2000, failed: 0, throughputRps: 200 },
    otherCpuCores: 0.1,
    ...over,
  };
}

function measured(point: StressPoint, sustained: boolean, heldAt?: number): StressMeasured {
  return {
    warmupS: 2,
    points: [point],
    closedBuckets: [],
    captured: [],
    notes: [],
    sloPoint: {
      point,
      buckets: [],
      sustained,
      remeasured: sustained ? 0 : 2,
      generatorBoundFailed: 0,
      ...(sustained ? {} : { why: `p99 ${point.latencyUs.p99 / 1000} ms > 50 ms`, miss: 'p99' as const }),
    },
    search: { value: heldAt ?? 0, p99Ms: 5.3, steps: heldAt ? [{ offeredRps: heldAt, p99Ms: 5.3, ok: true }] : [], stoppedBy: 'max-steps', hi: 3000 },
  };
}

describe('explainDisagreement', () => {
  test('agreeing figures need no explanation', () => {
    assert.equal(explainDisagreement(plan, measured(sloPoint(4000, 2000), true, 1698), undefined), undefined);
    assert.equal(explainDisagreement(plan, measured(sloPoint(80_000, 2000), false), undefined), undefined, 'no higher rate held');
  });

  test('a missed slo.rps beside a held higher rate, with the machine to blame', () => {
    const why = explainDisagreement(plan, measured(sloPoint(170_500, 160_000), false, 1698), {
      reason: 'the noise floor alone exceeds the limit',
      nextStep: '',
    })!;
    assert.match(
      why,
      /^slo\.rps 200 was missed \(p99 170\.5 ms > 50 ms\) over 2 run\(s\) of 5 s, 2 of them measured again after the search, while a 1 s probe at 1698 rps held \(p99 5\.3 ms\)\./,
    );
    assert.match(why, /measured at different moments; at slo\.rps the noise floor alone exceeds the limit, so the miss is not held against the server/);
  });

  test('a missed slo.rps on a quiet machine: the server is slower at the lower rate', () => {
    const why = explainDisagreement(plan, measured(sloPoint(80_000, 1200), false, 1698), undefined)!;
    assert.match(
      why,
      /trivial endpoint answered with p99 1\.2 ms at the same moments, so the machine does not explain the gap: the server itself does worse at 200 rps than at 1698 rps/,
    );
  });
});

describe('gateMeasurements at slo.rps', () => {
  test('the p99 evidence carries the interval, the noise floor and the generator state', () => {
    const m = gateMeasurements(plan, measured(sloPoint(4000, 2500), true, 1698), undefined, false);
    assert.equal(m.latency!.p99Ms, 4);
    assert.deepEqual(m.latency!.evidence!.interval, { lowMs: 3.6, highMs: 4.4, level: 0.95, windows: 10 });
    assert.equal(m.latency!.evidence!.noiseFloorP99Ms, 2.5);
    assert.equal(m.latency!.evidence!.sendLagMeanUs, 300);
    assert.match(m.latency!.how, /noise floor .* p99 2\.5 ms/);
    assert.equal(m.disagreement, undefined);
    assert.equal(m.sustainable!.rps, 1698);
  });

  test('a real fail beside a held higher rate is explained in the gate message, not turned inconclusive', () => {
    const m = gateMeasurements(plan, measured(sloPoint(80_000, 1200), false, 1698), undefined, false);
    assert.match(m.disagreement!, /server itself does worse/);
    assert.match(m.latency!.explained!, /probe at 1698 rps met p99 5\.3 ms, but the noise floor of 1\.2 ms rules the machine out/);
    assert.equal(m.sustainable!.atSlo!.miss, 'p99');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSteady, median, relativeSpread, repeatUntilStable } from '../../../../server/modeltests/stress/stability';

const scripted = (values: number[]) => {
  let calls = 0;
  return { measure: async () => values[calls++]!, calls: () => calls };
};

describe('spread and median', () => {
  test('relative spread is (max - min) / mean', () => {
    assert.equal(relativeSpread([90, 110]), 0.2);
    assert.equal(relativeSpread([100]), 0);
    assert.equal(relativeSpread([0, 0]), 0);
    assert.ok(Math.abs(relativeSpread([100, 102, 98]) - 0.04) < 1e-12);
  });
  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), 0);
  });
});

describe('repeatUntilStable', () => {
  const opts = { tolerance: 0.05, minRuns: 2, maxRuns: 3 };

  test('stops after two runs that agree', async () => {
    const s = scripted([1000, 1020, 5000]);
    const r = await repeatUntilStable(s.measure, (x) => x, opts);
    assert.equal(s.calls(), 2);
    assert.deepEqual(r.throughputs, [1000, 1020]);
    assert.equal(r.stable, true);
    assert.ok(Math.abs(r.spread - 20 / 1010) < 1e-12);
  });

  test('runs a third time when the first two disagree; stable once the last two agree', async () => {
    const s = scripted([1000, 1300, 1310]);
    const r = await repeatUntilStable(s.measure, (x) => x, opts);
    assert.equal(s.calls(), 3);
    assert.equal(r.stable, true);
    // the outlier stays visible in the spread over all runs
    assert.ok(Math.abs(r.spread - 310 / (3610 / 3)) < 1e-12);
  });

  test('three runs that keep disagreeing are unstable', async () => {
    const s = scripted([1000, 1300, 1000, 1300]);
    const r = await repeatUntilStable(s.measure, (x) => x, opts);
    assert.equal(s.calls(), 3);
    assert.equal(r.stable, false);
    assert.ok(Math.abs(r.spread - 0.3 / 1.1) < 1e-12);
  });

  test('one allowed run is never called stable', async () => {
    const s = scripted([1000]);
    const r = await repeatUntilStable(s.measure, (x) => x, { tolerance: 0.05, minRuns: 2, maxRuns: 1 });
    assert.equal(s.calls(), 1);
    assert.equal(r.stable, false);
  });

  test('a failing measurement propagates', async () => {
    await assert.rejects(
      repeatUntilStable(
        async () => {
          throw new Error('boom');
        },
        (x: number) => x,
        opts,
      ),
      /boom/,
    );
  });
});

describe('isSteady (end of warm-up)', () => {
  test('needs the whole window to agree, not just the last two', () => {
    // A plateau before a JIT step: 1281 and 1363 agree, 1081 does not.
    assert.equal(isSteady([1081, 1283, 1363], 3, 0.1), false);
    assert.equal(isSteady([4819, 5983, 6100, 6050], 3, 0.1), true);
    assert.equal(isSteady([6000, 6010], 3, 0.1), false, 'too few chunks');
  });
});

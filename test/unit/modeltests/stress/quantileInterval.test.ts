import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LatencyWindow } from '../../../../server/modeltests/stress/loadgenProtocol';
import { pooledQuantile, quantileInterval, rankFromTop } from '../../../../server/modeltests/stress/quantileInterval';

/** A window holding `values` (any order). */
const win = (values: number[]): LatencyWindow => ({ count: values.length, tailUs: [...values].sort((a, b) => b - a) });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('pooled p99 over windows', () => {
  test('rank from the top as hdr reads a percentile', () => {
    assert.equal(rankFromTop(100, 0.99), 2, '99th of 100 is the 2nd largest');
    assert.equal(rankFromTop(1000, 0.99), 11);
    assert.equal(rankFromTop(1, 0.99), 1);
  });

  test('1..100 in one window or split over four gives 99', () => {
    assert.equal(pooledQuantile([win(range(1, 100))], 0.99), 99);
    assert.equal(pooledQuantile([win(range(1, 25)), win(range(26, 50)), win(range(51, 75)), win(range(76, 100))], 0.99), 99);
  });

  test('multiplicities count a window that many times', () => {
    // 100 × 1 µs and one window of 100 × 500 µs drawn twice: 300 values,
    // the 99th percentile is the 3rd largest, 500.
    assert.equal(pooledQuantile([win(new Array(100).fill(1)), win(new Array(100).fill(500))], 0.99, [1, 2]), 500);
    // The slow window left out: all ones.
    assert.equal(pooledQuantile([win(new Array(100).fill(1)), win(new Array(100).fill(500))], 0.99, [3, 0]), 1);
  });

  test('empty windows are no values', () => {
    assert.equal(pooledQuantile([], 0.99), 0);
    assert.equal(pooledQuantile([win([])], 0.99), 0);
  });
});

describe('block bootstrap interval of p99', () => {
  test('identical windows give a zero-width interval at their p99', () => {
    const ws = Array.from({ length: 10 }, () => win(range(1, 100)));
    const ci = quantileInterval(ws);
    assert.deepEqual(
      { value: ci.value, low: ci.low, high: ci.high, windows: ci.windows, level: ci.level },
      { value: 99, low: 99, high: 99, windows: 10, level: 0.95 },
    );
  });

  test('one window of stalls among quiet ones widens the interval across the two levels', () => {
    // Nine windows of 100 × 1 ms and one whose 100 requests all took 100 ms:
    // pooled, 10 % of requests are slow, so p99 = 100 ms; a resample without
    // the slow window (about a third of them) has p99 = 1 ms.
    const ws = [...Array.from({ length: 9 }, () => win(new Array(100).fill(1000))), win(new Array(100).fill(100_000))];
    const ci = quantileInterval(ws, { seed: 7 });
    assert.equal(ci.value, 100_000);
    assert.equal(ci.low, 1000);
    assert.equal(ci.high, 100_000);
  });

  test('the same windows and seed give the same interval', () => {
    const ws = Array.from({ length: 8 }, (_, i) => win(range(1, 50 + 10 * i)));
    assert.deepEqual(quantileInterval(ws, { seed: 3 }), quantileInterval(ws, { seed: 3 }));
  });

  test('a single window has nothing to resample: zero width, one window', () => {
    const ci = quantileInterval([win(range(1, 100)), win([])]);
    assert.equal(ci.windows, 1);
    assert.equal(ci.low, ci.high);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LOG_BUCKETS_US,
  bucketIndex,
  encodeHistogram,
  mergeHistograms,
  newBuckets,
  newLatencyHistogram,
  recordUs,
  reportHistogram,
  summarizeLatency,
} from '../../../../server/modeltests/stress/latency';

describe('log bucket grid', () => {
  test('bounds are 10 per decade from 1 µs to 100 s', () => {
    assert.equal(LOG_BUCKETS_US.length, 81);
    assert.equal(LOG_BUCKETS_US[0], 1);
    assert.equal(LOG_BUCKETS_US[10], 10);
    assert.equal(LOG_BUCKETS_US[80], 1e8);
  });

  test('a value lands in the first bucket whose upper bound holds it', () => {
    assert.equal(bucketIndex(0.5), 0);
    assert.equal(bucketIndex(1), 0);
    assert.equal(bucketIndex(1.1), 1); // (1, 1.259]
    assert.equal(bucketIndex(10), 10); // an exact bound stays in its bucket
    assert.equal(bucketIndex(100), 20);
    assert.equal(bucketIndex(1000), 30);
    assert.equal(bucketIndex(1001), 31);
    assert.equal(bucketIndex(1e12), 80); // beyond the grid: the last bucket
    for (const us of [3, 47, 350, 12_345, 2_000_000]) {
      const i = bucketIndex(us);
      assert.ok(us <= LOG_BUCKETS_US[i]! && us > LOG_BUCKETS_US[i - 1]!, `${us} in bucket ${i}`);
    }
  });

  test('the report keeps only the occupied range, with readable bounds', () => {
    const b = newBuckets();
    b[bucketIndex(300)] = 5;
    b[bucketIndex(2000)] = 2;
    const h = reportHistogram(b);
    assert.equal(h.bucketsUs[0], 316);
    assert.equal(h.bucketsUs.at(-1), 2510); // 2000 µs is just above 10^3.3 ≈ 1995
    assert.equal(h.counts.length, h.bucketsUs.length);
    assert.equal(h.counts[0], 5);
    assert.equal(h.counts.at(-1), 2);
    assert.equal(
      h.counts.reduce((a, c) => a + c, 0),
      7,
    );
    assert.deepEqual(reportHistogram(newBuckets()), { bucketsUs: [], counts: [] });
  });
});

describe('latency percentiles in µs', () => {
  test('1..1000 µs gives the textbook percentiles', () => {
    const h = newLatencyHistogram();
    const b = newBuckets();
    for (let us = 1; us <= 1000; us++) recordUs(h, b, us);
    const s = summarizeLatency(h);
    assert.equal(s.p50, 500);
    assert.equal(s.p90, 900);
    assert.equal(s.p99, 990);
    assert.equal(s.p999, 999);
    assert.equal(s.max, 1000);
    assert.equal(s.mean, 500.5);
    assert.equal(
      b.reduce((a, c) => a + c, 0),
      1000,
    );
  });

  test('sub-millisecond differences survive (autocannon would round them to whole ms)', () => {
    const h = newLatencyHistogram();
    const b = newBuckets();
    for (let i = 0; i < 99; i++) recordUs(h, b, 180.4);
    recordUs(h, b, 740);
    const s = summarizeLatency(h);
    assert.equal(s.p50, 180);
    assert.equal(s.max, 740);
  });

  test('encoded runs merge into one histogram', () => {
    const a = newLatencyHistogram();
    const b = newLatencyHistogram();
    const bk = newBuckets();
    for (let i = 0; i < 100; i++) recordUs(a, bk, 100);
    for (let i = 0; i < 100; i++) recordUs(b, bk, 300);
    const m = mergeHistograms([encodeHistogram(a), encodeHistogram(b)]);
    assert.equal(m.totalCount, 200);
    const s = summarizeLatency(m);
    assert.equal(s.p50, 100);
    assert.equal(s.p99, 300);
    assert.equal(s.mean, 200);
  });

  test('an empty histogram summarizes to zeros', () => {
    assert.deepEqual(summarizeLatency(newLatencyHistogram()), { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 });
  });
});

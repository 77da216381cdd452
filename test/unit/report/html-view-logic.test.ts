// Pure helpers of the report webview: the common drift scale and formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureDrift } from '../../../server/protocol/report';
import { binLabels, driftComparison, driftScore } from '../../../webview/sections/drift-score';
import { rpsSearchScale } from '../../../webview/sections/axis-scale';
import { duration, latency, num, op, pct, signed, timestamp } from '../../../webview/format';

const feature = (over: Partial<FeatureDrift>): FeatureDrift => ({
  feature: 'x',
  kind: 'numeric',
  method: 'ks',
  why: 'test',
  statistic: 0.2,
  threshold: 0.05,
  drifted: false,
  referenceRows: 100,
  currentRows: 100,
  missing: { reference: 0, current: 0 },
  ...over,
});

test('p-value tests score log p ÷ log α: 1 at the threshold, 2 at α²', () => {
  assert.equal(driftComparison(feature({ pValue: 0.05 })), 'p-value');
  assert.ok(Math.abs(driftScore(feature({ pValue: 0.05, threshold: 0.05 })) - 1) < 1e-12);
  assert.ok(Math.abs(driftScore(feature({ pValue: 0.0001, threshold: 0.01, drifted: true })) - 2) < 1e-12);
  assert.equal(driftScore(feature({ pValue: 1, threshold: 0.01 })), 0);
});

test('distance tests score statistic ÷ threshold', () => {
  assert.equal(driftScore(feature({ method: 'psi', statistic: 0.5, threshold: 0.25, drifted: true })), 2);
  assert.equal(driftScore(feature({ method: 'wasserstein', statistic: 0.05, threshold: 0.1 })), 0.5);
});

test('a KS threshold on the statistic (engine verdict agrees only with it) is scored as a statistic', () => {
  // p = 0.2 would not be drift at α = 0.1, but D = 0.3 > 0.1 and the engine says drifted.
  const f = feature({ statistic: 0.3, pValue: 0.2, threshold: 0.1, drifted: true });
  assert.equal(driftComparison(f), 'statistic');
  assert.ok(Math.abs(driftScore(f) - 3) < 1e-12);
});

test('bin labels: ranges for numeric edges, the categories themselves otherwise', () => {
  assert.deepEqual(
    binLabels([0, 1.5, 3], 2, (n) => String(n)),
    ['0 – 1.5', '1.5 – 3'],
  );
  assert.deepEqual(binLabels(['a', 'b'], 2, String), ['a', 'b']);
});

test('formatting never shows NaN and keeps units readable', () => {
  assert.equal(num(Number.NaN), '—');
  assert.equal(num(null), '—');
  assert.equal(num(0.96491), '0.9649');
  assert.equal(num(12345.6), '12,346');
  assert.equal(num(0.0000596), '5.96e-5');
  assert.equal(latency(612), '612 µs');
  assert.equal(latency(48712), '48.7 ms');
  assert.equal(pct(0.2667), '26.7 %');
  assert.equal(signed(-0.018), '−0.018');
  assert.equal(signed(0.0249), '+0.0249');
  assert.equal(duration(71240), '1 min 11 s');
  assert.equal(timestamp('2027-03-02T10:14:07.000Z'), '2027-03-02 10:14:07 UTC');
  assert.equal(op('>='), '≥');
});

test('the rate-search axis starts at zero and cuts one outlier that would flatten the rest, saying so', () => {
  assert.deepEqual(rpsSearchScale([40, 45, 48, 52], 50), { clipped: 0, title: 'p99 latency (ms)' });
  const cut = rpsSearchScale([40, 45, 48, 52, 2400], 50);
  assert.equal(cut.max, 200);
  assert.equal(cut.clipped, 1);
  assert.equal(cut.title, 'p99 latency (ms; axis cut at 200, 1 point above shown as ▲)');
  assert.deepEqual(rpsSearchScale([1, 2], undefined), { clipped: 0, title: 'p99 latency (ms)' });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Table } from '../../../server/manifest/dataset';
import type { ModelManifest } from '../../../server/manifest/types';
import type { FeatureDrift } from '../../../server/protocol/report';
import { readColumn } from '../../../server/modeltests/staleness/columnValues';
import { driftConfigFor, type FeatureDriftConfig } from '../../../server/modeltests/staleness/driftConfig';
import { driftFeatures, driftTable } from '../../../server/modeltests/staleness/driftTable';
import { computeFeatureDrift } from '../../../server/modeltests/staleness/featureDrift';
import { ksTest } from '../../../server/stats/ks';
import { rng, sorted } from './distributions';

const col = (cells: (string | number)[]) =>
  readColumn(
    cells.map((c) => [String(c)]),
    0,
  );
const auto: FeatureDriftConfig = { method: 'auto', ignore: false };

function noNaN(d: FeatureDrift) {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') assert.ok(Number.isFinite(v), `${path} is ${v}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(d, d.feature);
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(d)));
}

const gaussian = (n: number, mu: number, seed: number) => {
  const next = rng(seed);
  return Array.from({ length: n }, () => {
    // Box–Muller
    const u = Math.max(next(), 1e-12);
    return mu + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  });
};

describe('method choice (Evidently rule) and why', () => {
  test('≤ 1000 reference rows, numeric → KS at p < 0.05; the statistic matches ksTest', () => {
    const a = gaussian(300, 0, 1);
    const b = gaussian(200, 0.5, 2);
    const { drift } = computeFeatureDrift('x', col(a), col(b), auto);
    assert.equal(drift.method, 'ks');
    assert.equal(drift.kind, 'numeric');
    assert.equal(drift.threshold, 0.05);
    assert.match(drift.why, /auto: 300 reference rows ≤ 1000/);
    const expected = ksTest(sorted(a), sorted(b));
    assert.equal(drift.statistic, expected.statistic);
    assert.equal(drift.pValue, expected.pValue);
    assert.equal(drift.drifted, expected.pValue < 0.05);
    assert.ok(drift.drifted, 'a half-sigma shift on 300/200 rows is detected');
    noNaN(drift);
  });

  test('> 1000 rows, numeric → normalised Wasserstein ≥ 0.1; categorical → Jensen–Shannon', () => {
    const a = gaussian(2000, 0, 3);
    const { drift } = computeFeatureDrift('x', col(a), col(gaussian(500, 0.05, 4)), auto);
    assert.equal(drift.method, 'wasserstein');
    assert.equal(drift.threshold, 0.1);
    assert.equal(drift.drifted, drift.statistic >= 0.1);
    const cats = (n: number, p: number, seed: number) => {
      const r = rng(seed);
      return Array.from({ length: n }, () => (r() < p ? 'red' : 'blue'));
    };
    const c = computeFeatureDrift('colour', col(cats(1500, 0.5, 5)), col(cats(400, 0.9, 6)), auto).drift;
    assert.equal(c.method, 'jensenshannon');
    assert.equal(c.kind, 'categorical');
    assert.ok(c.drifted && c.statistic > 0.1 && c.statistic <= 1);
    assert.deepEqual(new Set(c.bins!.edges as string[]), new Set(['red', 'blue']));
  });

  test('a numeric column with ≤ 10 distinct values is categorical → chi-square', () => {
    const next = rng(8);
    const a = Array.from({ length: 400 }, () => Math.floor(next() * 4));
    const b = Array.from({ length: 300 }, () => Math.floor(next() * 4));
    const { drift } = computeFeatureDrift('grade', col(a), col(b), auto);
    assert.equal(drift.kind, 'categorical');
    assert.equal(drift.method, 'chisquare');
    assert.match(drift.why, /4 ≤ 10 distinct values/);
    assert.ok(drift.pValue! > 0.05 && !drift.drifted, `same distribution: p ${drift.pValue}`);
  });

  test('manifest overrides: per-feature method and threshold beat the section-wide ones', () => {
    const m = {
      staleness: { drift: { method: 'ks', threshold: 0.01, features: { r: { method: 'psi', threshold: 0.25 }, s: { method: 'wasserstein' } } } },
    } as unknown as ModelManifest;
    assert.deepEqual(driftConfigFor(m, 'r'), {
      method: 'psi',
      threshold: 0.25,
      ignore: false,
      methodPath: ['staleness', 'drift', 'features', 'r', 'method'],
      thresholdPath: ['staleness', 'drift', 'features', 'r', 'threshold'],
    });
    const s = driftConfigFor(m, 's');
    assert.equal(s.method, 'wasserstein');
    assert.equal(s.threshold, undefined, "a feature with its own method gets that method's default threshold");
    assert.equal(driftConfigFor(m, 'other').threshold, 0.01);
    const d = computeFeatureDrift('r', col(gaussian(300, 0, 1)), col(gaussian(300, 1, 2)), driftConfigFor(m, 'r')).drift;
    assert.equal(d.method, 'psi');
    assert.equal(d.threshold, 0.25);
    assert.match(d.why, /staleness\.drift\.features\.r\.method = psi/);
    assert.ok(d.drifted && d.statistic >= 0.25);
  });

  test('KS forced on a text column runs chi-square and says so', () => {
    const d = computeFeatureDrift('c', col(['a', 'b', 'a', 'b']), col(['a', 'a', 'a', 'c']), {
      method: 'ks',
      methodPath: ['staleness', 'drift', 'method'],
      ignore: false,
    }).drift;
    assert.equal(d.method, 'chisquare');
    assert.match(d.note!, /ks needs numbers/);
    assert.match(d.note!, /absent from the reference: c/);
    noNaN(d);
  });
});

describe('edge cases never produce NaN', () => {
  test('missing values are counted, excluded and reported', () => {
    const a = [1, 2, '', 'NA', 5, 6, 7, 8, 9, 10, 11, 12];
    const b = [1, 'nan', 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 'null'];
    const d = computeFeatureDrift('x', col(a), col(b), auto).drift;
    assert.deepEqual(d.missing, { reference: 2, current: 2 });
    assert.equal(d.referenceRows, 10);
    assert.equal(d.currentRows, 11);
    assert.equal(d.kind, 'numeric');
    assert.match(d.note!, /missing values excluded: 2 of 12 reference, 2 of 13 current/);
    noNaN(d);
  });

  test('constant in reference: drift is any change of value', () => {
    const same = computeFeatureDrift('px', col([0, 0, 0, 0]), col([0, 0, 0]), auto);
    assert.equal(same.drift.drifted, false);
    assert.equal(same.drift.statistic, 0);
    assert.match(same.drift.why, /constant in reference.*drift is any change of value/);
    const changed = computeFeatureDrift('px', col([0, 0, 0, 0]), col([0, 3, 0, 0]), { method: 'wasserstein', ignore: false }).drift;
    assert.equal(changed.drifted, true);
    assert.equal(changed.statistic, 0.25);
    assert.equal(changed.threshold, 0);
    assert.match(changed.note!, /1 of 4 current values differ from the reference constant 0/);
    noNaN(same.drift);
    noNaN(changed);
  });

  test('every current value missing → drifted with an explanation; every reference value missing → not counted', () => {
    const cur = computeFeatureDrift('x', col([1, 2, 3]), col(['', 'NA']), auto);
    assert.equal(cur.drift.drifted, true);
    assert.equal(cur.counted, true);
    assert.match(cur.drift.note!, /every current value \(2\) is missing/);
    const ref = computeFeatureDrift('x', col(['', '']), col([1, 2]), auto);
    assert.equal(ref.counted, false);
    assert.equal(ref.drift.drifted, false);
    noNaN(cur.drift);
    noNaN(ref.drift);
  });

  test('drift table: features from the signature, absent columns listed, share counts tested features only', () => {
    const table = (columns: string[], rows: (string | number)[][]): Table => ({ path: 't.csv', columns, rows: rows.map((r) => r.map(String)) });
    const reference = table(
      ['a', 'b', 'y'],
      Array.from({ length: 50 }, (_, i) => [i, i % 7, i % 2]),
    );
    const current = table(
      ['a', 'y'],
      Array.from({ length: 40 }, (_, i) => [i + 100, i % 2]),
    );
    const m = { data: { labelColumn: 'y' } } as unknown as ModelManifest;
    assert.deepEqual(driftFeatures(m, reference, current).features, ['a']);
    const withSig = {
      ...m,
      signature: { inputs: [{ name: 'in', dtype: 'float32', shape: [-1, 2], features: ['a', 'b'] }], outputs: [] },
    } as unknown as ModelManifest;
    const { features } = driftFeatures(withSig, reference, current);
    assert.deepEqual(features, ['a', 'b']);
    const t = driftTable(withSig, reference, current, features);
    assert.deepEqual(t.absent, [{ feature: 'b', from: 'current' }]);
    assert.equal(t.tested, 1);
    assert.equal(t.drifted, 1);
  });
});

test('drift counts the same missing-value words as lint and the metrics suite ("-" and "?" too)', () => {
  const c = col([1, 2, '-', 3, '?', 'N/A', '', 4]);
  assert.ok(c.numeric, 'still a numeric column');
  assert.equal(c.missing, 4);
  assert.deepEqual(Array.from(c.numeric!), [1, 2, 3, 4]);
});

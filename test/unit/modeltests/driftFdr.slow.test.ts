// Drift across many features: the Benjamini–Hochberg correction (against a
// naive reference implementation, and on 3,072 identically distributed
// features where without it about 5% are marked drifted), and inputs tested
// as a whole on per-row summaries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Table } from '../../../server/manifest/dataset';
import type { ModelManifest } from '../../../server/manifest/types';
import { driftFeatures, driftTable } from '../../../server/modeltests/staleness/driftTable';
import { benjaminiHochberg } from '../../../server/stats/multipleTesting';
import { rng } from './distributions';

/** BH straight from its definition, O(m²): adj(i) = min over j with p(j) ≥ p(i) of m·p(j)/rank(j). */
function naiveBH(p: number[]): number[] {
  const m = p.length;
  const ranked = [...p].sort((a, b) => a - b);
  return p.map((pi) => {
    let best = 1;
    ranked.forEach((pj, j) => {
      if (pj >= pi) best = Math.min(best, (m * pj) / (j + 1));
    });
    return best;
  });
}

const gaussian = (next: () => number) => {
  const u = Math.max(next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
};

/** A table of `rows` rows and `width` columns f0…; column j holds N(shift(j), 1). */
function table(path: string, rows: number, width: number, seed: number, shift: (j: number) => number = () => 0): Table {
  const next = rng(seed);
  const columns = Array.from({ length: width }, (_, j) => `f${j}`);
  const data: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Array<string>(width);
    for (let j = 0; j < width; j++) row[j] = (shift(j) + gaussian(next)).toFixed(5);
    data.push(row);
  }
  return { path, columns, rows: data };
}

const manifest = (drift: NonNullable<NonNullable<ModelManifest['staleness']>['drift']> = {}) =>
  ({
    apiVersion: 'modelgate/v1',
    kind: 'Model',
    metadata: { name: 'm', version: '1.0.0' },
    model: { artifact: 'm.onnx', task: 'classification' },
    staleness: { drift: { maxDriftedShare: 0.1, ...drift } },
  }) as ModelManifest;

describe('Benjamini–Hochberg', () => {
  test('matches the definition on a worked example, keeps the input order and leaves NaN out of m', () => {
    const p = [0.205, 0.001, 0.042, 0.008, 0.039, 0.041, 0.06, 0.074, 0.94, 0.212, 0.5, 0.03];
    const adj = benjaminiHochberg(p);
    naiveBH(p).forEach((e, i) => assert.ok(Math.abs(adj[i]! - e) < 1e-15, `p[${i}]=${p[i]}: ${adj[i]} vs ${e}`));
    // by hand: the smallest of 12 becomes 12 · 0.001 / 1
    assert.ok(Math.abs(adj[1]! - 0.012) < 1e-15);
    assert.ok(
      adj.every((a, i) => a >= p[i]!),
      'never below the raw p-value',
    );
    const withNaN = benjaminiHochberg([0.01, Number.NaN, 0.04]);
    assert.ok(Number.isNaN(withNaN[1]!));
    assert.deepEqual([withNaN[0], withNaN[2]], naiveBH([0.01, 0.04]));
  });
});

describe('3,072 identically distributed features', () => {
  const width = 3072;
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  test('uncorrected, about 5% are marked drifted; with Benjamini–Hochberg the false-discovery level holds', () => {
    let anyDiscovery = 0;
    let uncorrected = 0;
    for (const seed of seeds) {
      const reference = table('reference.csv', 300, width, seed * 2);
      const current = table('current.csv', 300, width, seed * 2 + 1);
      const m = manifest();
      const { features } = driftFeatures(m, reference, current);
      const t = driftTable(m, reference, current, features);
      assert.equal(t.tested, width);
      assert.equal(t.multipleTesting.method, 'benjamini-hochberg');
      assert.equal(t.multipleTesting.tests, width, 'every feature ran KS (300 reference rows ≤ 1000)');
      uncorrected += t.multipleTesting.driftedUncorrected / width;
      if (t.drifted > 0) anyDiscovery++;
      const f0 = t.outcomes[0]!.drift;
      assert.ok(f0.adjustedPValue! >= f0.pValue!);
      assert.match(f0.why, /Benjamini–Hochberg adjusted over the 3072 features/);
    }
    const meanUncorrected = uncorrected / seeds.length;
    // KS's asymptotic p-value is slightly conservative at 300 rows: a little under 5%
    assert.ok(meanUncorrected > 0.025 && meanUncorrected < 0.065, `uncorrected drifted share ${meanUncorrected}`);
    // every discovery is false here, so FDR = P(any discovery) ≤ 0.05: expected 0.4 of 8 runs
    assert.ok(anyDiscovery <= 2, `${anyDiscovery} of ${seeds.length} runs marked a feature drifted`);
  });

  test('multipleTesting: none judges each p-value alone (the old behaviour, stated in the report)', () => {
    const reference = table('reference.csv', 300, width, 100);
    const current = table('current.csv', 300, width, 101);
    const m = manifest({ multipleTesting: 'none' });
    const t = driftTable(m, reference, current, driftFeatures(m, reference, current).features);
    assert.equal(t.multipleTesting.method, 'none');
    assert.equal(t.drifted, t.multipleTesting.driftedUncorrected);
    assert.ok(t.drifted > 50, `${t.drifted} of 3072 drifted by chance`);
    assert.equal(t.outcomes[0]!.drift.adjustedPValue, undefined);
    assert.match(t.multipleTesting.why, /on its own/);
  });

  test('power is kept: 60 features shifted by 0.5 sd among 3,072 are found, with few false discoveries', () => {
    const shifted = (j: number) => (j % 51 === 0 && j / 51 < 60 ? 0.5 : 0);
    const reference = table('reference.csv', 300, width, 200);
    const current = table('current.csv', 300, width, 201, shifted);
    const m = manifest();
    const t = driftTable(m, reference, current, driftFeatures(m, reference, current).features);
    const found = t.outcomes.filter((o) => o.drift.drifted).map((o) => Number(o.drift.feature.slice(1)));
    const trueHits = found.filter((j) => shifted(j) > 0).length;
    assert.ok(trueHits >= 50, `${trueHits} of 60 shifted features found`);
    assert.ok((found.length - trueHits) / found.length <= 0.1, `${found.length - trueHits} false of ${found.length}`);
  });
});

describe('an input tested as a whole (perFeature: false)', () => {
  const width = 64;
  const withImage = (drift: NonNullable<NonNullable<ModelManifest['staleness']>['drift']> = {}) =>
    ({
      ...manifest({ inputs: { image: { perFeature: false } }, ...drift }),
      signature: {
        inputs: [{ name: 'image', dtype: 'float32', shape: ['batch', 64], features: Array.from({ length: width }, (_, j) => `f${j}`) }],
        outputs: [{ name: 'p', dtype: 'float32', shape: ['batch', 2] }],
      },
    }) as ModelManifest;

  test('three summary rows replace the 64 feature rows; identical distributions do not drift', () => {
    const m = withImage();
    const reference = table('reference.csv', 400, width, 300);
    const current = table('current.csv', 400, width, 301);
    const f = driftFeatures(m, reference, current);
    assert.deepEqual(f.features, []);
    assert.deepEqual(
      f.summarized.map((s) => [s.input, s.features.length]),
      [['image', 64]],
    );
    const t = driftTable(m, reference, current, f.features, f.summarized);
    assert.deepEqual(
      t.outcomes.map((o) => o.drift.feature),
      ['image: row mean', 'image: row standard deviation', 'image: distance to the reference centroid'],
    );
    assert.equal(t.tested, 3);
    assert.equal(t.drifted, 0);
    for (const o of t.outcomes) {
      assert.deepEqual(o.drift.summaryOf?.input, 'image');
      assert.match(o.drift.why, /perFeature: false/);
    }
  });

  test('a brightness change moves the row mean; a change with the same mean moves the distance to the centroid', () => {
    const m = withImage();
    const reference = table('reference.csv', 400, width, 400);
    const brighter = table('current.csv', 400, width, 401, () => 0.3);
    const a = driftTable(m, reference, brighter, [], driftFeatures(m, reference, brighter).summarized);
    assert.ok(a.outcomes[0]!.drift.drifted, 'row mean');
    // half the features up, half down by 0.6: the row mean stays, each row moves away from the centroid
    const swapped = table('current.csv', 400, width, 402, (j) => (j % 2 ? 0.6 : -0.6));
    const b = driftTable(m, reference, swapped, [], driftFeatures(m, reference, swapped).summarized);
    const by = Object.fromEntries(b.outcomes.map((o) => [o.drift.summaryOf!.statistic, o.drift.drifted]));
    assert.equal(by['row mean'], false);
    assert.equal(by['distance to the reference centroid'], true);
  });

  test('a missing cell makes its row a missing value of each summary, counted in the row', () => {
    const m = withImage();
    const reference = table('reference.csv', 100, width, 500);
    const current = table('current.csv', 100, width, 501);
    current.rows[3]![7] = 'n/a';
    const t = driftTable(m, reference, current, [], driftFeatures(m, reference, current).summarized);
    for (const o of t.outcomes) {
      assert.deepEqual(o.drift.missing, { reference: 0, current: 1 });
      assert.equal(o.drift.currentRows, 99);
    }
  });

  test('an input whose columns are missing from the data is reported absent, not tested', () => {
    const m = withImage();
    const reference = table('reference.csv', 50, width - 1, 600);
    const current = table('current.csv', 50, width, 601);
    const t = driftTable(m, reference, current, [], driftFeatures(m, reference, current).summarized);
    assert.equal(t.outcomes.length, 0);
    assert.deepEqual(t.absent, [{ feature: 'image (f63)', from: 'reference' }]);
  });
});

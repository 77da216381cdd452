import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chiSquareHomogeneity, chiSquareSurvival } from '../../../server/stats/chiSquare';
import { logGamma, regularizedGammaP, regularizedGammaQ } from '../../../server/stats/gamma';
import { jensenShannonDistance } from '../../../server/stats/jensenShannon';
import { kolmogorovSurvival, ksStatistic, ksTest } from '../../../server/stats/ks';
import { quantileSorted } from '../../../server/stats/numbers';
import { PSI_EMPTY_BIN_SHARE, psi } from '../../../server/stats/psi';
import { binCounts, quantileEdges } from '../../../server/stats/quantileBins';
import { normalizedWasserstein, wasserstein1 } from '../../../server/stats/wasserstein';
import { erf, normalCdf, normalQuantile, rng, sorted, stratifiedNormal } from '../modeltests/distributions';

const close = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected} ± ${tol}, got ${actual}`);

const N = 20_000;
const ref = sorted(stratifiedNormal(N, 0));
const cur = sorted(stratifiedNormal(N, 0.5));

describe('PSI', () => {
  test('N(0,1) vs N(0.5,1) on 10 reference-quantile bins approaches the analytic value', () => {
    // Reference deciles z_k of N(0,1); the shifted distribution puts
    // Φ(z_k − 0.5) − Φ(z_{k−1} − 0.5) in bin k, the reference 0.1.
    const z = [-Infinity, ...Array.from({ length: 9 }, (_, k) => normalQuantile((k + 1) / 10)), Infinity];
    let expected = 0;
    for (let k = 1; k <= 10; k++) {
      const c = normalCdf(z[k]! - 0.5) - normalCdf(z[k - 1]! - 0.5);
      expected += (c - 0.1) * Math.log(c / 0.1);
    }
    const r = psi(ref, cur);
    assert.equal(r.edges.length, 9);
    close(r.value, expected, 0.002, 'PSI');
    // Shifting by half a standard deviation is a well-known "significant" PSI (> 0.2).
    assert.ok(expected > 0.2 && expected < 0.3, `analytic PSI ${expected}`);
    r.reference.forEach((s) => close(s, 0.1, 1e-3, 'reference share'));
  });

  test('hand-computed two-bin example', () => {
    const a = sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const b = sorted([1, 2, 3, 6, 7, 8, 9, 10, 11, 12]);
    const r = psi(a, b, 2);
    assert.deepEqual(r.edges, [5.5]);
    assert.deepEqual(r.current, [0.3, 0.7]);
    close(r.value, (0.3 - 0.5) * Math.log(0.3 / 0.5) + (0.7 - 0.5) * Math.log(0.7 / 0.5), 1e-12);
  });

  test('an empty current bin counts as the epsilon share, keeping PSI finite', () => {
    const a = sorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = psi(a, sorted([1, 1, 1]), 2);
    const e = PSI_EMPTY_BIN_SHARE;
    close(r.value, (1 - 0.5) * Math.log(1 / 0.5) + (e - 0.5) * Math.log(e / 0.5), 1e-12);
    assert.ok(Number.isFinite(r.value));
  });

  test('identical samples have PSI 0; tied reference values merge bins', () => {
    assert.equal(psi(ref, ref).value, 0);
    const tied = sorted([0, 0, 0, 0, 0, 0, 1, 1, 2, 3]);
    const edges = quantileEdges(tied, 10);
    assert.deepEqual(edges, [...new Set(edges)]);
    assert.ok(edges.length < 9);
    assert.equal(
      binCounts(tied, edges).reduce((a, b) => a + b, 0),
      10,
    );
  });

  test('quantiles interpolate linearly like numpy', () => {
    close(quantileSorted([1, 2, 3, 4], 0.5), 2.5, 1e-15);
    close(quantileSorted([10, 20, 30, 40, 50], 0.1), 14, 1e-12);
  });
});

describe('Kolmogorov–Smirnov', () => {
  test('D for N(0,1) vs N(0.5,1) approaches sup|Φ(x) − Φ(x − 0.5)| = 2Φ(0.25) − 1', () => {
    const expected = 2 * normalCdf(0.25) - 1;
    close(expected, 0.19741, 1e-5, 'analytic D');
    const r = ksTest(ref, cur);
    close(r.statistic, expected, 2 / N, 'D');
    assert.ok(r.pValue < 1e-100 || r.pValue === 0, `p ${r.pValue}`);
  });

  test('D equals a brute-force maximum over every data point, with ties', () => {
    const next = rng(42);
    for (let trial = 0; trial < 20; trial++) {
      const a = Array.from({ length: 37 }, () => Math.round(next() * 10));
      const b = Array.from({ length: 53 }, () => Math.round(next() * 10 + trial / 10));
      let brute = 0;
      for (const x of [...a, ...b]) {
        const fa = a.filter((v) => v <= x).length / a.length;
        const fb = b.filter((v) => v <= x).length / b.length;
        brute = Math.max(brute, Math.abs(fa - fb));
      }
      close(ksStatistic(sorted(a), sorted(b)), brute, 1e-12, `trial ${trial}`);
    }
  });

  test('Kolmogorov survival matches table values and a long alternating series', () => {
    close(kolmogorovSurvival(1.3581), 0.05, 2e-4, 'Q(1.3581)');
    close(kolmogorovSurvival(1.6276), 0.01, 1e-4, 'Q(1.6276)');
    close(kolmogorovSurvival(1.2238), 0.1, 2e-4, 'Q(1.2238)');
    close(kolmogorovSurvival(0.5), 1 - 0.0360547563, 1e-8, 'Q(0.5)');
    for (let l = 0.4; l <= 3; l += 0.05) {
      let s = 0;
      for (let k = 1; k <= 1000; k++) s += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * l * l);
      close(kolmogorovSurvival(l), s, 1e-10, `Q(${l.toFixed(2)})`);
    }
    assert.equal(kolmogorovSurvival(0), 1);
    assert.ok(kolmogorovSurvival(0.05) > 0.999999);
  });

  test('identical samples: D = 0, p = 1; p-value uses λ = D·√(nm/(n+m))', () => {
    assert.deepEqual(ksTest(ref, ref), { statistic: 0, pValue: 1 });
    const a = sorted([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = sorted([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const r = ksTest(a, b);
    // At x = 8: F_a = 8/8, F_b = 5/10.
    close(r.statistic, 0.5, 1e-12);
    close(r.pValue, kolmogorovSurvival(0.5 * Math.sqrt(80 / 18)), 1e-15);
  });
});

describe('Wasserstein', () => {
  test('a shift by 0.5 of N(0,1) gives W1 ≈ 0.5 and ≈ 0.5 reference standard deviations', () => {
    close(wasserstein1(ref, cur), 0.5, 1e-9);
    close(normalizedWasserstein(ref, cur), 0.5, 0.002);
  });

  test('equals the quantile-function integral ∫|Qa(u) − Qb(u)| du for unequal sizes', () => {
    const next = rng(7);
    for (let trial = 0; trial < 10; trial++) {
      const a = sorted(Array.from({ length: 11 + trial }, () => next() * 5));
      const b = sorted(Array.from({ length: 17 }, () => next() * 5 + 1));
      const us = [...new Set([0, 1, ...Array.from(a, (_, k) => (k + 1) / a.length), ...Array.from(b, (_, k) => (k + 1) / b.length)])].sort((x, y) => x - y);
      let brute = 0;
      for (let i = 1; i < us.length; i++) {
        const mid = (us[i - 1]! + us[i]!) / 2;
        const qa = a[Math.ceil(mid * a.length) - 1]!;
        const qb = b[Math.ceil(mid * b.length) - 1]!;
        brute += Math.abs(qa - qb) * (us[i]! - us[i - 1]!);
      }
      close(wasserstein1(a, b), brute, 1e-12, `trial ${trial}`);
    }
  });

  test('a constant reference divides by the 0.001 floor, not by zero', () => {
    const w = normalizedWasserstein(sorted([2, 2, 2]), sorted([2, 3]));
    close(w, 0.5 / 0.001, 1e-9);
  });
});

describe('chi-square', () => {
  test('log-gamma at known points', () => {
    close(logGamma(5), Math.log(24), 1e-13);
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    let lf = 0;
    for (let k = 2; k < 100; k++) lf += Math.log(k);
    close(logGamma(100), lf, 1e-10);
  });

  test('p-values match chi-square table critical values', () => {
    const table: [number, number, number][] = [
      [3.841, 1, 0.05],
      [6.635, 1, 0.01],
      [5.991, 2, 0.05],
      [9.21, 2, 0.01],
      [7.815, 3, 0.05],
      [11.07, 5, 0.05],
      [18.307, 10, 0.05],
      [23.209, 10, 0.01],
      [43.773, 30, 0.05],
      [124.342, 100, 0.05],
    ];
    for (const [x, df, p] of table) close(chiSquareSurvival(x, df), p, 2e-4, `χ²(${x}, ${df})`);
  });

  test('closed forms for df = 1, 2 and 4 across series and continued-fraction regions', () => {
    for (const x of [0.01, 0.5, 1, 2.5, 4, 7.9]) close(chiSquareSurvival(x, 1), 1 - erf(Math.sqrt(x / 2)), 1e-11, `df1 x=${x}`);
    for (const x of [0.1, 1, 3, 10, 40, 200]) close(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-14 + 1e-12 * Math.exp(-x / 2), `df2 x=${x}`);
    for (const x of [0.2, 2, 5, 30]) close(chiSquareSurvival(x, 4), Math.exp(-x / 2) * (1 + x / 2), 1e-13, `df4 x=${x}`);
    for (const [a, x] of [
      [3, 1],
      [3, 10],
      [0.5, 0.3],
      [40, 35],
    ] as const)
      close(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-13);
  });

  test('homogeneity test on a hand-computed 2×2 table', () => {
    // Row totals 30/30, column totals 30/30 → every expected count 15.
    const r = chiSquareHomogeneity([10, 20], [20, 10])!;
    close(r.statistic, (4 * 25) / 15, 1e-12);
    assert.equal(r.df, 1);
    close(r.pValue, 1 - erf(Math.sqrt(r.statistic / 2)), 1e-11);
  });

  test('a category new in current data is finite; empty sides and one category are handled', () => {
    const r = chiSquareHomogeneity([50, 50, 0], [40, 40, 20])!;
    assert.ok(Number.isFinite(r.statistic) && r.pValue < 0.001);
    assert.equal(r.df, 2);
    assert.equal(chiSquareHomogeneity([0, 0], [1, 2]), null);
    assert.deepEqual(chiSquareHomogeneity([5, 0], [7, 0]), { statistic: 0, df: 0, pValue: 1 });
  });
});

describe('Jensen–Shannon distance', () => {
  test('0 for equal, 1 for disjoint, and a hand-derived value', () => {
    assert.equal(jensenShannonDistance([0.3, 0.7], [3, 7]), 0);
    close(jensenShannonDistance([1, 0], [0, 1]), 1, 1e-15);
    // p = (½, ½), q = (1, 0): JS = 1.5 − ¾·log₂3.
    close(jensenShannonDistance([0.5, 0.5], [1, 0]), Math.sqrt(1.5 - 0.75 * Math.log2(3)), 1e-14);
    close(jensenShannonDistance([1, 0], [0.5, 0.5]), jensenShannonDistance([0.5, 0.5], [1, 0]), 1e-15);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calibration } from '../../../server/modeltests/metrics/calibration';
import { classificationMetrics } from '../../../server/modeltests/metrics/classification';
import { mapLabels } from '../../../server/modeltests/metrics/labels';
import { metricValue } from '../../../server/modeltests/metrics/metricValue';
import { regressionMetrics } from '../../../server/modeltests/metrics/regression';
import { rocAuc, rocCurve } from '../../../server/modeltests/metrics/rocAuc';
import { rng } from './distributions';

const close = (actual: number | undefined, expected: number, tol = 1e-12, what = '') =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tol, `${what} expected ${expected} ± ${tol}, got ${actual}`);

// Ten rows, classes [neg, pos]; pos probability p.
const P = [0.1, 0.4, 0.35, 0.8, 0.7, 0.9, 0.6, 0.3, 0.8, 0.55];
const T = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
const probs = P.flatMap((p) => [1 - p, p]);
const m = classificationMetrics(Int32Array.from(T), probs, ['neg', 'pos']);

/** Trapezoid rule under (fpr, tpr) points, computed here independently of the engine. */
function trapezoid(fpr: number[], tpr: number[]): number {
  let a = 0;
  for (let i = 1; i < fpr.length; i++) a += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return a;
}

describe('binary classification on a hand-checked set', () => {
  test('confusion matrix, accuracy, per-class and averaged precision/recall/F1', () => {
    // Predicted pos when p > 0.5: rows 3 (a negative) and 4,5,6,8,9; row 7 (p 0.3) is a missed positive.
    assert.deepEqual(m.confusion.matrix, [
      [3, 1],
      [1, 5],
    ]);
    close(m.overall.accuracy, 0.8);
    const [neg, pos] = m.perClass;
    close(neg!.precision, 3 / 4);
    close(neg!.recall, 3 / 4);
    close(pos!.precision, 5 / 6);
    close(pos!.f1, 5 / 6);
    assert.equal(pos!.support, 6);
    close(m.overall.f1_macro, (3 / 4 + 5 / 6) / 2);
    close(m.overall.f1_weighted, (0.75 * 4 + (5 / 6) * 6) / 10);
    close(m.overall.recall_binary, 5 / 6);
    close(m.overall.precision_micro, 0.8);
  });

  test('ROC AUC by pair counting (17.5 of 24 pairs), equal to the trapezoid under the ROC points', () => {
    close(m.overall.roc_auc, 17.5 / 24);
    const curve = m.roc[0]!;
    assert.equal(curve.label, 'pos');
    close(trapezoid(curve.fpr, curve.tpr), 17.5 / 24);
    assert.deepEqual([curve.fpr[0], curve.tpr[0], curve.fpr.at(-1), curve.tpr.at(-1)], [0, 0, 1, 1]);
  });

  test('log loss and ECE by hand', () => {
    const pTrue = [0.9, 0.6, 0.65, 0.2, 0.7, 0.9, 0.6, 0.3, 0.8, 0.55];
    close(m.overall.log_loss, -pTrue.reduce((a, p) => a + Math.log(p), 0) / 10, 1e-12);
    // Bins (0.5,0.6]: conf .6,.6,.55 all right → 0.3·|1 − 0.58333|; (0.6,0.7]: .65,.7,.7, 2 right → 0.3·|2/3 − 0.68333|;
    // (0.7,0.8]: .8,.8, 1 right → 0.2·0.3; (0.8,0.9]: .9,.9 right → 0.2·0.1.
    close(m.overall.ece, 0.125 + 0.005 + 0.06 + 0.02, 1e-12);
    assert.deepEqual(
      m.calibration.map((b) => b.count),
      [3, 3, 2, 2],
    );
  });

  test('log loss clips a zero probability at 1e-15', () => {
    const r = classificationMetrics(Int32Array.from([1]), [1, 0], ['a', 'b']);
    close(r.overall.log_loss, -Math.log(1e-15), 1e-9);
  });
});

describe('ROC AUC', () => {
  test('rank formula equals brute-force pair counting and the trapezoid, with many ties', () => {
    const next = rng(3);
    for (let trial = 0; trial < 25; trial++) {
      const n = 30 + trial;
      const scores = Array.from({ length: n }, () => Math.round(next() * 8) / 8);
      const pos = Array.from({ length: n }, (_, i) => (next() < 0.4 + scores[i]! / 3 ? 1 : 0));
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (pos[i] && !pos[j]) {
            pairs++;
            wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
          }
        }
      if (pairs === 0) continue;
      const auc = rocAuc(scores, pos);
      close(auc, wins / pairs, 1e-12, `trial ${trial}`);
      const c = rocCurve(scores, pos);
      close(trapezoid(c.fpr, c.tpr), auc, 1e-12, `trapezoid ${trial}`);
    }
  });

  test('undefined with a single class; thinned curves keep their ends', () => {
    assert.ok(Number.isNaN(rocAuc([0.1, 0.2], [1, 1])));
    const next = rng(9);
    const s = Array.from({ length: 1000 }, () => next());
    const c = rocCurve(
      s,
      s.map((v) => (v > 0.5 ? 1 : 0)),
      50,
    );
    assert.equal(c.fpr.length, 50);
    assert.deepEqual([c.fpr[0], c.tpr[0], c.fpr.at(-1), c.tpr.at(-1)], [0, 0, 1, 1]);
  });
});

describe('multiclass', () => {
  test('one-vs-rest macro AUC averages per-class pair-counted AUCs', () => {
    const truth = Int32Array.from([0, 1, 2, 0, 1, 2, 2, 1]);
    const pr = [0.7, 0.2, 0.1, 0.3, 0.4, 0.3, 0.1, 0.3, 0.6, 0.5, 0.25, 0.25, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4, 0.2, 0.1, 0.8, 0.1];
    const r = classificationMetrics(truth, pr, ['a', 'b', 'c']);
    const perClass = [0, 1, 2].map((c) => {
      let wins = 0;
      let pairs = 0;
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 8; j++) {
          if (truth[i] === c && truth[j] !== c) {
            pairs++;
            const si = pr[i * 3 + c]!;
            const sj = pr[j * 3 + c]!;
            wins += si > sj ? 1 : si === sj ? 0.5 : 0;
          }
        }
      return wins / pairs;
    });
    close(r.overall.roc_auc, (perClass[0]! + perClass[1]! + perClass[2]!) / 3);
    assert.equal(r.roc.length, 3);
    // Row 7 predicts b (0.8) correctly; row 6 ties a/b at 0.4 → first (a).
    assert.equal(
      r.confusion.matrix.flat().reduce((a, b) => a + b, 0),
      8,
    );
    assert.equal(r.overall.precision_binary, undefined);
  });
});

describe('calibration', () => {
  test('a perfectly calibrated bin contributes nothing; 0 confidence lands in the first bin', () => {
    const c = calibration([0.75, 0.75, 0.75, 0.75, 0], [1, 1, 1, 0, 0]);
    close(c.ece, (1 / 5) * 0 + (4 / 5) * 0);
    assert.equal(c.bins[0]!.lo, 0);
  });
});

describe('regression', () => {
  test('scikit-learn documentation examples', () => {
    const r = regressionMetrics([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]);
    close(r.overall.mae, 0.5);
    close(r.overall.rmse, Math.sqrt(0.375));
    close(r.overall.r2, 0.9486081370449679, 1e-12);
    close(r.overall.mape, 0.3273809523809524, 1e-12);
  });

  test('zero targets are skipped in MAPE and counted; constant targets leave R² out, never NaN', () => {
    const r = regressionMetrics([0, 2, 4], [1, 2, 5]);
    close(r.overall.mape, (0 + 0.25) / 2);
    assert.match(r.notes.join(' '), /skips 1 row/);
    const c = regressionMetrics([5, 5], [4, 6]);
    assert.equal(c.overall.r2, undefined);
    assert.ok(Object.values(c.overall).every(Number.isFinite));
  });
});

describe('labels and metric lookup', () => {
  test('index labels and name labels', () => {
    const a = mapLabels(['0', '1', '1', ''], ['malignant', 'benign']);
    assert.deepEqual([...a.indices], [0, 1, 1, -1]);
    assert.equal(a.unknown, 1);
    assert.match(a.how, /indices/);
    const b = mapLabels(['benign', 'malignant', 'other'], ['malignant', 'benign']);
    assert.deepEqual([...b.indices], [1, 0, -1]);
    assert.deepEqual(b.unknownExamples, ['other']);
  });

  test('gate specs resolve to the right value or a reason', () => {
    const cm = { task: 'classification' as const, overall: m.overall, perClass: m.perClass, aucPerClass: m.aucPerClass, classLabels: ['neg', 'pos'] };
    assert.deepEqual(metricValue(cm, { metric: 'recall', class: 'neg' }), { key: 'recall[neg]', value: 0.75 });
    assert.deepEqual(metricValue(cm, { metric: 'f1' }), { key: 'f1_macro', value: m.overall.f1_macro });
    assert.equal((metricValue(cm, { metric: 'precision', average: 'binary' }) as { value: number }).value, 5 / 6);
    assert.match((metricValue(cm, { metric: 'mae' }) as { error: string }).error, /regression metric/);
    assert.match((metricValue(cm, { metric: 'recall', class: 'x' }) as { error: string }).error, /not in model.classLabels/);
  });
});

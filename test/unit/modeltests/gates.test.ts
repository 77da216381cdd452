import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from '../../../server/manifest/parse';
import { formatNumber, gate, sourceOf, unmeasuredGate } from '../../../server/modeltests/gates';
import { compareWithBaseline, worsening } from '../../../server/modeltests/metrics/baseline';
import { metricGates } from '../../../server/modeltests/metrics/metricGates';
import type { LoadedManifest } from '../../../server/manifest/load';
import type { ModelManifest } from '../../../server/manifest/types';

const text = `apiVersion: modelgate/v1
kind: Model
metadata: {name: m, version: 1.0.0}
model: {artifact: model.onnx, task: classification, classLabels: [a, b]}
gates:
  metrics:
    - metric: accuracy
      min: 0.9
    - metric: recall
      class: a
      min: 0.5
      max: 0.99
    - metric: accuracy
      min: 0.95
  maxRegression:
    - metric: log_loss
      maxAbsoluteDrop: 0.01
      maxRelativeDrop: 0.1
staleness:
  maxModelAge: 365d
`;
const parsed = parseManifest(text);
const loaded = { path: '/m/model.yaml', dir: '/m', manifest: parsed.value as ModelManifest, parsed, diagnostics: [] } as LoadedManifest;

test('sourceOf points at the key that set the threshold (1-based line and column)', () => {
  assert.deepEqual(sourceOf(loaded, ['staleness', 'maxModelAge']), { path: ['staleness', 'maxModelAge'], line: 20, column: 3 });
  assert.deepEqual(sourceOf(loaded, ['gates', 'metrics', 1, 'max']), { path: ['gates', 'metrics', 1, 'max'], line: 12, column: 7 });
  assert.equal(sourceOf(loaded, ['staleness', 'maxDataAge']), undefined);
});

test('gate: pass/fail, signed margin and a message naming the gate and by how much', () => {
  const base = { id: 'staleness.modelAge', suite: 'staleness' as const, metric: 'model age', how: 'h' };
  const fail = gate({ ...base, threshold: { op: '<=', value: 365, unit: 'd' }, measured: 731 });
  assert.equal(fail.pass, false);
  assert.equal(fail.margin, -366);
  assert.equal(fail.message, 'staleness.modelAge: 731 d > 365 d by 366 d');
  const ok = gate({ ...base, threshold: { op: '>=', value: 0.05 }, measured: 0.5, detail: 'p-value' });
  assert.equal(ok.pass, true);
  assert.equal(ok.margin, 0.45);
  assert.equal(ok.message, 'staleness.modelAge: 0.5 ≥ 0.05 (headroom 0.45) (p-value)');
  const strict = gate({ ...base, threshold: { op: '<', value: 0.1 }, measured: 0.1 });
  assert.equal(strict.pass, false, '< is strict');
  const none = unmeasuredGate({ ...base, threshold: { op: '<=', value: 1 } }, 'model.trainedAt is not set');
  assert.deepEqual([none.status, none.pass, none.measured, none.margin, none.reason], ['not run', false, null, undefined, 'model.trainedAt is not set']);
  assert.match(none.message, /not run — model.trainedAt is not set/);
  assert.ok(none.nextStep, 'a not-run gate says what to do next');
  assert.deepEqual([fail.status, ok.status], ['failed', 'passed']);
  assert.equal(gate({ ...base, threshold: { op: '<=', value: 1 }, measured: Number.NaN }).measured, null);
  assert.equal(formatNumber(0.0001234567), '0.0001235');
});

test('gate statuses: a value that cannot be trusted is inconclusive, a value that is wrong can fail without a number', () => {
  const base = { id: 'stress.p99', suite: 'stress' as const, metric: 'p99', how: 'h', threshold: { op: '<=' as const, value: 50, unit: 'ms' } };
  const doubt = gate({ ...base, measured: 80, inconclusive: 'the load generator was the bottleneck', nextStep: 'close other programs' });
  assert.deepEqual(
    [doubt.status, doubt.pass, doubt.margin, doubt.reason, doubt.nextStep],
    ['inconclusive', false, -30, 'the load generator was the bottleneck', 'close other programs'],
  );
  assert.equal(doubt.message, 'stress.p99: inconclusive — measured 80 ms > 50 ms by 30 ms, but the load generator was the bottleneck');
  const nan = gate({ ...base, measured: null, unmeasured: 'a prediction is NaN', unmeasuredStatus: 'failed' });
  assert.deepEqual([nan.status, nan.pass, nan.measured], ['failed', false, null]);
  assert.match(nan.message, /failed without a value — a prediction is NaN/);
  const next = gate({ ...base, measured: 60, nextStep: 'profile the model' });
  assert.deepEqual([next.status, next.nextStep], ['failed', 'profile the model']);
  assert.equal(gate({ ...base, measured: 10, nextStep: 'x' }).nextStep, undefined, 'a passed gate needs no next step');
});

test("every failed gate says what to do next: the suite's own step first, else one that fits the gate", () => {
  const failed = (id: string, nextStep?: string) =>
    gate({
      id,
      suite: id.split('.')[0] as 'metrics',
      metric: 'm',
      threshold: { op: '>=', value: 1 },
      measured: 0,
      how: 'h',
      ...(nextStep ? { nextStep } : {}),
    });
  assert.equal(failed('metrics.accuracy', 'do this').nextStep, 'do this');
  const steps = new Map<string, RegExp>([
    ['metrics.accuracy', /improve it .*validation data|validation data: improve it/],
    ['metrics.regression.accuracy.absolute', /worse than the published/],
    ['metrics.skew', /pre- and postprocessing/],
    ['stress.p99', /serving\.batching.*slo\.p99Ms/],
    ['stress.rps', /slo\.rps/],
    ['stress.errorRate', /server log/],
    ['stress.correctness', /pre- and postprocessing/],
    ['staleness.modelAge', /model\.trainedAt/],
    ['staleness.dataAge', /window\.end/],
    ['staleness.driftedShare', /retrain on recent data/],
    ['staleness.drift.age', /retrain on recent data/],
    ['staleness.prediction.training', /labelFrequencies/],
  ]);
  for (const [id, re] of steps) {
    const g = failed(id);
    assert.equal(g.status, 'failed');
    assert.match(g.nextStep ?? '', re, id);
  }
  const passed = gate({ id: 'metrics.accuracy', suite: 'metrics', metric: 'm', threshold: { op: '>=', value: 1 }, measured: 2, how: 'h' });
  assert.equal(passed.nextStep, undefined, 'a passed gate has nothing to do');
});

test('metric gates: one per bound, ids with average/class, duplicates numbered, task mismatch explained', () => {
  const metrics = {
    task: 'classification' as const,
    overall: { accuracy: 0.92 },
    perClass: [{ label: 'a', precision: 1, recall: 0.995, f1: 1, support: 3 }],
    classLabels: ['a', 'b'],
  };
  const gates = metricGates(loaded, () => ({ metrics, how: 'h' }));
  assert.deepEqual(
    gates.map((x) => [x.id, x.pass]),
    [
      ['metrics.accuracy', true],
      ['metrics.recall[a].min', true],
      ['metrics.recall[a].max', false],
      ['metrics.accuracy#2', false],
    ],
  );
  assert.deepEqual(gates[2]!.source, { path: ['gates', 'metrics', 1, 'max'], line: 12, column: 7 });
  const err = metricGates(loaded, () => ({ metrics: { error: 'no validation data' }, how: 'h' }));
  assert.ok(err.every((x) => !x.pass && x.measured === null && /no validation data/.test(x.message)));
});

test("champion/challenger: worsening follows each metric's better direction (MLflow greater_is_better)", () => {
  assert.deepEqual(worsening('accuracy', 0.9, 0.88), { absolute: 0.020000000000000018, relative: 0.020000000000000018 / 0.9 });
  assert.deepEqual(worsening('log_loss', 0.1, 0.12).absolute.toFixed(4), '0.0200');
  assert.ok(worsening('log_loss', 0.1, 0.05).absolute < 0, 'a lower log loss is an improvement');
  assert.equal(worsening('mae', 0, 1).relative, null);
  const m = (v: number) => ({ task: 'classification' as const, overall: { log_loss: v }, classLabels: ['a', 'b'] });
  const better = compareWithBaseline(loaded, m(0.1), m(0.105), 'old', 'h');
  assert.deepEqual(
    better.gates.map((x) => [x.id, x.pass]),
    [
      ['metrics.regression.log_loss.absolute', true],
      ['metrics.regression.log_loss.relative', true],
    ],
  );
  const worse = compareWithBaseline(loaded, m(0.125), m(0.1), 'old', 'h');
  assert.deepEqual(
    worse.gates.map((x) => x.pass),
    [false, false],
  );
  assert.match(worse.gates[0]!.message, /0\.025 > 0\.01 by 0\.015/);
  assert.equal(worse.comparisons[0]!.pass, false);
  const none = compareWithBaseline(loaded, m(0.1), { error: 'baseline failed to load' }, 'old', 'h');
  assert.ok(none.gates.every((x) => !x.pass && /baseline failed to load/.test(x.message)));
});

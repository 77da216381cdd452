import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jensenShannonDistance as jensenShannon } from '../../../server/stats/jensenShannon';
import { finiteSorted } from '../../../server/stats/numbers';
import { psiOfShares as psi } from '../../../server/stats/psi';
import { binIndex, referenceBins } from '../../../server/stats/quantileBins';
import { LiveHealth } from '../../../server/serving/health/liveHealth';
import { compileProcessing } from '../../../server/manifest/compileProcessing';
import type { ModelManifest } from '../../../server/manifest/types';
import type { BatchOutput } from '../../../server/manifest/predict';

test('quantile bins put about a tenth of the reference in each bin', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i);
  const b = referenceBins(finiteSorted(values));
  assert.equal(b.edges.length, 9);
  for (const e of b.expected) assert.ok(Math.abs(e - 0.1) < 0.002);
  assert.equal(binIndex(b.edges, -5), 0);
  assert.equal(binIndex(b.edges, 5000), 9);
});

test('repeated values collapse bins and the expected shares are measured, not assumed', () => {
  const values = [...Array(90).fill(0), ...Array.from({ length: 10 }, (_, i) => i + 1)];
  const b = referenceBins(finiteSorted(values));
  assert.equal(b.expected[0], 0.9);
  assert.ok(Math.abs(b.expected.reduce((a, c) => a + c, 0) - 1) < 1e-12);
});

test('PSI is 0 for identical shares and grows with the shift; Jensen-Shannon is 0..1', () => {
  assert.equal(psi([0.5, 0.5], [0.5, 0.5]), 0);
  // by hand: (0.7-0.5)ln(0.7/0.5) + (0.3-0.5)ln(0.3/0.5) = 0.0673 + 0.1022
  assert.ok(Math.abs(psi([0.5, 0.5], [0.7, 0.3]) - 0.16946) < 1e-4);
  assert.equal(jensenShannon([1, 0], [1, 0]), 0);
  assert.ok(Math.abs(jensenShannon([1, 0], [0, 1]) - 1) < 1e-12);
});

const manifest = {
  apiVersion: 'modelgate/v1',
  kind: 'Model',
  metadata: { name: 'm', version: '1.0.0' },
  model: { artifact: 'm.onnx', task: 'classification', classLabels: ['no', 'yes'] },
  signature: {
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 1], features: ['f'] }],
    outputs: [{ name: 'p', dtype: 'float32', shape: ['batch', 2] }],
  },
} as ModelManifest;

// predicts "yes" when f > 0.5
function outputFor(raw: Float64Array): BatchOutput {
  const data = new Float32Array(raw.length * 2);
  raw.forEach((v, i) => {
    data[i * 2 + 1] = v > 0.5 ? 1 : 0;
    data[i * 2] = v > 0.5 ? 0 : 1;
  });
  return { rows: raw.length, raw: { p: { dtype: 'float32', dims: [raw.length, 2], data } }, derived: [] };
}

test('live health: same distribution is ok, a shifted one is drift, few rows are insufficient', () => {
  const plan = compileProcessing(manifest);
  const ref = Float64Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const make = () =>
    new LiveHealth(
      plan,
      { raw: [ref], rows: ref.length, path: 'ref.csv', out: outputFor(ref) },
      {
        labelFrequencies: { no: 0.5, yes: 0.5 },
        minRows: 100,
      },
    );
  const h = make();
  h.observe([ref.subarray(0, 50)], 50, outputFor(ref.subarray(0, 50)));
  assert.equal(h.report().status, 'insufficient_data');
  h.observe([ref.subarray(50)], 950, outputFor(ref.subarray(50)));
  const ok = h.report();
  assert.equal(ok.status, 'ok');
  assert.ok(ok.features[0]!.psi! < 0.01);
  assert.ok(ok.predictions!.jensenShannon! < 0.01);
  assert.equal(ok.rows, 1000);

  const d = make();
  const shifted = ref.map((v) => v * 0.3 + 0.7);
  d.observe([shifted], shifted.length, outputFor(shifted));
  const drift = d.report();
  assert.equal(drift.status, 'drift');
  assert.deepEqual(drift.drifted, ['f']);
  assert.equal(drift.predictions!.share!.yes, 1);
  assert.equal(drift.predictions!.drifted, true);
});

test('live health windows: old rows age out after two windows', () => {
  const plan = compileProcessing(manifest);
  const ref = Float64Array.from({ length: 200 }, (_, i) => i / 200);
  const h = new LiveHealth(plan, { raw: [ref], rows: ref.length, path: 'ref.csv' }, { windowRows: 100, minRows: 10 });
  const high = new Float64Array(100).fill(0.99);
  h.observe([high], 100, undefined);
  assert.equal(h.report().status, 'drift');
  for (let i = 0; i < 2; i++) h.observe([ref.subarray(0, 100)], 100, undefined);
  h.observe([ref.subarray(100)], 100, undefined);
  const r = h.report();
  assert.ok(r.rows <= 200);
  assert.equal(r.observedTotal, 400);
  assert.ok(r.features[0]!.psi! < 0.3, `psi ${r.features[0]!.psi}`);
});

test('no reference data: the report says so', () => {
  const h = new LiveHealth(compileProcessing(manifest), undefined);
  assert.equal(h.report().status, 'no_reference');
});

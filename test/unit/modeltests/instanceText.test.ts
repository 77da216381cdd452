import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Table } from '../../../server/manifest/dataset';
import type { ModelManifest } from '../../../server/manifest/types';
import { compileProcessing } from '../../../server/manifest/compileProcessing';
import { rawRowsFromCells } from '../../../server/manifest/processing';
import { instancesBody } from '../../../server/modeltests/metrics/predictOverHttp';
import { instanceTexts } from '../../../server/modeltests/metrics/instanceText';
import { compactFiniteRows } from '../../../server/modeltests/metrics/finiteRows';

const manifest = {
  apiVersion: 'modelgate/v1',
  kind: 'Model',
  metadata: { name: 'm', version: '1.0.0' },
  model: { artifact: 'm.onnx', task: 'regression' },
  signature: {
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 3], features: ['a', 'b', 'c'] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 1] }],
  },
} as unknown as ModelManifest;
const plan = compileProcessing(manifest);
const table: Table = {
  path: 't.csv',
  columns: ['c', 'label', 'a', 'b'],
  rows: [
    ['3', 'x', '1', '2'],
    ['1e-3', 'y', '-0.5', '0.1234567890123'],
    ['.5', 'z', '+1', '7'], // not JSON numbers: the values are formatted instead
    ['', 'w', '1', '2'], // missing: set aside before scoring
  ],
};

test('instance texts reuse valid cell text, fall back to formatted values, and parse to the in-process inputs', () => {
  const raw = rawRowsFromCells(plan, table.rows, (f) => table.columns.indexOf(f));
  const finite = compactFiniteRows(plan, raw);
  assert.equal(finite.dropped, 1);
  assert.deepEqual([...finite.kept], [0, 1, 2]);
  const texts = instanceTexts(plan, table, finite.kept, finite.inputs)!;
  assert.deepEqual(texts, ['[1,2,3]', '[-0.5,0.1234567890123,1e-3]', '[1,7,0.5]']);
  const body = JSON.parse(instancesBody(plan, finite.inputs, 0, 3, texts)) as { instances: number[][] };
  assert.deepEqual(Float64Array.from(body.instances.flat()), finite.inputs[0]);
  // Without texts the values themselves are written, with the same result.
  assert.deepEqual(JSON.parse(instancesBody(plan, finite.inputs, 0, 3)), body);
});

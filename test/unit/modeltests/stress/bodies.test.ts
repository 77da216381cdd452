import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Table } from '../../../../server/manifest/dataset';
import type { LoadedManifest } from '../../../../server/manifest/load';
import { parseManifest } from '../../../../server/manifest/parse';
import type { ModelManifest } from '../../../../server/manifest/types';
import { bodiesFromTable, featureColumns, pickDataset, StressSetupError } from '../../../../server/modeltests/stress/bodies';

const table: Table = {
  path: '/d/v.csv',
  columns: ['a', 'b', 'target'],
  rows: [
    ['1', '2', '0'],
    ['1', '2', '1'],
    ['3', '', '0'],
    ['5', '6.5', '1'],
    ['7', '8', '0'],
  ],
};

function loaded(m: Partial<ModelManifest>): LoadedManifest {
  const manifest = {
    apiVersion: 'modelgate/v1',
    kind: 'Model',
    metadata: { name: 'm', version: '1.0.0' },
    model: { artifact: 'm.onnx', task: 'classification' },
    ...m,
  } as ModelManifest;
  return { path: '/d/model.yaml', dir: '/d', manifest, parsed: parseManifest(''), diagnostics: [] };
}

describe('request bodies', () => {
  test('one row per body in TF Serving row format; incomplete and duplicate rows left out', () => {
    const r = bodiesFromTable(table, [{ input: 'x', columns: ['a', 'b'] }], 1000);
    assert.deepEqual(r.bodies, ['{"instances":[[1,2]]}', '{"instances":[[5,6.5]]}', '{"instances":[[7,8]]}']);
    assert.equal(r.skipped, 2);
  });

  test('caps the pool', () => {
    assert.equal(bodiesFromTable(table, [{ input: 'x', columns: ['a', 'b'] }], 2).bodies.length, 2);
  });

  test('several inputs become an object keyed by input name', () => {
    const r = bodiesFromTable(
      table,
      [
        { input: 'x', columns: ['a'] },
        { input: 'y', columns: ['b'] },
      ],
      1,
    );
    assert.deepEqual(JSON.parse(r.bodies[0]!), { instances: [{ x: [1], y: [2] }] });
  });

  test('a missing column names the file, the column and the input', () => {
    assert.throws(
      () => bodiesFromTable(table, [{ input: 'x', columns: ['a', 'zzz'] }], 10),
      (e: Error) => e instanceof StressSetupError && /\/d\/v\.csv has no column "zzz" \(a feature of input "x"\)/.test(e.message),
    );
  });

  test('columns come from signature features, else every non-label column', () => {
    const sig = {
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2], features: ['b', 'a'] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 2] }],
    } as ModelManifest['signature'];
    assert.deepEqual(featureColumns(loaded({ signature: sig }), table), [{ input: 'x', columns: ['b', 'a'] }]);
    const unnamed = { ...sig!, inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2] }] } as ModelManifest['signature'];
    assert.deepEqual(featureColumns(loaded({ signature: unnamed, data: { labelColumn: 'target' } }), table), [{ input: 'x', columns: ['a', 'b'] }]);
  });

  test('rows come from validation, else current, else reference; URIs are skipped', () => {
    assert.deepEqual(pickDataset(loaded({ data: { validation: [{ path: 'v.csv' }], current: 'c.csv' } })), { path: 'v.csv', field: 'data.validation[0].path' });
    assert.deepEqual(pickDataset(loaded({ data: { validation: [{ path: 's3://b/v.csv' }], current: 'c.csv' } })), { path: 'c.csv', field: 'data.current' });
    assert.deepEqual(pickDataset(loaded({ data: { reference: 'r.csv' } })), { path: 'r.csv', field: 'data.reference' });
    assert.equal(pickDataset(loaded({})), undefined);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detailRows, manifestRow } from '../../../extension/modelsNodes';
import type { Report } from '../../../server/protocol/report';

const base: Report = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8'));
const now = new Date(new Date(base.createdAt).getTime() + 5 * 60_000);
const passed: Report = { ...base, cancelled: false, summary: { passed: true, gates: 3, failed: 0, errors: [] } };
const failed: Report = { ...base, cancelled: false, summary: { passed: false, gates: 3, failed: 1, errors: [] } };

test('a manifest row shows the model and a pass/fail icon, or that it is untested', () => {
  assert.deepEqual(manifestRow('a/model.yaml', undefined), { label: 'a/model.yaml', description: 'not tested', icon: 'circle-large-outline' });
  assert.deepEqual(manifestRow('a/model.yaml', passed), { label: 'a/model.yaml', description: `${base.model.name} ${base.model.version}`, icon: 'pass' });
  assert.equal(manifestRow('a/model.yaml', failed).icon, 'error');
});

test('details list version, last result and the server only when it serves this model', () => {
  const idle = detailRows(passed, { running: false }, now).map((r) => r.label);
  assert.deepEqual(idle, [`version ${base.model.version}`, '✓ 3/3 gates · 5 min ago']);
  const serving = detailRows(failed, { running: true, url: 'http://127.0.0.1:8080', models: [{ name: base.model.name, version: base.model.version }] }, now).map((r) => r.label);
  assert.deepEqual(serving, [`version ${base.model.version}`, '✗ 2/3 gates · 5 min ago', 'serving at http://127.0.0.1:8080']);
  const other = detailRows(passed, { running: true, url: 'http://127.0.0.1:8080', models: [{ name: 'someone-else', version: '1.0.0' }] }, now);
  assert.equal(other.length, 2);
  assert.deepEqual(detailRows(undefined, { running: false }, now).map((r) => r.label), ['no test run yet']);
});

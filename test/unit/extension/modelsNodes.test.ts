import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detailRows, manifestRow, publishedRows } from '../../../extension/modelsNodes';
import type { Report } from '../../../server/protocol/report';

const base: Report = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8'));
const now = new Date(new Date(base.createdAt).getTime() + 5 * 60_000);
const three = base.gates.slice(0, 3);
const summary = (verdict: Report['summary']['verdict'], failed: number): Report['summary'] => ({
  verdict,
  passed: verdict === 'passed',
  gates: 3,
  failed,
  inconclusive: 0,
  notRun: 0,
  suitesRun: ['staleness', 'metrics', 'stress'],
  suitesNotRun: [],
  errors: [],
});
const passed: Report = { ...base, cancelled: false, gates: three.map((g) => ({ ...g, status: 'passed', pass: true })), summary: summary('passed', 0) };
const failed: Report = {
  ...base,
  cancelled: false,
  gates: three.map((g, i) => ({ ...g, status: i === 0 ? 'failed' : 'passed', pass: i !== 0 })),
  summary: summary('failed', 1),
};

test('a manifest row shows the model and a pass/fail icon, or that it is untested', () => {
  assert.deepEqual(manifestRow('a/model.yaml', undefined), { label: 'a/model.yaml', description: 'not tested', icon: 'circle-large-outline' });
  assert.deepEqual(manifestRow('a/model.yaml', passed), { label: 'a/model.yaml', description: `${base.model.name} ${base.model.version}`, icon: 'pass' });
  assert.equal(manifestRow('a/model.yaml', failed).icon, 'error');
  assert.equal(manifestRow('a/model.yaml', { ...passed, summary: { ...summary('incomplete', 0), suitesNotRun: ['stress'] } }).icon, 'warning');
});

test('details list version, last result and the server only when it serves this manifest', () => {
  const idle = detailRows('/w/a/model.yaml', passed, { running: false }, now).map((r) => r.label);
  assert.deepEqual(idle, [`version ${base.model.version}`, '✓ 3/3 gates · 5 min ago']);
  const url = 'http://127.0.0.1:8080';
  const models = [{ name: base.model.name, version: base.model.version }];
  const serving = detailRows('/w/a/model.yaml', failed, { running: true, url, models, manifests: ['/w/a/model.yaml'] }, now);
  assert.deepEqual(
    serving.map((r) => r.label),
    [`version ${base.model.version}`, '✗ 2/3 gates · 5 min ago', 'serving at http://127.0.0.1:8080'],
  );
  assert.equal(serving.at(-1)!.description, `${base.model.name} ${base.model.version}`);
  // Another manifest with the same model name: not served here.
  const sameName = detailRows('/w/b/model.yaml', passed, { running: true, url, models, manifests: ['/w/a/model.yaml'] }, now);
  assert.ok(!sameName.some((r) => r.label.startsWith('serving')));
  // A server that does not say its manifests: name and version must both match.
  const otherVersion = detailRows('/w/a/model.yaml', passed, { running: true, url, models: [{ name: base.model.name, version: '9.9.9' }] }, now);
  assert.ok(!otherVersion.some((r) => r.label.startsWith('serving')));
  // Served before any test: the row shows without a report.
  assert.deepEqual(
    detailRows('/w/a/model.yaml', undefined, { running: true, url, models, manifests: ['/w/a/model.yaml'] }, now).map((r) => r.label),
    ['no test run yet', 'serving at http://127.0.0.1:8080'],
  );
});

test('a run of some suites says which, so it never reads as the whole model', () => {
  const staleOnly: Report = { ...failed, summary: { ...summary('failed', 1), suitesRun: ['staleness'], suitesNotRun: ['metrics', 'stress'] } };
  assert.deepEqual(detailRows('/w/a/model.yaml', staleOnly, { running: false }, now)[1]!.label, '✗ 2/3 gates (staleness only) · 5 min ago');
});

test('published versions: newest first as given, gated or UNGATED, labels and age; at most five, then a summary row', () => {
  const at = new Date('2026-01-01T12:00:00Z');
  const v = (tag: string, gated: boolean | undefined, aliases: string[] = []) => ({
    tag,
    digest: `sha256:${tag}`,
    gated,
    gates: gated ? '3/3 passed' : undefined,
    aliases,
    created: '2026-01-01T10:00:00Z',
  });
  const rows = publishedRows({ location: '/w/.modelgate/registry/m', versions: [v('1.2.0', true, ['stable']), v('1.1.0', false)] }, at);
  assert.deepEqual(rows, [
    { label: 'published 1.2.0', description: 'gated · 3/3 passed · stable · created 2 h ago', icon: 'package' },
    { label: 'published 1.1.0', description: 'UNGATED · created 2 h ago', icon: 'warning' },
  ]);
  const many = publishedRows({ location: 'oci://r/m', versions: ['7', '6', '5', '4', '3', '2', '1'].map((n) => v(`1.0.${n}`, true)) }, at);
  assert.equal(many.length, 6);
  assert.deepEqual(many.at(-1), { label: '2 older versions', description: 'oci://r/m', icon: 'history' });
  assert.deepEqual(publishedRows({ location: '/w/layout', versions: [] }, at), [{ label: 'not published yet', description: '/w/layout', icon: 'package' }]);
  const err = publishedRows({ error: 'registry r: list tags failed: connection refused. Fix: start it' }, at);
  assert.deepEqual(err, [
    { label: 'published versions unavailable', description: 'registry r: list tags failed: connection refused. Fix: start it', icon: 'warning' },
  ]);
  assert.ok(publishedRows({ error: 'x'.repeat(300) }, at)[0]!.description!.length <= 120);
});

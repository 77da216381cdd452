import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deployToast, errorToast, testToast, verdictBrief } from '../../../extension/outcomeToast';
import type { DeployRequest } from '../../../server/protocol/lsp';
import type { Report } from '../../../server/protocol/report';

const load = (name: string): Report => JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', `${name}.json`), 'utf8')) as Report;
const deploy = (patch: Partial<DeployRequest.Result>): DeployRequest.Result =>
  ({ report: load('full'), reportPaths: { json: 'r.json', html: 'r.html' }, passed: false, notices: [], steps: [], ...patch }) as DeployRequest.Result;

test('a failed run: one short warning naming the first failed gates by how much, with Open report and Re-run', () => {
  assert.deepEqual(testToast(load('full')), {
    severity: 'warning',
    text: 'ModelGate: breast-cancer 1.0.0: 4 of 17 gates failed — staleness.driftedShare over by 6.67 %, staleness.drift.mean radius over by 3.921, ….',
    actions: ['Open report', 'Re-run'],
  });
});

test('a passed run is information; a cancelled one never reads as passed and offers Re-run first', () => {
  const passed = load('full');
  passed.summary = { ...passed.summary, verdict: 'passed', passed: true, failed: 0 };
  assert.deepEqual(testToast(passed), { severity: 'info', text: 'ModelGate: breast-cancer 1.0.0: all 17 gates passed.', actions: ['Open report'] });
  const cancelled = load('full');
  cancelled.cancelled = true;
  cancelled.summary = { ...cancelled.summary, verdict: 'cancelled', passed: false };
  const t = testToast(cancelled);
  assert.equal(t.text, 'ModelGate: breast-cancer 1.0.0: cancelled; the report holds what was measured.');
  assert.deepEqual(t.actions, ['Re-run', 'Open report']);
});

test('Test & Deploy: refused offers Publish ungated; published and cancelled do not', () => {
  const refused = deployToast(deploy({ refused: 'gates failed' }));
  assert.equal(refused.text.startsWith('ModelGate: not published. breast-cancer 1.0.0: 4 of 17 gates failed — '), true, refused.text);
  assert.deepEqual(refused.actions, ['Open report', 'Re-run', 'Publish ungated…']);
  const published = deployToast(deploy({ passed: true, published: { reference: 'localhost:5000/bc:1.0.0', digest: 'sha256:x', gated: true } }));
  assert.equal(published.severity, 'info');
  assert.ok(!published.actions.includes('Publish ungated…'));
  const cancelledReport = load('full');
  cancelledReport.summary = { ...cancelledReport.summary, verdict: 'cancelled' };
  const cancelled = deployToast(deploy({ report: cancelledReport }));
  assert.equal(cancelled.text, 'ModelGate: Test & Deploy cancelled; nothing was published.');
  assert.ok(!cancelled.actions.includes('Publish ungated…'));
});

test('an incomplete verdict counts the undecided gates; a run that could not start offers the log', () => {
  const r = load('full');
  r.gates = r.gates.map((g) => (g.status === 'failed' ? { ...g, status: 'not run' as const, measured: null } : g));
  r.summary = { ...r.summary, verdict: 'incomplete', failed: 0, notRun: 4 };
  assert.equal(verdictBrief(r), 'breast-cancer 1.0.0: nothing failed, but 4 of 17 gates are not decided.');
  assert.deepEqual(errorToast('the tests', 'the language server is not running.'), {
    severity: 'error',
    text: 'ModelGate: the tests could not run. the language server is not running.',
    actions: ['Show logs', 'Re-run'],
  });
});

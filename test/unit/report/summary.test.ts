import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GateResult, Report } from '../../../server/protocol/report';
import { failureText, formatValue, summaryTable, verdictLine } from '../../../server/report/summary';

const g = (over: Partial<GateResult>): GateResult => ({
  id: 'x', suite: 'staleness', metric: 'm', threshold: { op: '<=', value: 1 }, measured: 1, pass: true, how: 'h', message: 'm', margin: 0, ...over,
});

function report(gates: GateResult[], over: Partial<Report> = {}): Report {
  const failed = gates.filter((x) => !x.pass).length;
  return {
    kind: 'modelgate-report', reportVersion: 1, model: { name: 'm', version: '1', manifest: 'samples/m/model.yaml', artifact: 'a' },
    createdAt: '', durationMs: 0, complete: true, environment: { modelgate: '', node: '', platform: '', cpus: 1, cpuModel: '' },
    suites: {}, gates, summary: { passed: failed === 0, gates: gates.length, failed, errors: [] }, ...over,
  };
}

const age = g({ id: 'staleness.modelAge', threshold: { op: '<=', value: 365, unit: 'd' }, measured: 731, pass: false, margin: -366, source: { path: [], line: 105, column: 3 } });
const acc = g({ id: 'metrics.accuracy', suite: 'metrics', threshold: { op: '>=', value: 0.94 }, measured: 0.9649122807, pass: true, margin: 0.0249122807 });
const unmeasured = g({ id: 'staleness.driftedShare', measured: null, pass: false, margin: undefined, message: 'staleness.driftedShare: not measured — current data has no rows' });

test('the verdict names each failing gate with value, threshold and margin', () => {
  assert.equal(failureText(age), '731 d > 365 d by 366 d');
  assert.equal(verdictLine(report([age, acc, unmeasured])), '✗ 2 of 3 gates failed: staleness.modelAge (731 d > 365 d by 366 d), staleness.driftedShare (not measured)');
  assert.equal(verdictLine(report([acc])), '✓ all 1 gates passed');
  assert.match(verdictLine(report([acc], { complete: false, cancelled: true })), /^✗ run did not complete \(cancelled/);
});

test('the table shows status, measured vs threshold, signed margin and the manifest line', () => {
  const text = summaryTable(report([age, acc, unmeasured]));
  const lines = text.split('\n');
  assert.match(lines[0]!, /gate\s+measured\s+threshold\s+margin\s+set at/);
  assert.match(lines[1]!, /^✗\s+staleness\.modelAge\s+731 d\s+≤ 365 d\s+−366 d\s+samples\/m\/model\.yaml:105:3$/);
  assert.match(lines[2]!, /^✓\s+metrics\.accuracy\s+0\.9649\s+≥ 0\.94\s+\+0\.02491/);
  assert.ok(lines.includes('  staleness.driftedShare: not measured — current data has no rows'));
  assert.equal(lines.at(-1), verdictLine(report([age, acc, unmeasured])));
});

test('numbers: 4 significant digits, whole tenths above 1000, exponents only at extremes', () => {
  assert.equal(formatValue(0.96491228), '0.9649');
  assert.equal(formatValue(23176.44), '23176.4');
  assert.equal(formatValue(730.00001), '730');
  assert.equal(formatValue(3e-7), '3.00e-7');
  assert.equal(formatValue(0), '0');
});

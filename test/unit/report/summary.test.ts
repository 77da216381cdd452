import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GateResult, Report } from '../../../server/protocol/report';
import { summarize } from '../../../server/report/build';
import { failureText, formatValue, summaryTable, verdictLine } from '../../../server/report/summary';

const g = (over: Partial<GateResult>): GateResult => ({
  id: 'x',
  suite: 'staleness',
  metric: 'm',
  threshold: { op: '<=', value: 1 },
  measured: 1,
  status: 'passed',
  pass: true,
  how: 'h',
  message: 'm',
  margin: 0,
  ...over,
});
const ALL = ['staleness', 'metrics', 'stress'] as const;

function report(gates: GateResult[], over: Partial<Report> = {}, cancelled = false): Report {
  return {
    kind: 'modelgate-report',
    reportVersion: 2,
    model: { name: 'm', version: '1', manifest: 'samples/m/model.yaml', artifact: 'a' },
    createdAt: '',
    durationMs: 0,
    complete: true,
    environment: { modelgate: '', node: '', platform: '', cpus: 1, cpuModel: '' },
    suites: {},
    gates,
    summary: summarize(gates, [], { run: [...ALL], notRun: [] }, cancelled),
    ...over,
  };
}

const age = g({
  id: 'staleness.modelAge',
  threshold: { op: '<=', value: 365, unit: 'd' },
  measured: 731,
  status: 'failed',
  pass: false,
  margin: -366,
  source: { path: [], line: 105, column: 3 },
});
const acc = g({ id: 'metrics.accuracy', suite: 'metrics', threshold: { op: '>=', value: 0.94 }, measured: 0.9649122807, pass: true, margin: 0.0249122807 });
const unmeasured = g({
  id: 'staleness.driftedShare',
  measured: null,
  status: 'failed',
  pass: false,
  margin: undefined,
  message: 'staleness.driftedShare: failed without a value — current data has no rows',
});
const notRun = g({
  id: 'stress.p99',
  suite: 'stress',
  measured: null,
  status: 'not run',
  pass: false,
  margin: undefined,
  reason: 'this run was limited to metrics (--only)',
  nextStep: 'run every suite',
  message: 'stress.p99: not run — x',
});
const inconclusive = g({
  id: 'stress.rps',
  suite: 'stress',
  threshold: { op: '>=', value: 200, unit: 'rps' },
  measured: 150,
  status: 'inconclusive',
  pass: false,
  margin: -50,
  reason: 'the load generator was the bottleneck',
  nextStep: 'close other programs',
  message: 'stress.rps: inconclusive — measured 150 rps < 200 rps by 50 rps, but the load generator was the bottleneck',
});

test('the verdict names each failing gate with value, threshold and margin', () => {
  assert.equal(failureText(age), '731 d > 365 d by 366 d');
  assert.equal(
    verdictLine(report([age, acc, unmeasured])),
    '✗ failed: 2 of 3 gates failed: staleness.modelAge (731 d > 365 d by 366 d), staleness.driftedShare (not measured)',
  );
  assert.equal(verdictLine(report([acc])), '✓ passed: all 1 gates passed');
  assert.match(verdictLine(report([acc, age], { complete: false, cancelled: true }, true)), /^✗ cancelled: partial results \(1 of 2 gates passed/);
});

test('an incomplete verdict says nothing failed, lists what was not decided, and what to do', () => {
  const line = verdictLine(report([acc, notRun, inconclusive]));
  assert.match(line, /^… incomplete: nothing failed, but 1 inconclusive: stress\.rps \(150 rps < 200 rps by 50 rps\); 1 not run: stress\.p99 \(not run\)/);
  assert.match(line, /not gated/);
  const text = summaryTable(report([acc, notRun, inconclusive]));
  assert.match(text, /^\?\s+stress\.rps\s+150 rps/m);
  assert.match(text, /^–\s+stress\.p99\s+not run/m);
  assert.match(text, /stress\.p99: this run was limited to metrics \(--only\)\n\s+next: run every suite/);
  assert.match(text, /\? stress\.rps: inconclusive — .*\n\s+next: close other programs/);
});

test('row counts of every dataset are printed with the first dropped cells', () => {
  const r = report([acc], {
    datasets: [
      {
        role: 'validation',
        path: 'data/v.csv',
        suite: 'metrics',
        rowsRead: 54,
        rowsUsed: 3,
        rowsDropped: 51,
        dropped: [{ line: 2, column: 'mean radius', value: 'n/a', why: 'not a number' }],
      },
    ],
  });
  const text = summaryTable(r);
  assert.match(text, /data: metrics validation data\/v\.csv: 54 rows read, 3 used, 51 dropped/);
  assert.match(text, /dropped data\/v\.csv:2 column "mean radius" = "n\/a": not a number/);
});

test('the table shows status, measured vs threshold, signed margin and the manifest line', () => {
  const text = summaryTable(report([age, acc, unmeasured]));
  const lines = text.split('\n');
  assert.match(lines[0]!, /gate\s+measured\s+threshold\s+margin\s+set at/);
  assert.match(lines[1]!, /^✗\s+staleness\.modelAge\s+731 d\s+≤ 365 d\s+−366 d\s+samples\/m\/model\.yaml:105:3$/);
  assert.match(lines[2]!, /^✓\s+metrics\.accuracy\s+0\.9649\s+≥ 0\.94\s+\+0\.02491/);
  assert.ok(lines.includes('  ✗ staleness.driftedShare: failed without a value — current data has no rows'), text);
  assert.equal(lines.at(-1), verdictLine(report([age, acc, unmeasured])));
});

test('numbers: 4 significant digits, whole tenths above 1000, exponents only at extremes', () => {
  assert.equal(formatValue(0.96491228), '0.9649');
  assert.equal(formatValue(23176.44), '23176.4');
  assert.equal(formatValue(730.00001), '730');
  assert.equal(formatValue(3e-7), '3.00e-7');
  assert.equal(formatValue(0), '0');
});

test('the CLI summary prints the figures the stress gates stand on and the drift correction', () => {
  const slo = {
    rps: 200,
    p99LimitMs: 50,
    p99Ms: 2.111,
    p99IntervalMs: { low: 1.742, high: 2.358, level: 0.95 },
    noiseFloorP99Ms: 2.529,
    runs: 2,
    maxRuns: 5,
    p99Stable: true,
    sustained: true,
    loadGeneratorBound: false,
    otherCpuCores: 1.02,
    cores: 2,
  };
  const stress = {
    endpoint: 'e',
    bodies: { source: 's', distinct: 1 },
    warmupS: 1,
    tolerance: 0.05,
    points: [],
    slo,
    maxSustainableRps: { value: 8383, p99Ms: 4.567, steps: [] },
    notes: [],
  };
  const staleness = {
    now: '',
    features: [],
    notes: [],
    multipleTesting: { method: 'benjamini-hochberg' as const, tests: 3072, drifted: 0, driftedUncorrected: 130, why: 'w' },
  };
  const text = summaryTable(report([acc], { suites: { stress, staleness } }));
  assert.match(
    text,
    /^stress: p99 at 200 rps 2\.111 ms \(95% interval 1\.742 ms–2\.358 ms, 2 runs\), noise floor 2\.529 ms; other programs used 1\.02 of 2 cores$/m,
  );
  assert.match(text, /^stress: highest rate held within the p99 limit 8383 rps \(p99 4\.567 ms\)$/m);
  assert.match(text, /^drift: 0 of 3072 p-value tests drifted after the Benjamini–Hochberg correction \(130 without it\)$/m);
  const unsettled = summaryTable(
    report([acc], { suites: { stress: { ...stress, slo: { ...slo, p99Stable: false, loadGeneratorBound: true, otherCpuCores: 0 } } } }),
  );
  assert.match(unsettled, /noise floor 2\.529 ms; did not settle, load-generator bound$/m);
  assert.doesNotMatch(summaryTable(report([acc])), /^(stress|drift):/m, 'nothing to say without those suites');
});

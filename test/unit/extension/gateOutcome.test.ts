import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gateFailureText, gateHoverLines, gateLine, gatesBySuite, gateTable } from '../../../extension/gateOutcome';
import type { GateResult, Report } from '../../../server/protocol/report';

const gate = (patch: Partial<GateResult>): GateResult => ({
  id: 'metrics.accuracy',
  suite: 'metrics',
  metric: 'accuracy',
  threshold: { op: '>=', value: 0.95 },
  measured: 0.912345,
  status: 'failed',
  pass: false,
  how: 'validation.csv, 114 rows',
  message: 'accuracy 0.912 is below 0.95',
  ...patch,
});

const p99 = gate({
  id: 'stress.p99',
  suite: 'stress',
  metric: 'p99 latency at 200 RPS',
  threshold: { op: '<=', value: 50, unit: 'ms' },
  measured: 170.2731,
  margin: -120.2731,
  nextStep: 'make inference faster: enable serving.batching',
});

test("a failed gate's Test Explorer message: units, the rule's own operator, the distance and the next step", () => {
  assert.equal(
    gateFailureText(p99),
    'Failed: p99 latency 170.3 ms at 200 req/s — must be ≤ 50 ms (over by 120.3 ms). Next: make inference faster: enable serving.batching.',
  );
  assert.equal(
    gateFailureText(gate({ nextStep: 'improve the model' })),
    'Failed: accuracy 0.9123 — must be ≥ 0.95 (under by 0.03765). Next: improve the model.',
  );
  // A model age in days, with no raw float left.
  assert.equal(
    gateFailureText(
      gate({ id: 'staleness.modelAge', suite: 'staleness', metric: 'model age', threshold: { op: '<=', value: 365, unit: 'd' }, measured: 739.9527350231482 }),
    ),
    'Failed: model age 740 days — must be ≤ 365 days (over by 375 days).',
  );
  // Shares read as percentages.
  assert.equal(
    gateFailureText(
      gate({
        id: 'stress.errorRate',
        suite: 'stress',
        metric: 'error rate (3 of 1000 requests failed)',
        threshold: { op: '<=', value: 0.001 },
        measured: 0.003,
      }),
    ),
    'Failed: error rate 0.3 % (3 of 1000 requests failed) — must be ≤ 0.1 % (over by 0.2 %).',
  );
});

test('inconclusive and not-run gates say so, with the reason and without backticks', () => {
  assert.equal(
    gateFailureText({
      ...p99,
      measured: 52,
      status: 'inconclusive',
      reason: 'the 95 % interval 41–63 ms straddles the limit',
      nextStep: 'run `modelgate test` with a longer --duration',
    }),
    'Inconclusive: p99 latency 52 ms at 200 req/s — must be ≤ 50 ms (over by 2 ms); inconclusive: the 95 % interval 41–63 ms straddles the limit. Next: run modelgate test with a longer --duration.',
  );
  assert.equal(
    gateFailureText(gate({ measured: null, status: 'not run', reason: 'the metrics suite was not run (--only stress)', nextStep: 'run every suite' })),
    'Not run: accuracy — must be ≥ 0.95; not run: the metrics suite was not run (--only stress). Next: run every suite.',
  );
  assert.equal(
    gateFailureText(gate({ measured: 0.97, status: 'passed', pass: true, margin: 0.02 })),
    'Passed: accuracy 0.97 — must be ≥ 0.95 (0.02 to spare).',
  );
});

test('the run output is a gate table with failed gates first, then what to do about each', () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8')) as Report;
  const lines = gateTable(fixture).split('\r\n');
  assert.equal(lines[0], 'breast-cancer 1.0.0: failed, 4 of 17 gates');
  assert.match(lines[2]!, /^status +gate +measured +rule +distance$/);
  const rows = lines.slice(4, 4 + fixture.gates.length);
  assert.deepEqual(
    rows.slice(0, 4).map((r) => r.split(/\s{2,}/)[1]),
    ['staleness.driftedShare', 'staleness.drift.mean radius', 'staleness.prediction', 'metrics.regression.accuracy'],
  );
  assert.equal(rows[0], '✗ failed  staleness.driftedShare           26.67 %     ≤ 20 %      over by 6.67 %');
  assert.ok(
    rows.slice(4).every((r) => r.startsWith('✓ passed')),
    'passed gates last',
  );
  assert.ok(lines.some((l) => l.startsWith('staleness.driftedShare: Failed: share of drifted features 26.67 % — must be ≤ 20 % (over by 6.67 %).')));
  // Only the suites asked for.
  const onlyStress = gateTable(fixture, new Set(['stress'])).split('\r\n');
  assert.ok(onlyStress.some((l) => l.includes('stress.p99')));
  assert.ok(!onlyStress.some((l) => l.includes('metrics.accuracy')));
});

test('gateLine converts the 1-based source line, and is undefined without a source', () => {
  assert.equal(gateLine(gate({ source: { path: ['gates', 'metrics', 'accuracy'], line: 48, column: 7 } })), 47);
  assert.equal(gateLine(gate({})), undefined);
});

test('gatesBySuite keeps report order inside each suite', () => {
  const gates = [gate({ id: 'a' }), gate({ id: 'b', suite: 'stress' }), gate({ id: 'c' })];
  const grouped = gatesBySuite({ gates } as Report);
  assert.deepEqual([...grouped.keys()], ['metrics', 'stress']);
  assert.deepEqual(
    grouped.get('metrics')!.map((g) => g.id),
    ['a', 'c'],
  );
});

test("the hover on a gate's manifest line shows its last result and next step", () => {
  const report = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8')) as Report;
  const g = report.gates.find((x) => x.id === 'staleness.driftedShare')!;
  const lines = gateHoverLines(report, g.source!.line - 1, '2 min ago');
  assert.deepEqual(lines, [
    'Last result (2 min ago, breast-cancer 1.0.0):',
    '✗ staleness.driftedShare: Failed: share of drifted features 26.67 % — must be ≤ 20 % (over by 6.67 %).',
  ]);
  assert.deepEqual(gateHoverLines(report, 0, 'now'), [], 'no gate on that line');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gateFailureText, gateLine, gatesBySuite } from '../../../extension/gateOutcome';
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

test('a failed gate reads measured vs threshold, with units and 4 significant digits', () => {
  assert.equal(gateFailureText(gate({})), 'accuracy: measured 0.9123; threshold >= 0.95. accuracy 0.912 is below 0.95');
  assert.equal(
    gateFailureText(
      gate({ id: 'stress.p99', suite: 'stress', metric: 'p99 latency', threshold: { op: '<=', value: 50, unit: 'ms' }, measured: 61.25, message: 'too slow' }),
    ),
    'p99 latency: measured 61.25 ms; threshold <= 50 ms. too slow',
  );
  assert.equal(gateFailureText(gate({ measured: null, message: 'no labels' })), 'accuracy was not measured (threshold >= 0.95). no labels');
  assert.equal(
    gateFailureText(gate({ measured: null, status: 'not run', message: 'metrics.accuracy: not run — --only stress', nextStep: 'run every suite' })),
    'accuracy was not run (threshold >= 0.95). metrics.accuracy: not run — --only stress Next: run every suite.',
  );
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

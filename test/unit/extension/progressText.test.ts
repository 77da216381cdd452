import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overallPercent, progressMessage, remainingText } from '../../../server/lsp/engine/progressText';

test('overallPercent spreads each suite over its share of the run', () => {
  const suites = ['staleness', 'metrics', 'stress'] as const;
  assert.equal(overallPercent(suites, { suite: 'staleness', step: 'x', percent: 0 }), 0);
  assert.equal(overallPercent(suites, { suite: 'metrics', step: 'x', percent: 50 }), 50);
  assert.equal(overallPercent(suites, { suite: 'stress', step: 'x', percent: 100 }), 100);
  assert.equal(overallPercent(suites, { suite: 'stress', step: 'x', percent: 250 }), 100);
  assert.equal(overallPercent(suites, { suite: 'lint', step: 'loading manifest' }), undefined);
  assert.equal(overallPercent(['stress'], { suite: 'stress', step: 'x', percent: 40 }), 40);
});

test('progressMessage reads Suite: step — detail, the stress steps in plain words', () => {
  assert.equal(progressMessage({ suite: 'metrics', step: 'scoring through the server' }), 'Metrics: scoring through the server');
  assert.equal(progressMessage({ suite: 'lint', step: 'loading manifest', message: 'model.yaml' }), 'Checking: loading manifest — model.yaml');
  assert.equal(progressMessage({ step: 'starting' }), 'starting');
  assert.equal(
    progressMessage({ suite: 'stress', step: 'closed c=4', message: 'closed model, 4 connection(s), run 1 of up to 3' }),
    'Stress: 4 requests at a time, back to back (run 1 of up to 3)',
  );
  assert.equal(
    progressMessage({ suite: 'stress', step: 'search 350 rps', message: '' }),
    'Stress: finding the highest rate within the p99 limit: trying 350 req/s',
  );
  assert.equal(progressMessage({ suite: 'stress', step: 'open 200 rps', message: 'open' }), 'Stress: 200 req/s at a steady rate, as the SLO asks');
});

test('the overall estimate: nothing too early, then minutes left from the pace so far', () => {
  const e = { suite: 'staleness' as const, step: 'feature drift' };
  assert.equal(progressMessage(e, { percent: 2, elapsedMs: 10_000 }), 'Staleness: feature drift');
  assert.equal(progressMessage(e, { percent: 25, elapsedMs: 60_000 }), 'Staleness: feature drift · about 3 min left');
  assert.equal(progressMessage(e, { percent: 80, elapsedMs: 60_000 }), 'Staleness: feature drift · under a minute left');
  assert.equal(remainingText(100, 60_000), undefined);
});

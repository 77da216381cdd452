import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overallPercent, progressMessage } from '../../../server/lsp/engine/progressText';

test('overallPercent spreads each suite over its share of the run', () => {
  const suites = ['staleness', 'metrics', 'stress'] as const;
  assert.equal(overallPercent(suites, { suite: 'staleness', step: 'x', percent: 0 }), 0);
  assert.equal(overallPercent(suites, { suite: 'metrics', step: 'x', percent: 50 }), 50);
  assert.equal(overallPercent(suites, { suite: 'stress', step: 'x', percent: 100 }), 100);
  assert.equal(overallPercent(suites, { suite: 'stress', step: 'x', percent: 250 }), 100);
  assert.equal(overallPercent(suites, { suite: 'lint', step: 'loading manifest' }), undefined);
  assert.equal(overallPercent(['stress'], { suite: 'stress', step: 'x', percent: 40 }), 40);
});

test('progressMessage reads suite: step — detail', () => {
  assert.equal(progressMessage({ suite: 'stress', step: 'point 2/5', message: '8 connections' }), 'stress: point 2/5 — 8 connections');
  assert.equal(progressMessage({ step: 'starting' }), 'starting');
});

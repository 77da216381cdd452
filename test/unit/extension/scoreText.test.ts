import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreSummaryText } from '../../../extension/scoreText';

const base = {
  model: { name: 'breast-cancer', version: '1.0.0' },
  input: '/w/data/validation.csv',
  output: '/w/data/validation.scored.csv',
  columns: ['row', 'label', 'p_malignant', 'p_benign'],
  rows: 114,
  skipped: { count: 0, first: [] },
  seconds: 0.42,
};
const rel = (p: string) => p.replace('/w/', '');

test('the summary says how many rows, with which model, from where to where', () => {
  assert.equal(scoreSummaryText(base, rel), 'scored 114 rows of data/validation.csv with breast-cancer 1.0.0 in 0.4 s → data/validation.scored.csv');
});

test('rows left out are counted, with the first three lines and why', () => {
  const first = [4, 11, 20, 31].map((line) => ({ line, reason: 'column "mean radius" is "n/a", not a number' }));
  const text = scoreSummaryText({ ...base, rows: 110, skipped: { count: 4, first } }, rel);
  assert.match(text, /^scored 110 rows/);
  assert.match(text, /left out 4 row\(s\) the model cannot score \(line 4: column "mean radius" is "n\/a", not a number; line 11: .*; line 20: .*; …\)$/);
  assert.doesNotMatch(text, /line 31/);
});

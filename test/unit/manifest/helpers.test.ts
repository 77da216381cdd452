// Durations, names and "did you mean": the small parsers behind messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError, readHeader } from '../../../server/manifest/dataset';
import { durationMs, formatDuration, parseDuration, suggestDuration } from '../../../server/manifest/durations';
import { dateMs, toDateTime, toDnsName, toSemver } from '../../../server/manifest/names';
import { closest, editDistance } from '../../../server/manifest/suggest';

test('parseDuration reads every unit and refuses everything else', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('90d'), 90 * 86_400_000);
  assert.equal(parseDuration('1w'), 604_800_000);
  for (const bad of ['', '0d', '-5s', '1.5h', '90 days', 'd', '10', '5y', '99999999999999999999d']) assert.equal(parseDuration(bad), undefined, bad);
  assert.throws(() => durationMs('soon', 'slo.duration'), /slo\.duration "soon" is not a duration/);
});

test('formatDuration picks the largest exact unit; suggestDuration repairs near misses', () => {
  assert.equal(formatDuration(90 * 86_400_000), '90d');
  assert.equal(formatDuration(1500), '1500ms');
  assert.equal(formatDuration(14 * 86_400_000), '2w');
  assert.equal(suggestDuration('90 days'), '90d');
  assert.equal(suggestDuration('1.5h'), '90m');
  assert.equal(suggestDuration('-5s'), '5s');
  assert.equal(suggestDuration('3 months'), '90d');
  assert.equal(suggestDuration('10'), '10s');
  assert.equal(suggestDuration('soon'), undefined);
});

test('toSemver, toDnsName and toDateTime', () => {
  assert.equal(toSemver('1.0'), '1.0.0');
  assert.equal(toSemver('v2'), '2.0.0');
  assert.equal(toSemver('01.2.3'), '1.2.3');
  assert.equal(toSemver('1.2.3-rc.1'), '1.2.3-rc.1');
  assert.equal(toSemver('latest'), undefined);
  assert.equal(toDnsName('My Model_v2'), 'my-model-v2');
  assert.equal(toDnsName('--x--'), 'x');
  assert.equal(toDnsName('___'), undefined);
  assert.equal(toDnsName('a'.repeat(80))?.length, 63);
  assert.equal(toDateTime('2026-11-01'), '2026-11-01T00:00:00Z');
  assert.equal(toDateTime('2026-11-01 12:30'), '2026-11-01T12:30:00Z');
  assert.equal(toDateTime('2026-11-01T12:00:00+0200'), '2026-11-01T12:00:00+02:00');
  assert.equal(toDateTime('yesterday'), undefined);
  assert.equal(dateMs('2026-11-01'), Date.UTC(2026, 10, 1));
  assert.equal(dateMs('2026-11-01T12:00:00'), Date.UTC(2026, 10, 1, 12));
});

test('editDistance counts transpositions as one edit; closest ignores case and separators', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closest('classlabels', ['classLabels', 'task']), 'classLabels');
  assert.equal(closest('class_labels', ['classLabels', 'task']), 'classLabels');
  assert.equal(closest('shpae', ['shape', 'name']), 'shape');
  assert.equal(closest('zzzzzz', ['shape', 'name']), undefined);
  assert.equal(closest('x', []), undefined);
});

test('readHeader reads the header from the start of a large file and rejects a headerless one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-header-'));
  try {
    // A quote left open after the sample would fail a whole-file parse.
    writeFileSync(join(dir, 'big.csv'), 'a,b\n' + '1,2\n'.repeat(50_000) + '"open,3\n');
    assert.deepEqual(await readHeader(join(dir, 'big.csv')), ['a', 'b']);
    writeFileSync(join(dir, 'nohead.csv'), '1,2\n3,4\n');
    await assert.rejects(readHeader(join(dir, 'nohead.csv')), (e: unknown) => e instanceof DatasetError && /no header row/.test((e as Error).message));
    await assert.rejects(readHeader(join(dir, 'missing.csv')), /does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// samples/broken/model.yaml holds realistic mistakes; expected-diagnostics.json
// lists each with its line and code. Every one must be found where it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseManifest } from '../../../server/manifest/parse';
import { validateManifest } from '../../../server/manifest/validate';
import { expectFriendly, NOW, show } from './manifestFixture';

const DIR = 'samples/broken';

test('every mistake in samples/broken is reported with its code on its line', async () => {
  const expected = JSON.parse(readFileSync(`${DIR}/expected-diagnostics.json`, 'utf8')) as Array<{ line: number; code: string; mistake: string }>;
  assert.ok(expected.length >= 10);
  const path = `${DIR}/model.yaml`;
  const diags = await validateManifest(parseManifest(readFileSync(path, 'utf8')), { manifestPath: path, now: NOW });
  const missed = expected.filter((e) => !diags.some((d) => d.code === e.code && d.range.start.line + 1 === e.line));
  assert.deepEqual(missed, [], `not reported:\n${missed.map((m) => `  ${m.line} ${m.code} ${m.mistake}`).join('\n')}\nreported:\n${show(diags)}`);
  expectFriendly(diags);
  // Nothing but the listed mistakes is an error (warnings may accompany them).
  const extra = diags.filter((d) => d.severity === 'error' && !expected.some((e) => e.code === d.code && e.line === d.range.start.line + 1));
  assert.deepEqual(extra, [], `unexpected errors:\n${show(extra)}`);
});

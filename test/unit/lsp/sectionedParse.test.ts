import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { keyNodeAt, nodeAt, parseManifest, type JsonPath, type ParsedManifest } from '../../../server/manifest/parse';
import { validateManifest } from '../../../server/manifest/validate';
import { SectionedParser } from '../../../server/lsp/sectionedParse';
import { generateLargeManifest } from '../../../bench/lspManifest';
import { SAMPLES } from './serviceSetup';

const large = generateLargeManifest(SAMPLES);
const manifestPath = join(SAMPLES, 'breast-cancer', 'large.model.yaml');

function paths(v: unknown, at: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

async function assertSameAsFullParse(got: ParsedManifest): Promise<void> {
  const want = parseManifest(got.text);
  assert.deepEqual(got.value, want.value);
  assert.deepEqual(got.diagnostics, want.diagnostics);
  for (const p of paths(want.value)) {
    assert.deepEqual(nodeAt(got, p)?.range, nodeAt(want, p)?.range, `value range of ${p.join('.')}`);
    assert.deepEqual(keyNodeAt(got, p)?.range, keyNodeAt(want, p)?.range, `key range of ${p.join('.')}`);
  }
  const opts = { manifestPath, semantic: true, now: new Date('2026-12-01T00:00:00Z') };
  assert.deepEqual(await validateManifest(got, opts), await validateManifest(want, opts));
}

test('a sectioned parse gives the same values, ranges and diagnostics as a full parse', async () => {
  await assertSameAsFullParse(new SectionedParser().parse(large));
});

test('after edits, unchanged sections are reused with shifted ranges and still match a full parse', async () => {
  const parser = new SectionedParser();
  const v1 = parser.parse(large);
  const cost1 = nodeAt(v1, ['cost']);
  // Same length edit in one section, then a longer one earlier in the file.
  const v2 = parser.parse(large.replace('  threads: 1', '  threads: 2'));
  await assertSameAsFullParse(v2);
  assert.equal(nodeAt(v2, ['cost']), cost1, 'the cost section was not parsed again');
  assert.equal(parser.stats.parsed, 1);
  const v3 = parser.parse(v2.text.replace('  name: breast-cancer', '  name: breast-cancer-with-a-longer-name'));
  await assertSameAsFullParse(v3);
  assert.equal(nodeAt(v3, ['cost']), cost1);
  // Inside a large section only the edited item is parsed again.
  const v4 = parser.parse(v3.text.replace('    mean: [10.000', '    mean: [20.000'));
  await assertSameAsFullParse(v4);
  assert.ok((v4.value as { preprocessing: { mean: number[] }[] }).preprocessing.some((p) => p.mean[0] === 20));
  assert.equal(parser.stats.parsed, 1, 'only the edited preprocessing step was parsed again');
  assert.ok(parser.stats.reused > 100);
});

test("compact sequences (items at the key's column) parse the same", async () => {
  const compact = large.replace(/^ {2}- op:/gm, '- op:').replace(/^ {4}(input|mean|std): /gm, '  $1: ');
  assert.notEqual(compact, large);
  const parser = new SectionedParser();
  await assertSameAsFullParse(parser.parse(compact));
  await assertSameAsFullParse(parser.parse(compact.replace('  threads: 1', '  threads: 3')));
});

test('what sections cannot do exactly falls back to the full parse', async () => {
  const parser = new SectionedParser();
  const broken = large.replace('  threads: 1', '  threads: [1');
  const syntax = parser.parse(broken);
  assert.ok(syntax.diagnostics.some((d) => d.code === 'MG101'));
  await assertSameAsFullParse(syntax);
  const duplicate = parser.parse(large + '\ncost:\n  perHour: 1\n');
  assert.ok(duplicate.diagnostics.some((d) => d.code === 'MG102'));
  const anchored = parser.parse(large.replace('  threads: 1', '  threads: &t 1').replace('  instances: 1', '  instances: *t'));
  await assertSameAsFullParse(anchored);
});

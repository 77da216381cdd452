// Bad input of every kind yields diagnostics, never an exception: YAML
// garbage, binary bytes, huge and deeply nested files, and a wrong type at
// every place of a complete manifest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { ManifestDiagnostic } from '../../../server/manifest/diagnostics';
import { parseManifest } from '../../../server/manifest/parse';
import { validateManifest, validateManifestSync } from '../../../server/manifest/validate';
import { expectFriendly, NOW } from './manifestFixture';
import { paths, WRONG } from './mutations';

const EXAMPLE = readFileSync('docs/manifest-example.yaml', 'utf8');

async function run(text: string, semantic = false): Promise<ManifestDiagnostic[]> {
  const parsed = parseManifest(text);
  const opts = { manifestPath: 'docs/model.yaml', semantic, now: NOW };
  const sync = validateManifestSync(parsed, opts);
  const all = await validateManifest(parsed, opts);
  assert.ok(Array.isArray(sync) && Array.isArray(all));
  for (const d of all) {
    assert.match(d.code, /^MG\d{3}$/);
    assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0, `bad range in ${d.code}`);
    assert.ok(d.offset >= 0 && d.offset <= text.length, `bad offset in ${d.code}`);
    assert.ok(d.message.length > 10);
  }
  expectFriendly(all);
  return all;
}

function pseudoRandomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const GARBAGE: Array<[string, string]> = [
  ['empty', ''],
  ['only a document marker', '---\n'],
  ['null', '~\n'],
  ['a number', '42\n'],
  ['a list', '- 1\n- 2\n'],
  ['binary bytes', pseudoRandomBytes(4096, 7).toString('latin1')],
  ['binary bytes as UTF-8', pseudoRandomBytes(4096, 11).toString('utf8')],
  ['NUL bytes', '\u0000\u0000apiVersion: modelgate/v1\n'],
  ['unclosed flow', 'apiVersion: modelgate/v1\nkind: Model\nmetadata: {name: x\n'],
  ['deep flow nesting', '['.repeat(50_000)],
  ['deep map nesting', '{'.repeat(5_000)],
  ['deep block nesting', '- '.repeat(20_000) + 'x\n'],
  [
    'alias bomb',
    'a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
  ],
  ['complex key', '? [a, b]\n: 1\napiVersion: modelgate/v1\n'],
  ['multiple documents', 'apiVersion: modelgate/v1\nkind: Model\n---\napiVersion: modelgate/v1\n'],
  ['a Kubernetes object', 'apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: 1}\n'],
  ['tabs everywhere', 'apiVersion:\tmodelgate/v1\nkind:\tModel\nmetadata:\n\tname: x\n'],
  ['CRLF line ends', EXAMPLE.replace(/\n/g, '\r\n')],
  ['a byte-order mark', '\ufeff' + EXAMPLE],
  ['10 MB manifest', EXAMPLE + '# ' + 'x'.repeat(10_000_000) + '\n'],
  ['long lines of keys', 'apiVersion: modelgate/v1\nkind: Model\n' + Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}`).join('\n')],
];

for (const [name, text] of GARBAGE) {
  test(`garbage: ${name}`, async () => {
    const diags = await run(text);
    if (name !== 'CRLF line ends' && name !== 'a byte-order mark')
      assert.ok(
        diags.some((d) => d.severity === 'error'),
        `expected an error for ${name}`,
      );
  });
}

test('a wrong value at every place of the example manifest never throws', async () => {
  const all = paths(parseDocument(EXAMPLE).contents);
  assert.ok(all.length > 100, `only ${all.length} paths`);
  let withDiagnostics = 0;
  for (const p of all) {
    for (const w of WRONG) {
      const doc = parseDocument(EXAMPLE);
      doc.setIn(p, w);
      const diags = await run(doc.toString());
      if (diags.length) withDiagnostics++;
    }
  }
  // Most substitutions are errors; a few (a string description) are fine.
  assert.ok(withDiagnostics > all.length * WRONG.length * 0.7, `${withDiagnostics} of ${all.length * WRONG.length}`);
});

test('a wrong value in each top-level section, with the file checks on, never throws', async () => {
  const top = Object.keys(parseDocument(EXAMPLE).toJS() as object);
  for (const k of top) {
    for (const w of WRONG) {
      const doc = parseDocument(EXAMPLE);
      doc.set(k, w);
      await run(doc.toString(), true);
    }
  }
});

test('a removed key anywhere never throws', async () => {
  for (const p of paths(parseDocument(EXAMPLE).contents)) {
    const doc = parseDocument(EXAMPLE);
    doc.deleteIn(p);
    await run(doc.toString());
  }
});

test('signature: 5 and inputs: "x" give type errors at their lines', async () => {
  const head = 'apiVersion: modelgate/v1\nkind: Model\nmetadata: {name: a, version: 1.0.0}\nmodel: {artifact: m.onnx, task: regression}\n';
  const one = await run(head + 'signature: 5\n');
  assert.deepEqual(
    one.map((d) => [d.code, d.range.start.line]),
    [['MG105', 4]],
  );
  const two = await run(head + 'signature:\n  inputs: "x"\n  outputs: [{name: y, dtype: float32, shape: [1]}]\n');
  assert.deepEqual(
    two.map((d) => [d.code, d.range.start.line]),
    [['MG105', 5]],
  );
});

// The file layer: datasets (MG2xx) and the ONNX model (MG3xx), against
// small projects written to a temp dir with hand-built ONNX models.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, expectAt, expectFriendly, expectNone, markerLine, show } from './manifestFixture';
import { identityModel, onnxModel } from './onnxFixture';

let root: string;
let n = 0;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'mg-files-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const CSV = 'a,b,y\n1,2,0\n3,4,1\n';

function project(files: Record<string, string | Buffer>): string {
  const dir = join(root, `p${n++}`);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

const STD_FILES = () => ({
  'model.onnx': identityModel(2),
  'data/train.csv': CSV,
  'data/validation.csv': CSV,
  'data/reference.csv': CSV,
  'data/current.csv': CSV,
});

/** A manifest for the 2-class identity model; `patch` edits lines by exact text. */
function manifest(patch: Array<[string, string]> = []): string {
  let t = `apiVersion: modelgate/v1
kind: Model
metadata:
  name: demo
  version: 1.0.0
model:
  artifact: model.onnx
  task: classification
  classLabels: [neg, pos]
signature:
  inputs:
    - name: features
      dtype: float32
      shape: [batch, 2]
      features: [a, b]
  outputs:
    - name: probabilities
      dtype: float32
      shape: [batch, 2]
data:
  labelColumn: y
  training:
    - path: data/train.csv
  validation:
    - path: data/validation.csv
  reference: data/reference.csv
  current: data/current.csv
gates:
  metrics:
    - metric: accuracy
      min: 0.5
`;
  for (const [from, to] of patch) {
    assert.ok(t.includes(from), `fixture has no "${from}"`);
    t = t.replace(from, to);
  }
  return t;
}

async function expectCode(text: string, dir: string, code: string, severity = 'error'): Promise<ReturnType<typeof expectAt>> {
  const diags = await check(text, { semantic: true, dir });
  const d = expectAt(diags, code, markerLine(text));
  assert.equal(d.severity, severity);
  expectFriendly(diags);
  return d;
}

test('a complete project is clean', async () => {
  const diags = await check(manifest(), { semantic: true, dir: project(STD_FILES()) });
  assert.deepEqual(diags, [], show(diags));
});

test('MG201 a missing dataset, with the nearest file suggested', async () => {
  const dir = project(STD_FILES());
  const d = await expectCode(manifest([['    - path: data/train.csv', '    - path: data/trian.csv  #!']]), dir, 'MG201');
  assert.match(d.message, /does not exist/);
  assert.equal(d.data?.suggestion, 'data/train.csv');
});

test('MG202 a ragged CSV names the line', async () => {
  const dir = project({ ...STD_FILES(), 'data/validation.csv': 'a,b,y\n1,2,0\n3,4\n' });
  const d = await expectCode(manifest([['    - path: data/validation.csv', '    - path: data/validation.csv  #!']]), dir, 'MG202');
  assert.match(d.message, /line 3 has 2 fields but the header has 3/);
});

test('MG202 a binary file and an empty file', async () => {
  const dir = project({ ...STD_FILES(), 'data/reference.csv': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), 'data/current.csv': '' });
  const bin = await expectCode(manifest([['  reference: data/reference.csv', '  reference: data/reference.csv  #!']]), dir, 'MG202');
  assert.match(bin.message, /binary/);
  const empty = await expectCode(manifest([['  current: data/current.csv', '  current: data/current.csv  #!']]), dir, 'MG202');
  assert.match(empty.message, /empty/);
});

test('MG203 a CSV without a header row', async () => {
  const dir = project({ ...STD_FILES(), 'data/train.csv': '1,2,0\n3,4,1\n' });
  await expectCode(manifest([['    - path: data/train.csv', '    - path: data/train.csv  #!']]), dir, 'MG203');
});

test('MG204 a feature column missing from a dataset, with a suggestion', async () => {
  const dir = project({ ...STD_FILES(), 'data/current.csv': 'a,B,y\n1,2,0\n' });
  const d = await expectCode(manifest([['  current: data/current.csv', '  current: data/current.csv  #!']]), dir, 'MG204');
  assert.match(d.message, /no column "b"/);
  assert.equal(d.data?.suggestion, 'B');
  const ok = await check(manifest(), { semantic: true, dir: project(STD_FILES()) });
  expectNone(ok, 'MG204');
});

test('MG204 a label column in no validation dataset is reported where the manifest names it', async () => {
  const dir = project({ ...STD_FILES(), 'data/validation.csv': 'a,b,target\n1,2,0\n' });
  const d = await expectCode(manifest([['  labelColumn: y', '  labelColumn: y  #!']]), dir, 'MG204');
  assert.match(d.message, /column "y" \(data\.labelColumn\) is not in the dataset "data\/validation\.csv"/);
});

test('MG204 a feature in no dataset points at the feature in the list', async () => {
  const dir = project(STD_FILES());
  const text = manifest([['      features: [a, b]', '      features:\n        - a\n        - bee  #!']]);
  const d = await expectCode(text, dir, 'MG204');
  assert.match(d.message, /column "bee"/);
  assert.equal(d.range.start.character, 10);
});

test('MG204 a ragged file still has its header checked', async () => {
  const dir = project({ ...STD_FILES(), 'data/current.csv': 'a,c,y\n1,2\n' });
  const diags = await check(manifest([['  current: data/current.csv', '  current: data/current.csv  #!']]), { semantic: true, dir });
  expectAt(diags, 'MG202', markerLine(manifest([['  current: data/current.csv', '  current: data/current.csv  #!']])));
  assert.ok(
    diags.some((d) => d.code === 'MG204'),
    show(diags),
  );
});

test('MG210 a URI is recorded, not fetched', async () => {
  const dir = project(STD_FILES());
  await expectCode(manifest([['  current: data/current.csv', '  current: s3://bucket/current.csv  #!']]), dir, 'MG210', 'info');
});

test('MG301 a missing artifact, with the ONNX file next to it suggested', async () => {
  const dir = project(STD_FILES());
  const d = await expectCode(manifest([['  artifact: model.onnx', '  artifact: modle.onnx  #!']]), dir, 'MG301');
  assert.equal(d.data?.suggestion, 'model.onnx');
});

test('MG302 a corrupt ONNX file and a text file', async () => {
  const corrupt = project({ ...STD_FILES(), 'model.onnx': Buffer.from([0x08, 0x07, 0x12, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03]) });
  const text = manifest([['  artifact: model.onnx', '  artifact: model.onnx  #!']]);
  const d = await expectCode(text, corrupt, 'MG302');
  assert.match(d.message, /^not an ONNX model: /);
  const notOnnx = project({ ...STD_FILES(), 'model.onnx': 'hello, I am text\n' });
  const d2 = await expectCode(text, notOnnx, 'MG302');
  assert.match(d2.message, /^not an ONNX model: /);
});

test('MG303 an input name that is not in the model', async () => {
  const dir = project(STD_FILES());
  const d = await expectCode(manifest([['    - name: features', '    - name: feature  #!']]), dir, 'MG303');
  assert.equal(d.data?.suggestion, 'features');
  // and no MG309 for the same input
  expectNone(await check(manifest([['    - name: features', '    - name: feature']]), { semantic: true, dir }), 'MG309');
});

test('MG303 an output name that is not in the model', async () => {
  const dir = project(STD_FILES());
  await expectCode(manifest([['    - name: probabilities', '    - name: probs  #!']]), dir, 'MG303');
});

test('MG304 a dtype that differs from the model', async () => {
  const dir = project(STD_FILES());
  const d = await expectCode(
    manifest([['      dtype: float32\n      shape: [batch, 2]\n      features', '      dtype: float64  #!\n      shape: [batch, 2]\n      features']]),
    dir,
    'MG304',
  );
  assert.equal(d.data?.suggestion, 'float32');
});

test('MG305 a fixed dimension that differs, and a rank that differs', async () => {
  const dir = project({ ...STD_FILES(), 'model.onnx': identityModel(3) });
  const text = manifest([
    ['  classLabels: [neg, pos]', '  classLabels: [neg, mid, pos]'],
    ['      shape: [batch, 2]\n      features: [a, b]', '      shape: [batch, 2]  #!\n      features: [a, b]'],
  ]);
  const d = await expectCode(text, dir, 'MG305');
  assert.match(d.message, /has 3 there/);
  const rank = manifest([['      shape: [batch, 2]\n      features: [a, b]', '      shape: [batch, 1, 2]  #!\n      features: [a, b]']]);
  await expectCode(rank, project(STD_FILES()), 'MG305');
});

test('MG305 a symbolic dimension in the manifest matches a fixed one in the model', async () => {
  const dir = project(STD_FILES());
  const diags = await check(manifest([['      shape: [batch, 2]\n      features', '      shape: [-1, n]\n      features']]), { semantic: true, dir });
  expectNone(diags, 'MG305');
});

test('MG306 class labels that do not match the output width', async () => {
  const dir = project({ ...STD_FILES(), 'model.onnx': identityModel(4) });
  const d = await expectCode(manifest([['  classLabels: [neg, pos]', '  classLabels: [a, b, c]  #!']]), dir, 'MG306');
  // The signature says 2 columns: that is what the labels are held against (the model's 4 are an MG305).
  assert.match(d.message, /3 classes/);
  assert.match(d.message, /2 columns/);
  expectNone(await check(manifest(), { semantic: true, dir: project(STD_FILES()) }), 'MG306');
  // Where the signature leaves the width symbolic, the model's width counts.
  const symbolic = manifest([
    ['  classLabels: [neg, pos]', '  classLabels: [a, b, c]  #!'],
    ['      shape: [batch, 2]\ndata', '      shape: [batch, n]\ndata'],
  ]);
  assert.match((await expectCode(symbolic, dir, 'MG306')).message, /4 columns/);
});

test('MG307 the feature count is checked against the model where the manifest is symbolic', async () => {
  const dir = project({ ...STD_FILES(), 'model.onnx': identityModel(2) });
  const text = manifest([['      shape: [batch, 2]\n      features: [a, b]', '      shape: [batch, n]\n      features: [a]  #!']]);
  const d = await expectCode(text, dir, 'MG307');
  assert.match(d.message, /the model's input "features"/);
});

test('MG309 a model input the signature leaves out', async () => {
  const two = onnxModel({
    inputs: [
      { name: 'features', dims: ['N', 2] },
      { name: 'bias', dims: ['N', 2] },
    ],
    outputs: [{ name: 'probabilities', dims: ['N', 2] }],
    nodes: [{ op: 'Add', inputs: ['features', 'bias'], outputs: ['probabilities'] }],
  });
  const dir = project({ ...STD_FILES(), 'model.onnx': two });
  const d = await expectCode(manifest([['  inputs:\n', '  inputs:  #!\n']]), dir, 'MG309');
  assert.match(d.message, /"bias"/);
});

test("MG310 no signature: info with the model's tensors for the quick fix", async () => {
  const dir = project(STD_FILES());
  const text = manifest([
    ['  artifact: model.onnx', '  artifact: model.onnx  #!'],
    [
      'signature:\n  inputs:\n    - name: features\n      dtype: float32\n      shape: [batch, 2]\n      features: [a, b]\n  outputs:\n    - name: probabilities\n      dtype: float32\n      shape: [batch, 2]\n',
      '',
    ],
  ]);
  const d = await expectCode(text, dir, 'MG310', 'info');
  const inputs = d.data?.inputs as Array<{ name: string; shape: unknown[] }>;
  assert.equal(inputs[0]?.name, 'features');
  assert.deepEqual(inputs[0]?.shape, ['batch', 2]);
});

test('semantic: false never touches the disk', async () => {
  const diags = await check(manifest(), { semantic: false, dir: join(root, 'does-not-exist') });
  assert.deepEqual(diags, []);
});

test('the CSV probe reads only the start of a large file', async () => {
  const big = 'a,b,y\n' + '1,2,0\n'.repeat(200_000) + '1,2\n';
  const dir = project({ ...STD_FILES(), 'data/train.csv': big });
  const diags = await check(manifest(), { semantic: true, dir });
  // The ragged last row lies beyond the 64 KB sample.
  assert.deepEqual(diags, [], show(diags));
});

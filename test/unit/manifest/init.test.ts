// modelgate init's starter manifest: signature from the model, datasets found
// by name, label and features from the header, task from the output width,
// and it validates clean.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildStarterManifest, yamlScalar } from '../../../server/manifest/init';
import { parseManifest } from '../../../server/manifest/parse';
import { validateManifest } from '../../../server/manifest/validate';
import { show } from './manifestFixture';
import { identityModel, onnxModel } from './onnxFixture';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'mg-init-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
}

async function starter(dir: string, cwd = root) {
  const out = join(dir, 'model.yaml');
  const s = await buildStarterManifest({ modelPath: join(dir, 'model.onnx'), outputPath: out, cwd, now: new Date('2030-01-01T00:00:00Z') });
  const diags = await validateManifest(parseManifest(s.text), { manifestPath: out });
  return { ...s, diags, value: parse(s.text) as Record<string, any> };
}

test('a classifier with data next to it: labels, frequencies, features, and no diagnostics', async () => {
  const dir = join(root, 'Churn Model');
  const csv = 'tenure,monthly charges,target\n1,20,yes\n2,30,no\n3,40,no\n4,50,no\n';
  write(dir, { 'model.onnx': identityModel(2), 'train.csv': csv, 'data/valid.csv': csv, 'data/ref.csv': csv, 'data/prod-2026.csv': csv });
  const s = await starter(dir);
  assert.deepEqual(s.diags, [], show(s.diags) + '\n' + s.text);
  assert.equal(s.value.metadata.name, 'churn-model');
  assert.equal(s.value.metadata.version, '0.1.0');
  assert.equal(s.value.model.task, 'classification');
  assert.deepEqual(s.value.model.classLabels, ['no', 'yes']);
  assert.deepEqual(s.value.data.labelFrequencies, { no: 0.75, yes: 0.25 });
  assert.equal(s.value.data.labelColumn, 'target');
  assert.deepEqual(s.value.signature.inputs[0].features, ['tenure', 'monthly charges']);
  assert.deepEqual(s.value.signature.inputs[0].shape, ['batch', 2]);
  assert.equal(s.value.data.training[0].path, 'train.csv');
  assert.equal(s.value.data.validation[0].path, 'data/valid.csv');
  assert.equal(s.value.data.reference, 'data/ref.csv');
  assert.equal(s.value.data.current, 'data/prod-2026.csv');
  assert.match(s.text, /^# /m, 'the starter is commented');
});

test('a regression model: one output column means regression, no class labels', async () => {
  const dir = join(root, 'house');
  write(dir, {
    'model.onnx': onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'price', dims: ['N', 1] }],
      nodes: [{ op: 'ReduceSum', inputs: ['x'], outputs: ['price'] }],
    }),
    'data/train.csv': 'a,b,c,y\n1,2,3,4\n',
  });
  const s = await starter(dir);
  assert.equal(s.value.model.task, 'regression');
  assert.equal(s.value.model.classLabels, undefined);
  assert.equal(s.value.data.labelColumn, 'y');
  assert.deepEqual(s.value.signature.inputs[0].features, ['a', 'b', 'c']);
  assert.deepEqual(
    s.diags.filter((d) => d.severity === 'error'),
    [],
    show(s.diags),
  );
});

test('an image input gets its pixel columns flat (the model takes them as its shape); a mismatched CSV gets no features', async () => {
  const img = join(root, 'img');
  const pixels = Array.from({ length: 3 }, (_, i) => `p${i}`);
  write(img, {
    'model.onnx': onnxModel({
      inputs: [{ name: 'image', dims: ['batch', 1, 1, 3] }],
      outputs: [{ name: 'scores', dims: ['batch', 3] }],
      nodes: [{ op: 'Flatten', inputs: ['image'], outputs: ['scores'] }],
    }),
    'train.csv': `${pixels.join(',')},label\n1,2,3,0\n1,2,3,1\n1,2,3,2\n`,
  });
  const s = await starter(img);
  assert.deepEqual(s.value.signature.inputs[0].features, pixels);
  assert.equal(s.value.preprocessing, undefined);
  assert.deepEqual(s.value.model.classLabels, ['0', '1', '2']);
  const odd = join(root, 'odd');
  write(odd, { 'model.onnx': identityModel(2), 'train.csv': 'a,b,c,target\n1,2,3,0\n' });
  const t = await starter(odd);
  assert.equal(t.value.signature.inputs[0].features, undefined);
  assert.ok(t.notes.some((n) => /features not written/.test(n)));
  assert.deepEqual(
    t.diags.filter((d) => d.severity === 'error'),
    [],
    show(t.diags),
  );
});

test('without data the class labels are placeholders and the manifest still validates', async () => {
  const dir = join(root, 'bare');
  write(dir, { 'model.onnx': identityModel(3) });
  const s = await starter(dir, dir);
  assert.deepEqual(s.value.model.classLabels, ['class_0', 'class_1', 'class_2']);
  assert.equal(s.value.data, undefined);
  assert.deepEqual(s.diags, [], show(s.diags));
});

test('yamlScalar quotes what a plain scalar would misread', () => {
  assert.equal(yamlScalar('mean radius'), 'mean radius');
  assert.equal(yamlScalar('0'), '"0"');
  assert.equal(yamlScalar('yes'), '"yes"');
  assert.equal(yamlScalar('a: b'), '"a: b"');
  assert.equal(yamlScalar('#x'), '"#x"');
  assert.equal(yamlScalar('../m.onnx'), '"../m.onnx"');
});

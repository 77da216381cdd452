import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { applyEdits, setupService, type Fixture } from './serviceSetup';

const s = setupService();
after(() => s.cleanup());
const HEAD = 'apiVersion: modelgate/v1\nkind: Model\n';
const cursor = (f: Fixture): Range => ({ start: f.position, end: f.position });

function diag(f: Fixture, code: string, path: (string | number)[], data: Record<string, unknown>, range?: Range): Diagnostic {
  return { range: range ?? cursor(f), severity: DiagnosticSeverity.Error, code, source: 'modelgate', message: code, data: { ...data, path } };
}

async function run(f: Fixture, diagnostics: Diagnostic[] = [], range = cursor(f)): Promise<CodeAction[]> {
  return s.service.codeActions(f.doc, range, diagnostics);
}

function result(f: Fixture, a: CodeAction | undefined): string {
  assert.ok(a, 'expected the code action');
  return applyEdits(f.doc, a.edit!.changes![f.doc.uri]!);
}

test('"Fill signature from model" replaces the section with the ONNX inputs/outputs and the CSV features', async () => {
  const f = s.doc(
    `${HEAD}model:\n  artifact: model.onnx\n  task: classification\nsignature:\n  inputs:\n    - name: wrong|\n      dtype: int64\n      shape: [1]\n  outputs: []\ndata:\n  labelColumn: target\n  training:\n    - path: data/train.csv\n`,
  );
  const out = result(
    f,
    (await run(f)).find((a) => a.title === 'Fill signature from model'),
  );
  const sig = parse(out).signature;
  assert.deepEqual(
    sig.inputs.map((i: { name: string }) => i.name),
    ['features'],
  );
  assert.deepEqual(sig.inputs[0].shape, ['batch', 30]);
  assert.equal(sig.inputs[0].dtype, 'float32');
  assert.equal(sig.inputs[0].features.length, 30, 'training header minus the label column');
  assert.equal(sig.inputs[0].features[0], 'mean radius');
  assert.ok(!sig.inputs[0].features.includes('target'));
  assert.deepEqual(sig.outputs, [{ name: 'probabilities', dtype: 'float32', shape: ['batch', 2] }]);
  assert.equal(parse(out).data.labelColumn, 'target', 'the rest of the manifest is untouched');
});

test('"Fill signature from model" adds the section after model when there is none, as a quick fix for MG309', async () => {
  const f = s.doc(`${HEAD}model:\n  artifact: model.onnx\n  task: classification\ndata:\n  labelColumn: target\n|`);
  const d = diag(f, 'MG309', ['model', 'artifact'], {});
  const action = (await run(f, [d])).find((a) => a.title === 'Fill signature from model');
  assert.equal(action?.kind, 'quickfix');
  const out = result(f, action);
  assert.deepEqual(Object.keys(parse(out)), ['apiVersion', 'kind', 'model', 'signature', 'data']);
  assert.equal(parse(out).signature.inputs[0].features, undefined, 'no training data: no features');
});

test('"Add missing required field" inserts the key at the mapping\'s indentation', async () => {
  const f = s.doc(`${HEAD}mo|del:\n    artifact: model.onnx\n  # comment\nserving:\n  threads: 1\n`);
  const out = result(
    f,
    (await run(f, [diag(f, 'MG107', ['model'], { missing: 'task' })])).find((a) => a.title === 'Add missing required field `task`'),
  );
  assert.equal(out, `${HEAD}model:\n    artifact: model.onnx\n    task: classification\n  # comment\nserving:\n  threads: 1\n`);
});

test('"Add missing required field" in a flow mapping and under an empty key', async () => {
  const flow = s.doc(`${HEAD}data:\n  training:\n    - path: a.csv\n      window: {start: 2024-01-01|}\n`);
  const d1 = diag(flow, 'MG107', ['data', 'training', 0, 'window'], { missing: 'end' });
  assert.match(result(flow, (await run(flow, [d1]))[0]), /window: \{start: 2024-01-01, end: ""\}/);
  const empty = s.doc(`${HEAD}metadata:|\nmodel:\n  task: regression\n`);
  const d2 = diag(empty, 'MG107', ['metadata'], { missing: 'name' });
  const out = result(empty, (await run(empty, [d2]))[0]);
  assert.equal(out, `${HEAD}metadata:\n  name: ""\nmodel:\n  task: regression\n`);
});

test('"Change to `suggestion`" renames an unknown key', async () => {
  const f = s.doc(`${HEAD}model:\n  classLables: [a, b]\n`);
  const range = { start: { line: 3, character: 2 }, end: { line: 3, character: 13 } };
  const d = diag(f, 'MG110', ['model', 'classLables'], { suggestion: 'classLabels', key: 'classLables' }, range);
  const action = (await run(f, [d], range)).find((a) => a.title === 'Change to `classLabels`');
  assert.equal(action?.isPreferred, true);
  assert.equal(result(f, action), `${HEAD}model:\n  classLabels: [a, b]\n`);
});

test('"Normalise label frequencies" rescales to three decimals summing to exactly 1', async () => {
  const f = s.doc(`${HEAD}data:\n  labelFrequencies: {a: 1, b: 1, c: 1|}\n`);
  const out = result(
    f,
    (await run(f)).find((a) => a.title === 'Normalise label frequencies'),
  );
  assert.equal(out, `${HEAD}data:\n  labelFrequencies: {a: 0.334, b: 0.333, c: 0.333}\n`);
  const block = s.doc(`${HEAD}data:\n  labelFrequencies:\n    malignant: 0.5\n    benign: 0.7\n|`);
  const d = diag(block, 'MG205', ['data', 'labelFrequencies'], {});
  const fixed = parse(
    result(
      block,
      (await run(block, [d])).find((a) => a.title === 'Normalise label frequencies'),
    ),
  ).data.labelFrequencies;
  assert.deepEqual(fixed, { malignant: 0.417, benign: 0.583 });
  const done = s.doc(`${HEAD}data:\n  labelFrequencies: {a: 0.25|, b: 0.75}\n`);
  assert.equal(
    (await run(done)).find((a) => a.title === 'Normalise label frequencies'),
    undefined,
    'nothing to do when already normalised',
  );
});

test('"Add apiVersion and kind" for a model.yaml without them, after its header comment', async () => {
  const f = s.doc('# my model\nmetadata:\n  name: x|\n');
  const [diagnostic] = await s.service.validate(f.doc, { validate: true, semantic: false, maxProblems: 10 });
  assert.equal(diagnostic?.severity, DiagnosticSeverity.Information);
  const action = (await run(f, [diagnostic!])).find((a) => a.title === 'Add apiVersion and kind');
  assert.equal(result(f, action), '# my model\napiVersion: modelgate/v1\nkind: Model\nmetadata:\n  name: x\n');
});

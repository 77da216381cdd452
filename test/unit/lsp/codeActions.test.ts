import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSettings } from '../../../server/protocol/lsp';
import { applyEdits, SAMPLES, setupService, type Fixture } from './serviceSetup';

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
    (await run(f, [diag(f, 'MG107', ['model'], { missing: 'task' })])).find((a) => a.title === 'Add the missing required field task'),
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
  const action = (await run(f, [d], range)).find((a) => a.title === 'Change to classLabels');
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

// The common value mistakes, from the validator's own diagnostic to the fixed text.
async function fixFor(text: string, code: string): Promise<{ title: string; out: string }> {
  const f = s.doc(text);
  const diagnostics = (await s.service.validate(f.doc, defaultSettings)).filter((d) => d.code === code);
  assert.equal(diagnostics.length, 1, `one ${code} diagnostic`);
  const d = diagnostics[0]!;
  const fix = (await run(f, [d], d.range)).find((a) => a.isPreferred && a.diagnostics?.includes(d));
  assert.ok(fix, `a preferred quick fix for ${code}`);
  return { title: fix.title, out: result(f, fix) };
}

const SAMPLE = readFileSync(join(SAMPLES, 'breast-cancer', 'model.yaml'), 'utf8');

test('quick fixes for the common value mistakes: a threshold above 1, a word for a number, a duplicate key, a future date', async () => {
  const pctFix = await fixFor(SAMPLE.replace('min: 0.94', 'min: 94'), 'MG122');
  assert.equal(pctFix.title, 'Change to 0.94');
  assert.equal(pctFix.out, SAMPLE);
  const above = await fixFor(SAMPLE.replace('min: 0.94', 'min: 1.3'), 'MG122');
  assert.equal(above.title, 'Change to 1');
  assert.equal(above.out, SAMPLE.replace('min: 0.94', 'min: 1'));

  const word = await fixFor(SAMPLE.replace('maxBatchSize: 32', 'maxBatchSize: "lots"'), 'MG105');
  assert.equal(word.title, 'Change to 32 (the default)');
  assert.equal(word.out, SAMPLE);
  const withNumber = await fixFor(SAMPLE.replace('maxBatchSize: 32', 'maxBatchSize: "64 rows"'), 'MG105');
  assert.equal(withNumber.title, 'Change to 64 (the number in the text)');
  assert.equal(withNumber.out, SAMPLE.replace('maxBatchSize: 32', 'maxBatchSize: 64'));

  const dup = await fixFor(SAMPLE.replace('  threads: 1\n', '  threads: 1\n  threads: 2\n'), 'MG102');
  assert.match(dup.title, /^Remove the second "threads" \(line \d+\); YAML keeps only one$/);
  assert.equal(dup.out, SAMPLE);
  const dupBlock = await fixFor(SAMPLE.replace('serving:\n', 'serving:\n  batching:\n    enabled: false\n'), 'MG102');
  // The second batching (the sample's own) goes with the lines nested under it.
  assert.deepEqual(parse(dupBlock.out).serving, { ...parse(SAMPLE).serving, batching: { enabled: false } });

  const future = await fixFor(SAMPLE.replace(/trainedAt: .*/, 'trainedAt: 2999-01-01T00:00:00Z'), 'MG209');
  const when = /^Change to (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/.exec(future.title)?.[1];
  assert.ok(when, future.title);
  assert.ok(Date.parse(when) <= Date.now(), 'not in the future');
  assert.equal(future.out, SAMPLE.replace(/trainedAt: .*/, `trainedAt: ${when}`));
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { InsertTextFormat, type CompletionItem } from 'vscode-languageserver-types';
import { setupService } from './serviceSetup';

const s = setupService();
after(() => s.cleanup());

const HEAD = 'apiVersion: modelgate/v1\nkind: Model\n';
const DATA = 'data:\n  labelColumn: target\n  training:\n    - path: data/train.csv\n';

async function complete(text: string, opts?: { dir?: string; name?: string }) {
  const f = s.doc(text, opts);
  const list = await s.service.complete(f.doc, f.position);
  return { list, labels: list.items.map((i) => i.label), f };
}
const newText = (i: CompletionItem | undefined): string => (i?.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : '');

test('keys of the section at the cursor, on a half-typed line, as snippets with the schema text', async () => {
  const { labels, list } = await complete(`${HEAD}model:\n  artifact: model.onnx\n  ta|\n`);
  assert.ok(labels.includes('task'));
  assert.ok(!labels.includes('artifact'), 'keys already written are not offered again');
  assert.ok(!labels.includes('metadata'), 'keys of other sections are not offered');
  const task = list.items.find((i) => i.label === 'task')!;
  assert.equal(newText(task), 'task: ${1|classification,regression|}');
  assert.equal(task.insertTextFormat, InsertTextFormat.Snippet);
  assert.match(String((task.documentation as { value: string }).value), /one score per class/);
  assert.deepEqual((task.textEdit as { range: unknown }).range, { start: { line: 4, character: 2 }, end: { line: 4, character: 4 } });
});

test('a section key comes with its required children', async () => {
  const { list } = await complete('|');
  const model = list.items.find((i) => i.label === 'model');
  assert.equal(newText(model), 'model:\n  artifact: $1\n  task: ${2|classification,regression|}');
  const signature = list.items.find((i) => i.label === 'signature');
  assert.match(newText(signature), /^signature:\n {2}inputs:\n {4}- name: \$1\n {6}dtype: \$\{2\|float32,/);
});

test('an empty line under a list of objects offers a new item with its required fields', async () => {
  const { list } = await complete(`${HEAD}gates:\n  metrics:\n    - metric: accuracy\n      min: 0.9\n    |\n`);
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['- (new item)'],
  );
  assert.match(newText(list.items[0]), /^- metric: \$\{1\|accuracy,precision,/);
});

test('enum values and booleans with their docs', async () => {
  const { list } = await complete(`${HEAD}metadata:\n  type: |\n`);
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['lean', 'mega'],
  );
  assert.match(String((list.items[0]!.documentation as { value: string }).value), /small model/);
  const bools = await complete(`${HEAD}serving:\n  batching:\n    enabled: |\n`);
  assert.deepEqual(bools.labels, ['true', 'false']);
});

test('input names come from the ONNX file', async () => {
  const { list } = await complete(`${HEAD}model:\n  artifact: model.onnx\n  task: classification\npreprocessing:\n  - op: standardize\n    input: |\n`);
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['features'],
  );
  assert.equal(list.items[0]!.detail, 'float32 [batch, 30]');
  const outputs = await complete(`${HEAD}model:\n  artifact: model.onnx\nsignature:\n  outputs:\n    - name: p|\n`);
  assert.deepEqual(outputs.labels, ['probabilities']);
});

test('input names are found even when the document does not parse', async () => {
  const { labels } = await complete(`${HEAD}model:\n  artifact: model.onnx\n  task: [unclosed\npostprocessing:\n  - op: argmax\n    output: |\n`);
  assert.deepEqual(labels, ['probabilities']);
});

test('column names come from the dataset headers', async () => {
  const label = await complete(`${HEAD}${DATA.replace('labelColumn: target', 'labelColumn: |')}`);
  assert.equal(label.labels.length, 31);
  assert.equal(label.labels[0], 'mean radius');
  assert.ok(label.labels.includes('target'));
  const feats = await complete(`${HEAD}signature:\n  inputs:\n    - name: features\n      features: [mean radius, |]\n${DATA}`);
  assert.ok(!feats.labels.includes('mean radius'), 'listed features are not offered again');
  assert.equal(feats.labels[0], 'mean texture');
  const slice = await complete(`${HEAD}${DATA}gates:\n  metrics:\n    - metric: accuracy\n      slice: {column: |}\n`);
  assert.ok(slice.labels.includes('worst area'));
  const drift = await complete(`${HEAD}${DATA}staleness:\n  drift:\n    features:\n      mean radius: {method: psi}\n      |\n`);
  assert.ok(!drift.labels.includes('mean radius'));
  assert.equal(newText(drift.list.items[0]), 'mean texture:\n        threshold: $1');
});

test('class labels complete labelFrequencies keys and gate classes, quoted when they look like numbers', async () => {
  const { list } = await complete(`${HEAD}model:\n  classLabels: ["0", "1"]\ndata:\n  labelFrequencies:\n    |\n`);
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['0', '1'],
  );
  assert.equal(newText(list.items[0]), '"0": $1');
  const cls = await complete(`${HEAD}model:\n  classLabels: [malignant, benign]\ngates:\n  metrics:\n    - metric: recall\n      class: |\n`);
  assert.deepEqual(cls.labels, ['malignant', 'benign']);
});

test('paths next to the manifest: folders and files of the expected kind', async () => {
  const dir = s.folder({ 'model.onnx': 'x', 'other.txt': 'x', 'data/train.csv': 'a,b\n1,2\n', 'data/notes.md': '#' });
  const artifact = await complete(`${HEAD}model:\n  artifact: |\n`, { dir });
  assert.deepEqual(artifact.labels.sort(), ['data/', 'model.onnx']);
  const csv = await complete(`${HEAD}data:\n  reference: data/|\n`, { dir });
  assert.deepEqual(csv.labels, ['train.csv']);
  assert.equal(newText(csv.list.items[0]), 'data/train.csv');
});

test('other YAML and comments get no completion', async () => {
  assert.equal((await complete('apiVersion: apps/v1\nkind: Deployment\n|', { name: 'deploy.yaml' })).labels.length, 0);
  assert.equal((await complete(`${HEAD}# a comm|ent\n`)).labels.length, 0);
});

test('a step offers the fields of its op; op offers every op with its doc', async () => {
  const std = await complete(`${HEAD}preprocessing:\n  - op: standardize\n    |\n`);
  assert.deepEqual(std.labels.sort(), ['input', 'mean', 'std'], 'only standardize fields, op already written');
  const mean = std.list.items.find((i) => i.label === 'mean')!;
  assert.match(String(mean.detail), /\(required\)/);
  const onehot = await complete(`${HEAD}preprocessing:\n  - op: onehot\n    |\n`);
  assert.deepEqual(onehot.labels.sort(), ['categories', 'column', 'input']);
  const ops = await complete(`${HEAD}preprocessing:\n  - op: standardize\n  - op: |\n`);
  assert.deepEqual(ops.labels, ['standardize', 'minmax', 'onehot', 'reshape']);
  assert.match(String((ops.list.items[2]!.documentation as { value: string }).value), /one column per category/);
  const post = await complete(`${HEAD}postprocessing:\n  - op: |\n`);
  assert.deepEqual(post.labels, ['softmax', 'argmax', 'topk']);
});

test('a new step item starts with op', async () => {
  const { list } = await complete(`${HEAD}preprocessing:\n  - op: reshape\n    shape: [1, 8, 8]\n  |\n`);
  assert.deepEqual(
    list.items.map((i) => i.label),
    ['- (new item)'],
  );
  assert.match(newText(list.items[0]), /^- op: \$\{1\|standardize,minmax,onehot,reshape\|\}/);
});

test("metric completion offers the model task's metrics only, and details are plain text", async () => {
  const values = async (task: string) =>
    (await complete(`${HEAD}model:\n  task: ${task}\ngates:\n  metrics:\n    - metric: |\n`)).list.items.map((i) => i.label).sort();
  assert.deepEqual(await values('classification'), ['accuracy', 'ece', 'f1', 'log_loss', 'precision', 'recall', 'roc_auc']);
  assert.deepEqual(await values('regression'), ['mae', 'mape', 'r2', 'rmse']);
  const keys = (await complete(`${HEAD}model:\n  |\n`)).list.items;
  const task = keys.find((i) => i.label === 'task');
  assert.equal(task?.detail, 'classification | regression (required)');
  assert.ok(
    keys.every((i) => !String(i.detail ?? '').includes('`')),
    'no literal backticks in any detail',
  );
});

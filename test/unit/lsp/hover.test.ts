import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setupService } from './serviceSetup';

const s = setupService();
after(() => s.cleanup());
const HEAD = 'apiVersion: modelgate/v1\nkind: Model\n';

async function hoverText(text: string): Promise<string | undefined> {
  const f = s.doc(text);
  const h = await s.service.hover(f.doc, f.position);
  return h ? (h.contents as { value: string }).value : undefined;
}

test('hover on a key shows the schema description and type', async () => {
  const text = await hoverText(`${HEAD}serving:\n  thr|eads: 1\n`);
  assert.match(text!, /^\*\*serving\.threads\*\*: integer ≥ 1/);
  assert.match(text!, /intra-op threads per worker/);
  assert.match(text!, /Default: `1`/);
});

test('hover on an enum value explains that value first', async () => {
  const text = await hoverText(`${HEAD}metadata:\n  type: me|ga\n`);
  assert.match(text!, /^`mega`: a large model that needs dedicated resources/);
  assert.match(text!, /\*\*metadata\.type\*\*: `lean` \| `mega`/);
});

test('hover inside a sequence item names the indexed path', async () => {
  const text = await hoverText(`${HEAD}signature:\n  inputs:\n    - name: features\n      dty|pe: float32\n`);
  assert.match(text!, /\*\*signature\.inputs\[0\]\.dtype\*\*/);
});

test('hover on model.artifact lists the real inputs and outputs of the ONNX file', async () => {
  const text = await hoverText(`${HEAD}model:\n  artifact: mo|del.onnx\n  task: classification\n`);
  assert.match(text!, /\| input \| `features` \| float32 \| \[batch, 30\] \|/);
  assert.match(text!, /\| output \| `probabilities` \| float32 \| \[batch, 2\] \|/);
});

test('hover on a broken artifact says why the model cannot be read', async () => {
  const text = await hoverText(`${HEAD}model:\n  artifact: missi|ng.onnx\n`);
  assert.match(text!, /Cannot read the model: .*missing\.onnx.*does not exist/);
});

test('no hover outside manifests or on unknown keys', async () => {
  assert.equal(await hoverText('apiVersion: v1\nkind: ConfigMap\nda|ta: {}\n'), undefined);
  assert.equal(await hoverText(`${HEAD}mystery|: 1\n`), undefined);
});

test('hover in a step explains the field of its op, and the op value', async () => {
  const std = await hoverText(`${HEAD}preprocessing:\n  - op: standardize\n    st|d: [1, 2]\n`);
  assert.match(std!, /\*\*preprocessing\[0\]\.std\*\*: list of number/);
  assert.match(std!, /Standard deviation per feature/);
  const op = await hoverText(`${HEAD}preprocessing:\n  - op: one|hot\n`);
  assert.match(op!, /^`onehot`: expand one categorical column/);
  assert.match(op!, /`standardize` \| `minmax` \| `onehot` \| `reshape`/);
});

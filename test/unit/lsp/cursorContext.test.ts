import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorContext } from '../../../server/lsp/cursorContext';
import { caret } from './serviceSetup';

function at(fixture: string) {
  const { text, offset } = caret(fixture);
  const ctx = cursorContext(text, offset);
  return { ...ctx, replaced: text.slice(ctx.replaceStart, ctx.replaceEnd) };
}

test('a half-typed key under a section is a key of that section, siblings excluded', () => {
  const c = at('apiVersion: modelgate/v1\nmodel:\n  artifact: m.onnx\n  ta|\ndata:\n  labelColumn: x\n');
  assert.equal(c.kind, 'key');
  assert.deepEqual(c.path, ['model']);
  assert.equal(c.prefix, 'ta');
  assert.equal(c.replaced, 'ta');
  assert.deepEqual(c.siblings, ['artifact']);
  assert.equal(c.column, 2);
});

test('an empty line at column 0 is a top-level key; the indentation decides the parent', () => {
  assert.deepEqual(at('model:\n  task: regression\n|').path, []);
  assert.deepEqual(at('model:\n  task: regression\n  |').path, ['model']);
});

test('values inside sequence items get their index', () => {
  const c = at('signature:\n  inputs:\n    - name: a\n      dtype: float32\n    - name: |\n');
  assert.equal(c.kind, 'value');
  assert.deepEqual(c.path, ['signature', 'inputs', 1, 'name']);
});

test('compact sequences (dash at the key column) are understood', () => {
  const c = at('preprocessing:\n- op: standardize\n- op: minmax\n  input: |');
  assert.deepEqual(c.path, ['preprocessing', 1, 'input']);
});

test('a flow list item is a value with the earlier items as siblings', () => {
  const c = at('signature:\n  inputs:\n    - name: b\n      features: [mean radius, mea|]\n');
  assert.equal(c.kind, 'value');
  assert.equal(c.flow, true);
  assert.deepEqual(c.path, ['signature', 'inputs', 0, 'features', 1]);
  assert.equal(c.prefix, 'mea');
  assert.deepEqual(c.siblings, ['mean radius']);
});

test('a flow list continued over several lines keeps counting items', () => {
  const c = at('signature:\n  inputs:\n    - name: a\n      features: [a, b,\n                 c, d|');
  assert.deepEqual(c.path, ['signature', 'inputs', 0, 'features', 3]);
  assert.equal(c.prefix, 'd');
});

test('keys and values inside flow mappings', () => {
  const value = at('gates:\n  metrics:\n    - metric: accuracy\n      slice: {column: |, min: 3}\n');
  assert.equal(value.kind, 'value');
  assert.deepEqual(value.path, ['gates', 'metrics', 0, 'slice', 'column']);
  const key = at('gates:\n  metrics:\n    - metric: accuracy\n      slice: {col|}\n');
  assert.equal(key.kind, 'key');
  assert.deepEqual(key.path, ['gates', 'metrics', 0, 'slice']);
  assert.equal(key.replaced, 'col');
});

test('a block list of scalars: the item is a value', () => {
  const c = at('signature:\n  inputs:\n    - name: a\n      features:\n        - x\n        - |');
  assert.equal(c.kind, 'value');
  assert.deepEqual(c.path, ['signature', 'inputs', 0, 'features', 1]);
});

test('keys keyed by data (drift feature overrides) see the existing ones', () => {
  const c = at('staleness:\n  drift:\n    features:\n      mean radius: {method: psi}\n      |\n');
  assert.equal(c.kind, 'key');
  assert.deepEqual(c.path, ['staleness', 'drift', 'features']);
  assert.deepEqual(c.siblings, ['mean radius']);
});

test('lines of a block scalar are not structure', () => {
  const c = at('metadata:\n  description: >\n    looks: like a key\n  own|\n');
  assert.deepEqual(c.path, ['metadata']);
  assert.deepEqual(c.siblings, ['description']);
});

test('a value typed right after the colon needs a space', () => {
  const c = at('model:\n  task:|');
  assert.equal(c.kind, 'value');
  assert.equal(c.needsSpace, true);
});

test('a key whose colon already follows is flagged, and the replaced span is the word', () => {
  const c = at('model:\n  ar|tifact: x\n');
  assert.equal(c.kind, 'key');
  assert.equal(c.colonFollows, true);
  assert.equal(c.replaced, 'artifact');
});

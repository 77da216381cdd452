// What init reads from the data: label column, columns per input, class
// labels and their order, a stratified seeded split, thresholds from a measurement.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thresholdFrom } from '../../../server/manifest/init';
import { classLabelsFrom, columnKinds, csvText, planColumns, splitRows } from '../../../server/manifest/initData';
import type { TensorInfo } from '../../../server/runtime/onnx';

const input = (name: string, shape: (number | string)[], dtype: TensorInfo['dtype'] = 'float32'): TensorInfo => ({ name, dtype, shape });
const table = (columns: string[], rows: string[][]) => ({ path: 'x.csv', columns, rows });

test('two inputs: the one-value input by its name, the label by name, the rest to the other input', () => {
  const cols = ['x1', 'x2', 'x3', 'category', 'target'];
  const plan = planColumns(cols, [input('numeric', ['batch', 3]), input('category', ['batch', 1], 'int64')], new Map(), false);
  assert.equal(plan.label?.column, 'target');
  assert.deepEqual(
    plan.inputs.map((i) => [i.input, i.features]),
    [
      ['numeric', ['x1', 'x2', 'x3']],
      ['category', ['category']],
    ],
  );
  assert.deepEqual(plan.unmatched, []);
});

test('a label not named like one is found by elimination: the only text column', () => {
  const cols = ['a', 'b', 'cultivar', 'c'];
  const t = table(cols, [
    ['1', '2', 'barolo', '3'],
    ['4', '5', 'barbera', '6'],
  ]);
  const plan = planColumns(cols, [input('features', ['batch', 3])], columnKinds(t), true);
  assert.equal(plan.label?.column, 'cultivar');
  assert.match(plan.label!.why, /only text column/);
  assert.deepEqual(plan.inputs[0]!.features, ['a', 'b', 'c']);
});

test('columns named input_i_j feed a 4-D input; several unnamed inputs are split by position and said to be guessed', () => {
  const pix = ['img_0_0_0', 'img_0_0_1', 'img_1_0_0', 'img_1_0_1'];
  const plan = planColumns([...pix, 'shape'], [input('img', ['batch', 2, 1, 2])], new Map(), true);
  assert.deepEqual(plan.inputs[0]!.features, pix);
  assert.equal(plan.label?.column, 'shape');
  const two = planColumns(['p', 'q', 'r', 'label'], [input('a', ['batch', 2]), input('b', ['batch', 1])], new Map(), true);
  assert.deepEqual(
    two.inputs.map((i) => i.features),
    [['p', 'q'], ['r']],
  );
  assert.match(two.inputs[0]!.why, /guessed by position/);
});

test('columns that do not fill an input leave it unmatched, with what it needs', () => {
  const plan = planColumns(['a', 'b', 'c', 'target'], [input('x', ['batch', 2])], new Map(), false);
  assert.deepEqual(plan.inputs, []);
  assert.match(plan.unmatched[0]!.why, /input "x" takes 2 values per row; 3 unmatched columns \(a, b, c\)/);
});

test('class labels: the model order when it holds one, class indices, else sorted and to be confirmed', () => {
  const fromModel = classLabelsFrom(['b', 'a', 'b'], undefined, ['b', 'a']);
  assert.deepEqual(fromModel?.labels, ['b', 'a']);
  assert.equal(fromModel?.confirm, false);
  assert.deepEqual(fromModel?.frequencies, { b: 0.667, a: 0.333 });
  const indices = classLabelsFrom(['1', '0', '2', '1'], 3, undefined);
  assert.deepEqual(indices?.labels, ['0', '1', '2']);
  assert.match(indices!.order, /class indices/);
  const names = classLabelsFrom(['grignolino', 'barolo', 'barbera'], 3, undefined);
  assert.deepEqual(names?.labels, ['barbera', 'barolo', 'grignolino']);
  assert.equal(names?.confirm, true);
  assert.equal(classLabelsFrom(['a', 'b'], 3, undefined), undefined, 'two names for three output columns');
});

test('the split is seeded, disjoint, complete and stratified', () => {
  const strata = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 'rare' : 'common'));
  const a = splitRows(100, 0.2, strata);
  const b = splitRows(100, 0.2, strata);
  assert.deepEqual(a, b);
  assert.equal(a.training.length + a.validation.length, 100);
  assert.equal(new Set([...a.training, ...a.validation]).size, 100);
  assert.equal(a.validation.filter((i) => strata[i] === 'rare').length, 5);
  assert.equal(a.validation.filter((i) => strata[i] === 'common').length, 15);
  assert.equal(csvText(table(['a', 'b'], [['1', 'x,y']]), [0]), 'a,b\n1,"x,y"\n');
});

test('thresholds sit just below what was measured, with the margin said', () => {
  const acc = thresholdFrom('accuracy', true, 0.9, 100);
  assert.deepEqual([acc.bound, acc.value], ['min', 0.84]);
  assert.match(acc.why, /measured 0\.9 on 100 validation rows; min = measured − 0\.06 \(two standard errors\)/);
  const mae = thresholdFrom('mae', false, 42.17, 92);
  assert.equal(mae.bound, 'max');
  assert.ok(mae.value >= 42.17 * 1.1 && mae.value < 42.17 * 1.2, String(mae.value));
});

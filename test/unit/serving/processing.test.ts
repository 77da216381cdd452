import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessingError, compileProcessing, tryCompileProcessing } from '../../../server/manifest/compileProcessing';
import { argmax, encodeCategory, postprocess, preprocess, rawRowsFromCells, softmax, splitByInput, topk } from '../../../server/manifest/processing';
import type { ModelManifest } from '../../../server/manifest/types';

function manifest(over: Partial<ModelManifest> = {}): ModelManifest {
  return {
    apiVersion: 'modelgate/v1',
    kind: 'Model',
    metadata: { name: 'm', version: '1.0.0' },
    model: { artifact: 'model.onnx', task: 'classification', classLabels: ['no', 'yes'] },
    signature: {
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2], features: ['a', 'b'] }],
      outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', 2] }],
    },
    ...over,
  } as ModelManifest;
}

test('standardize and minmax apply per feature and convert to the input dtype', () => {
  const plan = compileProcessing(
    manifest({
      preprocessing: [
        { op: 'standardize', mean: [1, 10], std: [2, 5] },
        { op: 'minmax', min: 0, max: 4 },
      ],
    }),
  );
  const t = preprocess(plan.inputs[0]!, Float64Array.from([3, 20, 1, 0]), 2);
  assert.deepEqual(t.dims, [2, 2]);
  assert.ok(t.data instanceof Float32Array);
  // (3-1)/2 = 1 → 1/4; (20-10)/5 = 2 → 2/4; (1-1)/2 = 0; (0-10)/5 = -2 → -0.5
  assert.deepEqual(Array.from(t.data as Float32Array), [0.25, 0.5, 0, -0.5]);
});

test('preprocess leaves the raw rows untouched', () => {
  const plan = compileProcessing(manifest({ preprocessing: [{ op: 'standardize', mean: [1, 1], std: [1, 1] }] }));
  const raw = Float64Array.from([5, 6]);
  preprocess(plan.inputs[0]!, raw, 1);
  assert.deepEqual(Array.from(raw), [5, 6]);
});

test('onehot expands one raw column into one column per category; unknown categories give zeros', () => {
  const plan = compileProcessing(
    manifest({
      signature: {
        inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4], features: ['n', 'color'] }],
        outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', 2] }],
      },
      preprocessing: [{ op: 'onehot', column: 'color', categories: ['red', 'green', 'blue'] }],
    }),
  );
  const input = plan.inputs[0]!;
  assert.equal(input.rawWidth, 2);
  assert.equal(input.modelWidth, 4);
  assert.deepEqual(input.categorical.get(1), ['red', 'green', 'blue']);
  const raw = Float64Array.from([7, encodeCategory('blue', ['red', 'green', 'blue']), 8, -1]);
  assert.deepEqual(Array.from(preprocess(input, raw, 2).data as Float32Array), [7, 0, 0, 1, 8, 0, 0, 0]);
});

test('reshape must match the signature shape; the tensor gets the model dims', () => {
  const base = {
    signature: {
      inputs: [{ name: 'img', dtype: 'float32', shape: ['batch', 1, 2, 2], features: ['p0', 'p1', 'p2', 'p3'] }],
      outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', 2] }],
    },
  } as Partial<ModelManifest>;
  const plan = compileProcessing(manifest({ ...base, preprocessing: [{ op: 'reshape', shape: [1, 2, 2] }] }));
  assert.deepEqual(preprocess(plan.inputs[0]!, new Float64Array(8), 2).dims, [2, 1, 2, 2]);
  assert.throws(
    () => compileProcessing(manifest({ ...base, preprocessing: [{ op: 'reshape', shape: [2, 2] }] })),
    (e: unknown) => e instanceof ProcessingError && e.path.join('.') === 'preprocessing.0.shape',
  );
});

test('compile errors point at the manifest field', () => {
  const cases: [Partial<ModelManifest>, string][] = [
    [{ preprocessing: [{ op: 'standardize', mean: [1, 2, 3], std: [1, 1] }] }, 'preprocessing.0.mean'],
    [{ preprocessing: [{ op: 'standardize', mean: [1, 2], std: [1, 0] }] }, 'preprocessing.0.std.1'],
    [{ preprocessing: [{ op: 'minmax', min: 1, max: 1 }] }, 'preprocessing.0.max'],
    [{ preprocessing: [{ op: 'minmax', input: 'nope', min: 0, max: 1 }] }, 'preprocessing.0.input'],
    [{ postprocessing: [{ op: 'argmax', output: 'nope' }] }, 'postprocessing.0.output'],
    [{ postprocessing: [{ op: 'topk', k: 3 }] }, 'postprocessing.0.k'],
    [{ model: { artifact: 'm.onnx', task: 'classification', classLabels: ['a', 'b', 'c'] } }, 'model.classLabels'],
  ];
  for (const [over, path] of cases) {
    assert.throws(
      () => compileProcessing(manifest(over)),
      (e: unknown) => e instanceof ProcessingError && e.path.join('.') === path,
      path,
    );
  }
  assert.throws(
    () =>
      compileProcessing(
        manifest({
          signature: {
            inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2], features: ['a'] }],
            outputs: [{ name: 's', dtype: 'float32', shape: ['batch', 2] }],
          },
        }),
      ),
    (e: unknown) => e instanceof ProcessingError && e.path.join('.') === 'signature.inputs.0.features',
  );
});

test("one ProcessingError lists every problem, with the first problem's code", () => {
  const bad = manifest({
    preprocessing: [
      { op: 'standardize', mean: [1, 2, 3], std: [1, 1] },
      { op: 'minmax', input: 'nope', min: 0, max: 1 },
    ],
    postprocessing: [{ op: 'topk', k: 3 }],
  });
  const err = (() => {
    try {
      compileProcessing(bad);
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof ProcessingError);
  assert.deepEqual(
    err.problems.map((p) => `${p.code} ${p.path.join('.')}`),
    ['MG129 preprocessing.1.input', 'MG308 preprocessing.0.mean', 'MG131 postprocessing.0.k'],
  );
  assert.equal(err.code, 'MG129');
  assert.equal(err.exitCode, 2);
  assert.match(err.message, /3 problems/);
  assert.match(err.message, /MG308 preprocessing\[0\]\.mean has 3 values but input "x" has 2 features/);
  assert.match(err.message, /did you mean|use one of them/);
});

test('the model sizes what the signature leaves symbolic, and a row size nobody knows is MG351', () => {
  const sym = manifest({
    signature: {
      inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 'n'], features: ['a', 'b'] }],
      outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', -1] }],
    },
  });
  const fixed = {
    inputs: [{ name: 'x', dtype: 'float32' as const, shape: ['N', 2] }],
    outputs: [{ name: 'scores', dtype: 'float32' as const, shape: ['N', 2] }],
  };
  const plan = compileProcessing(sym, fixed);
  assert.deepEqual(plan.inputs[0]!.dims, [2]);
  assert.deepEqual(plan.outputs[0]!.dims, [2]);
  // Without the model the size is unknown: no problem to report, but no plan either.
  const alone = tryCompileProcessing(sym);
  assert.deepEqual(alone.problems, []);
  assert.equal(alone.plan, undefined);
  assert.match(alone.needsModel!, /signature\.inputs\[0\]\.shape\[1\] is "n"/);
  assert.throws(
    () => compileProcessing(sym),
    (e: unknown) => e instanceof ProcessingError && e.code === 'MG300',
  );
  const dynamic = { ...fixed, inputs: [{ name: 'x', dtype: 'float32' as const, shape: ['N', 'M'] }] };
  const r = tryCompileProcessing(sym, { model: dynamic });
  assert.deepEqual(
    r.problems.map((p) => `${p.code} ${p.path.join('.')}`),
    ['MG351 signature.inputs.0.shape.1'],
  );
  assert.match(r.problems[0]!.message, /the model leaves it dynamic too/);
});

test("without a signature the model's tensors are compiled, and problems point at model.artifact", () => {
  const m = manifest({ signature: undefined, preprocessing: [{ op: 'onehot', column: 'color', categories: ['a', 'b'] }] });
  const model = {
    inputs: [{ name: 'x', dtype: 'string' as const, shape: ['N', 3] }],
    outputs: [{ name: 'scores', dtype: 'float32' as const, shape: ['N', 2] }],
  };
  const r = tryCompileProcessing(m, { model });
  assert.deepEqual(
    r.problems.map((p) => p.code),
    ['MG350', 'MG129'],
  );
  assert.deepEqual(r.problems[0]!.path, ['model', 'artifact']);
  assert.match(r.problems[0]!.message, /the model's input "x" type is string/);
});

test('a second onehot column is still read as a raw category', () => {
  const plan = compileProcessing(
    manifest({
      signature: {
        inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 5], features: ['color', 'size'] }],
        outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', 2] }],
      },
      preprocessing: [
        { op: 'onehot', column: 'color', categories: ['r', 'g'] },
        { op: 'onehot', column: 'size', categories: ['s', 'm', 'l'] },
      ],
    }),
  );
  const input = plan.inputs[0]!;
  assert.deepEqual([...input.categorical.keys()], [0, 1]);
  assert.deepEqual(Array.from(preprocess(input, Float64Array.from([1, 2]), 1).data as Float32Array), [0, 1, 0, 0, 1]);
});

test('softmax, argmax and topk by hand', () => {
  const p = softmax(Float32Array.from([0, Math.log(3), 1, 1]), 2);
  assert.ok(Math.abs(p[0]! - 0.25) < 1e-6 && Math.abs(p[1]! - 0.75) < 1e-6);
  assert.ok(Math.abs(p[2]! - 0.5) < 1e-6);
  assert.deepEqual(Array.from(argmax([1, 5, 2, 9, 0, 0], 3)), [1, 0]);
  const k = topk([0.1, 0.7, 0.2, 0.5, 0.3, 0.2], 3, 2);
  assert.deepEqual(Array.from(k.index), [1, 2, 0, 1]);
  assert.deepEqual(
    Array.from(k.score).map((v) => Math.round(v * 10) / 10),
    [0.7, 0.2, 0.5, 0.3],
  );
});

test('postprocess adds softmax, label and top-k outputs under their own names; raw outputs stay', () => {
  const plan = compileProcessing(
    manifest({
      postprocessing: [{ op: 'softmax' }, { op: 'argmax' }, { op: 'topk', k: 1 }],
    }),
  );
  assert.equal(plan.probabilityOutput, 'probabilities');
  const raw = { scores: { dtype: 'float32' as const, dims: [2, 2], data: Float32Array.from([2, 0, -1, 3]) } };
  const out = postprocess(plan, raw);
  assert.deepEqual(
    out.map((d) => d.name),
    ['probabilities', 'label', 'topk'],
  );
  const label = out[1]!;
  assert.equal(label.kind, 'labels');
  assert.deepEqual(label.kind === 'labels' && label.values, ['no', 'yes']);
  const top = out[2]!;
  assert.deepEqual(top.kind === 'topk' && top.labels, ['no', 'yes']);
  assert.deepEqual(Array.from(raw.scores.data), [2, 0, -1, 3]);
});

test('a derived name that collides with a model output is prefixed', () => {
  const plan = compileProcessing(
    manifest({
      signature: {
        inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 2] }],
        outputs: [{ name: 'label', dtype: 'float32', shape: ['batch', 2] }],
      },
      postprocessing: [{ op: 'argmax' }],
    }),
  );
  assert.equal(plan.post[0]!.as, 'label_label');
});

test('rawRowsFromCells reads CSV cells in feature order and splits inputs; splitByInput agrees', () => {
  const plan = compileProcessing(
    manifest({
      signature: {
        inputs: [
          { name: 'x', dtype: 'float32', shape: ['batch', 2], features: ['a', 'b'] },
          { name: 'c', dtype: 'float32', shape: ['batch', 2], features: ['color'] },
        ],
        outputs: [{ name: 'scores', dtype: 'float32', shape: ['batch', 2] }],
      },
      preprocessing: [{ op: 'onehot', input: 'c', column: 'color', categories: ['red', 'blue'] }],
    }),
  );
  const header = ['color', 'b', 'a'];
  const raw = rawRowsFromCells(
    plan,
    [
      ['blue', '2', '1'],
      ['red', '', '3'],
    ],
    (f) => header.indexOf(f),
  );
  assert.deepEqual(Array.from(raw[0]!), [1, 2, 3, Number.NaN]);
  assert.deepEqual(Array.from(raw[1]!), [1, 0]);
  const split = splitByInput(plan, Float64Array.from([1, 2, 1, 3, 4, 0]), 2);
  assert.deepEqual(Array.from(split[0]!), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(split[1]!), [1, 0]);
});

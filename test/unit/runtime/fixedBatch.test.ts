// A model exported without a dynamic batch axis ([1, 13]) takes any number
// of rows through run(): they go in chunks of 1 and the outputs are joined.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSession, fixedBatchSize, run } from '../../../server/runtime/onnx';

const fixed = join(__dirname, '../../fixtures/fixed-batch/model.onnx');
const dynamic = join(__dirname, '../../../samples/breast-cancer/model.onnx');

function rows(n: number, width: number): Float32Array {
  return Float32Array.from({ length: n * width }, (_, i) => ((i * 7) % 11) - 5);
}

test('fixedBatchSize reads a fixed first axis, and nothing for a dynamic one', async () => {
  const a = await createSession(fixed);
  const b = await createSession(dynamic);
  try {
    assert.equal(fixedBatchSize(a), 1);
    assert.equal(fixedBatchSize(b), undefined);
  } finally {
    await a.release();
    await b.release();
  }
});

test('a fixed-batch model runs 5 rows as 5 runs of one, with the same values row by row', async () => {
  const s = await createSession(fixed);
  try {
    const x = rows(5, 13);
    const all = await run(s, { features: { dtype: 'float32', dims: [5, 13], data: x } });
    assert.deepEqual(all.scores!.dims, [5, 3]);
    for (let r = 0; r < 5; r++) {
      const one = await run(s, { features: { dtype: 'float32', dims: [1, 13], data: x.slice(r * 13, r * 13 + 13) } });
      assert.deepEqual([...(all.scores!.data as Float32Array).slice(r * 3, r * 3 + 3)], [...(one.scores!.data as Float32Array)]);
    }
    const none = await run(s, { features: { dtype: 'float32', dims: [0, 13], data: new Float32Array(0) } });
    assert.deepEqual(none.scores!.dims, [0, 3]);
  } finally {
    await s.release();
  }
});

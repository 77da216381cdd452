import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCorrectness, compareJson, predictionsOf } from '../../../../server/modeltests/stress/correctness';

describe('compareJson', () => {
  test('numbers within tolerance are equal and report the largest difference', () => {
    const c = compareJson([[0.1, 0.9]], [[0.10005, 0.89999]], 1e-4);
    assert.equal(c.equal, true);
    assert.ok(Math.abs(c.maxAbsDiff - 0.00005) < 1e-12);
  });
  test('a number beyond tolerance is a difference with its path', () => {
    const c = compareJson({ p: [0.1, 0.9] }, { p: [0.1, 0.8] }, 1e-4);
    assert.equal(c.equal, false);
    assert.ok(Math.abs(c.maxAbsDiff - 0.1) < 1e-12);
    assert.equal(c.where, '$.p[1]: 0.9 vs 0.8');
  });
  test('labels must match exactly; shapes and keys too', () => {
    assert.equal(compareJson(['benign'], ['benign'], 0).equal, true);
    assert.equal(compareJson(['benign'], ['malignant'], 1).equal, false);
    assert.equal(compareJson([1, 2], [1, 2, 3], 1).equal, false);
    assert.equal(compareJson({ a: 1 }, { b: 1 }, 1).equal, false);
    assert.equal(compareJson(1, '1', 1).equal, false);
  });
});

describe('predictionsOf', () => {
  test('takes predictions from a 2xx JSON body', () => {
    assert.deepEqual(predictionsOf(200, '{"predictions":[[1,2]]}'), { ok: true, value: [[1, 2]] });
  });
  test('explains a non-2xx, a non-JSON body and a missing field', () => {
    assert.match((predictionsOf(503, 'busy') as { why: string }).why, /HTTP 503: busy/);
    assert.match((predictionsOf(200, 'nope') as { why: string }).why, /not JSON/);
    assert.match((predictionsOf(200, '{"outputs":1}') as { why: string }).why, /no "predictions"/);
  });
});

describe('checkCorrectness', () => {
  const ok = (v: unknown) => ({ status: 200, body: JSON.stringify({ predictions: v }) });

  test('asks for each distinct row once and counts mismatches', async () => {
    const asked: number[] = [];
    const reference = async (row: number) => {
      asked.push(row);
      return ok([[row, 1 - row / 10]]);
    };
    const captured = [
      { row: 1, ...ok([[1, 0.9]]) },
      { row: 2, ...ok([[2, 0.8 + 5e-5]]) },
      { row: 1, ...ok([[1, 0.9]]) },
      { row: 3, ...ok([[3, 0.5]]) }, // wrong: reference says 0.7
      { row: 2, status: 500, body: 'boom' },
    ];
    const r = await checkCorrectness(captured, reference, 1e-4);
    assert.deepEqual(asked, [1, 2, 3]);
    assert.equal(r.sampled, 5);
    assert.equal(r.mismatches, 2);
    assert.ok(Math.abs(r.maxAbsDiff - 0.2) < 1e-9);
    assert.equal(r.examples.length, 2);
    assert.match(r.examples[0]!, /row 3: under load predictions\[0\]\[1\]: 0\.5 vs 0\.7/);
    assert.match(r.examples[1]!, /row 2: the response under load failed: HTTP 500/);
  });

  test('a failing reference is a mismatch, not a silent pass', async () => {
    const r = await checkCorrectness([{ row: 0, ...ok([1]) }], async () => ({ status: 0, body: 'refused' }), 1e-4);
    assert.equal(r.mismatches, 1);
    assert.match(r.examples[0]!, /unbatched reference request failed/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INLINE_BUDGET_MS, chooseWorkers, needsBatchProbe } from '../../../server/serving/workers/sizing';

test('a number or inline is taken as written, whatever was measured', () => {
  assert.deepEqual(chooseWorkers(3, { rowMs: 0.01 }, 32, 1, 2), { workers: 3, reason: 'serving.workers: 3' });
  assert.deepEqual(chooseWorkers('inline', { rowMs: 50 }, 32, 1, 16), { workers: 0, reason: 'serving.workers: inline' });
});

test('auto: a full batch under the budget runs inline; over it, one worker per `threads` cores', () => {
  const light = chooseWorkers('auto', { rowMs: 0.02 }, 32, 1, 16);
  assert.equal(light.workers, 0);
  assert.match(light.reason, /full batch of 32 takes 0\.64 ms, under 2 ms, so it runs inline/);
  // the measured full batch wins over row × batch size (batching is sublinear)
  assert.equal(chooseWorkers('auto', { rowMs: 0.1, batchMs: 1.5 }, 32, 1, 16).workers, 0);
  assert.equal(chooseWorkers('auto', { rowMs: 0.1, batchMs: 2.5 }, 32, 1, 16).workers, 16);
  assert.equal(chooseWorkers('auto', { rowMs: 10 }, 8, 1, 2).workers, 2);
  assert.equal(chooseWorkers('auto', { rowMs: 10 }, 8, 4, 16).workers, 4);
  assert.equal(chooseWorkers('auto', { rowMs: 10 }, 8, 4, 2).workers, 1, 'never fewer than one');
  assert.match(chooseWorkers('auto', { rowMs: 10 }, 8, 1, 2).reason, /takes 80\.0 ms, over 2 ms, so 2 workers \(2 cores \/ 1 thread each\)/);
});

test('a full batch is timed only when one row leaves the choice open', () => {
  assert.equal(needsBatchProbe(0.01, 32), false, 'row × batch under the budget: inline');
  assert.equal(needsBatchProbe(INLINE_BUDGET_MS, 1), false, 'one row alone over the budget: workers');
  assert.equal(needsBatchProbe(0.5, 32), true);
});

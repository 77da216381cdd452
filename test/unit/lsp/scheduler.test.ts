import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationScheduler, type RunToken } from '../../../server/lsp/scheduler';

test('edits within the debounce collapse into one run of the last version', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const runs: number[] = [];
  const s = new ValidationScheduler(async (_uri, version) => {
    runs.push(version);
  }, 150);
  s.schedule('a', 1);
  t.mock.timers.tick(100);
  s.schedule('a', 2);
  t.mock.timers.tick(100);
  s.schedule('a', 3);
  t.mock.timers.tick(149);
  assert.deepEqual(runs, []);
  t.mock.timers.tick(1);
  assert.deepEqual(runs, [3]);
});

test('a newer version cancels a run that is still in progress', async () => {
  const tokens = new Map<number, RunToken>();
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const started = mock.fn();
  const s = new ValidationScheduler(async (_uri, version, token) => {
    tokens.set(version, token);
    started(version);
    if (version === 1) await gate;
  }, 0);
  s.schedule('a', 1, true);
  await new Promise<void>((r) => queueMicrotask(r));
  assert.equal(started.mock.callCount(), 1);
  s.schedule('a', 2, true);
  assert.equal(tokens.get(1)!.cancelled, true, 'the older run learns it is stale');
  await new Promise<void>((r) => queueMicrotask(r));
  assert.equal(tokens.get(2)!.cancelled, false);
  release();
});

test('documents are independent, and cancel stops a pending run', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const runs: string[] = [];
  const s = new ValidationScheduler(async (uri) => {
    runs.push(uri);
  }, 50);
  s.schedule('a', 1);
  s.schedule('b', 1);
  s.cancel('a');
  t.mock.timers.tick(50);
  assert.deepEqual(runs, ['b']);
});

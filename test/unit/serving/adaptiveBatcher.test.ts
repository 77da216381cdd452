import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptiveBatcher, type BatchEvent } from '../../../server/serving/adaptiveBatcher';
import { DirectScheduler } from '../../../server/serving/scheduler';
import type { BatchOutput } from '../../../server/manifest/predict';
import { ManualClock } from '../../helpers/manualClock';
import { ServingError } from '../../../server/serving/errors';

// A fake model: output row = 10 × the first raw value, so each request can
// check it got its own rows back.
function fakeRun(calls: number[], gate?: Promise<void>) {
  return async (raw: Float64Array[], rows: number): Promise<BatchOutput> => {
    calls.push(rows);
    if (gate) await gate;
    const data = new Float32Array(rows);
    for (let r = 0; r < rows; r++) data[r] = raw[0]![r * 2]! * 10;
    return { rows, raw: { y: { dtype: 'float32', dims: [rows, 1], data } }, derived: [] };
  };
}

const row = (v: number, n = 1) => [Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? v + i / 2 : 0))];
const valuesOf = (s: { out: BatchOutput; offset: number; rows: number }) =>
  Array.from((s.out.raw.y!.data as Float32Array).subarray(s.offset, s.offset + s.rows));

test('requests enqueued in the same turn of the event loop run as one batch and get their own rows back', async () => {
  const calls: number[] = [];
  const events: BatchEvent[] = [];
  const b = new AdaptiveBatcher(fakeRun(calls), { maxBatchSize: 32, maxDelayMs: 50, widths: [2], onBatch: (e) => events.push(e) });
  const results = await Promise.all([b.enqueue(row(1), 1), b.enqueue(row(2, 3), 3), b.enqueue(row(7), 1)]);
  assert.deepEqual(calls, [5]);
  assert.deepEqual(results.map(valuesOf), [[10], [20, 30, 40], [70]]);
  assert.deepEqual(
    results.map((r) => r.offset),
    [0, 1, 4],
  );
  assert.equal(events.length, 1);
  assert.equal(events[0]!.reason, 'idle');
  assert.equal(events[0]!.requests, 3);
  assert.equal(b.inflight, 0);
});

test('a lone request is released by the loop being free, not by the max-delay timer', async () => {
  const calls: number[] = [];
  const events: BatchEvent[] = [];
  // a huge maxDelayMs: if the batcher waited for it, the test would time out
  const b = new AdaptiveBatcher(fakeRun(calls), { maxBatchSize: 32, maxDelayMs: 60_000, widths: [2], onBatch: (e) => events.push(e) });
  const r = await b.enqueue(row(3), 1);
  assert.deepEqual(valuesOf(r), [30]);
  assert.equal(events[0]!.reason, 'idle');
});

test('at low load (the last batch was one request, nothing runs or waits) a request starts in the same turn; at higher load requests still gather', async () => {
  const calls: number[] = [];
  const b = new AdaptiveBatcher(fakeRun(calls), { maxBatchSize: 32, maxDelayMs: 50, widths: [2] });
  await b.enqueue(row(1), 1); // the first batch of a fresh batcher: one request
  const second = b.enqueue(row(2), 1);
  assert.deepEqual(calls, [1, 1], 'the lone request after a one-request batch is handed to the model before the turn ends');
  await second;
  // two at once after a one-request batch: the first starts now, the second waits for it
  const [x, y] = await Promise.all([b.enqueue(row(3), 1), b.enqueue(row(4), 1)]);
  assert.deepEqual([valuesOf(x), valuesOf(y)], [[30], [40]]);
  assert.deepEqual(calls, [1, 1, 1, 1]);
  // after a batch of several requests, a new arrival gathers with the others of its turn
  const burst = Array.from({ length: 3 }, (_, i) => b.enqueue(row(10 + i), 1));
  assert.deepEqual(calls, [1, 1, 1, 1, 1], 'the last batch held one request, so the first of the burst starts at once');
  await Promise.all(burst);
  assert.deepEqual(calls, [1, 1, 1, 1, 1, 2], 'the rest of the burst gathered behind it');
  const gather = await Promise.all([b.enqueue(row(20), 1), b.enqueue(row(21), 1)]);
  assert.deepEqual(gather.map(valuesOf), [[200], [210]]);
  assert.equal(calls.at(-1), 2, 'after a multi-request batch, requests of one turn go as one batch');
});

test('a full queue is released at once and batches never exceed maxBatchSize', async () => {
  const calls: number[] = [];
  const events: BatchEvent[] = [];
  const b = new AdaptiveBatcher(fakeRun(calls), { maxBatchSize: 4, maxDelayMs: 0, widths: [2], onBatch: (e) => events.push(e) });
  const all = await Promise.all(Array.from({ length: 10 }, (_, i) => b.enqueue(row(i), 1)));
  assert.deepEqual(
    all.map(valuesOf).flat(),
    Array.from({ length: 10 }, (_, i) => i * 10),
  );
  assert.ok(
    calls.every((n) => n <= 4),
    `batch sizes ${calls}`,
  );
  assert.equal(
    calls.reduce((a, c) => a + c, 0),
    10,
  );
  assert.equal(events[0]!.reason, 'full');
});

test('a request larger than maxBatchSize runs alone', async () => {
  const calls: number[] = [];
  const b = new AdaptiveBatcher(fakeRun(calls), { maxBatchSize: 2, maxDelayMs: 0, widths: [2] });
  const r = await b.enqueue(row(1, 5), 5);
  assert.deepEqual(calls, [5]);
  assert.deepEqual(valuesOf(r), [10, 20, 30, 40, 50]);
});

test('requests that arrive while a batch runs go together when it finishes', async () => {
  const calls: number[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const events: BatchEvent[] = [];
  const b = new AdaptiveBatcher(fakeRun(calls, gate), { maxBatchSize: 32, maxDelayMs: 0, widths: [2], onBatch: (e) => events.push(e) });
  const first = b.enqueue(row(1), 1);
  await new Promise((r) => setImmediate(r)); // first batch is now running
  assert.deepEqual(calls, [1]);
  const later = [b.enqueue(row(2), 1), b.enqueue(row(3), 1), b.enqueue(row(4), 1)];
  assert.equal(b.queued, 3);
  assert.equal(b.inflight, 4);
  open();
  await first;
  const rest = await Promise.all(later);
  assert.deepEqual(calls, [1, 3]);
  assert.deepEqual(rest.map(valuesOf), [[20], [30], [40]]);
});

test('while every worker is busy, waiting requests are held past maxDelayMs and go out together when one finishes', async () => {
  const calls: number[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const events: BatchEvent[] = [];
  const clock = new ManualClock();
  let n = 0;
  const run = fakeRun(calls);
  const b = new AdaptiveBatcher(async (raw, rows) => (n++ === 0 ? (await gate, run(raw, rows)) : run(raw, rows)), {
    maxBatchSize: 32,
    maxDelayMs: 5,
    widths: [2],
    onBatch: (e) => events.push(e),
    clock,
  });
  const first = b.enqueue(row(1), 1);
  await new Promise((r) => setImmediate(r));
  const second = b.enqueue(row(2), 1);
  const third = b.enqueue(row(3), 1);
  clock.advance(50);
  await new Promise((r) => setImmediate(r));
  // releasing now would only queue a small batch behind the busy one
  assert.equal(n, 1, 'held while the only worker is busy');
  open();
  assert.deepEqual(valuesOf(await first), [10]);
  assert.deepEqual([valuesOf(await second), valuesOf(await third)], [[20], [30]]);
  assert.deepEqual(calls, [1, 2], 'the two waiting requests went out as one batch');
  assert.equal(events[1]!.requests, 2);
  assert.equal(clock.timers, 0);
});

test('with two workers, a second batch goes out while the first still runs; never a third', async () => {
  const calls: number[] = [];
  const gates: (() => void)[] = [];
  const b = new AdaptiveBatcher(
    async (raw, rows) => {
      calls.push(rows);
      await new Promise<void>((r) => gates.push(r));
      return fakeRun([])(raw, rows);
    },
    { maxBatchSize: 32, maxDelayMs: 2, widths: [2], concurrency: 2 },
  );
  const a = b.enqueue(row(1), 1);
  await new Promise((r) => setImmediate(r));
  const c = b.enqueue(row(2), 1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, [1, 1], 'the second worker took the next request at once');
  const d = b.enqueue(row(3), 1);
  const e = b.enqueue(row(4), 1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, [1, 1], 'both workers busy: the others wait');
  gates[0]!();
  assert.deepEqual(valuesOf(await a), [10]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, [1, 1, 2], 'the freed worker took both waiting requests as one batch');
  for (const g of gates.slice(1)) g();
  assert.deepEqual([valuesOf(await c), valuesOf(await d), valuesOf(await e)], [[20], [30], [40]]);
});

test('a batch that fails is re-run request by request: only the bad request fails', async () => {
  const calls: number[] = [];
  const events: BatchEvent[] = [];
  const b = new AdaptiveBatcher(
    async (raw, rows) => {
      calls.push(rows);
      for (let r = 0; r < rows; r++) if (raw[0]![r * 2] === 13) throw new Error('index 13 out of range');
      return fakeRun([])(raw, rows);
    },
    { maxBatchSize: 8, maxDelayMs: 0, widths: [2], onBatch: (e) => events.push(e) },
  );
  const results = await Promise.allSettled([b.enqueue(row(1), 1), b.enqueue(row(13), 1), b.enqueue(row(3, 2), 2)]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? valuesOf(r.value) : (r.reason as Error).message)),
    [[10], 'index 13 out of range', [30, 40]],
  );
  assert.deepEqual(calls, [4, 1, 1, 2], 'one batch of 4 rows, then each request alone');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    events.map((e) => [e.requests, e.split]),
    [[3, true]],
  );
  assert.equal(b.inflight, 0);
});

test('a batch refused as a whole (a ServingError: worker stopped) rejects every request in it, and the next batch still runs', async () => {
  let fail = true;
  const b = new AdaptiveBatcher(
    async (raw, rows) => {
      if (fail) {
        fail = false;
        throw new ServingError(503, 'worker stopped', 'MG333');
      }
      return fakeRun([])(raw, rows);
    },
    { maxBatchSize: 8, maxDelayMs: 0, widths: [2] },
  );
  const results = await Promise.allSettled([b.enqueue(row(1), 1), b.enqueue(row(2), 1)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  assert.deepEqual(valuesOf(await b.enqueue(row(5), 1)), [50]);
  assert.equal(b.inflight, 0);
});

test('stop() waits for accepted requests and refuses new ones with 503', async () => {
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const b = new AdaptiveBatcher(fakeRun([], gate), { maxBatchSize: 8, maxDelayMs: 0, widths: [2] });
  const accepted = b.enqueue(row(1), 1);
  let stopped = false;
  const stopping = b.stop().then(() => {
    stopped = true;
  });
  await assert.rejects(b.enqueue(row(2), 1), (e: { statusCode?: number }) => e.statusCode === 503);
  await new Promise((r) => setImmediate(r));
  assert.equal(stopped, false);
  open();
  assert.deepEqual(valuesOf(await accepted), [10]);
  await stopping;
  assert.equal(stopped, true);
});

// Queued behind a blocked batch, a request ages by exactly `waitMs` on the
// test's clock before the batch finishes; returns how it was answered.
async function ageBehindBlockedBatch(waitMs: number, queueTimeoutMs: number) {
  const calls: number[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => {
    open = r;
  });
  const clock = new ManualClock();
  let n = 0;
  const run = fakeRun(calls);
  const b = new AdaptiveBatcher(async (raw, rows) => (n++ === 0 ? (await gate, run(raw, rows)) : run(raw, rows)), {
    maxBatchSize: 8,
    maxDelayMs: 0,
    widths: [2],
    queueTimeoutMs,
    clock,
  });
  const first = b.enqueue(row(1), 1);
  await new Promise((r) => setImmediate(r));
  const late = b.enqueue(row(2), 1);
  const settled = late.then(
    (s) => valuesOf(s),
    (e: { statusCode?: number; message?: string }) => e,
  );
  clock.advance(waitMs);
  open();
  await first;
  const answer = await settled;
  return { answer, calls, inflight: b.inflight };
}

test('requests that waited longer than the queue timeout are answered 503 and not run', async () => {
  const { answer, calls, inflight } = await ageBehindBlockedBatch(26, 25);
  assert.ok(!Array.isArray(answer), 'the late request was run');
  assert.equal(answer.statusCode, 503);
  assert.match(answer.message ?? '', /waited 26 ms in the queue, longer than the 25 ms request timeout/);
  assert.deepEqual(calls, [1], 'only the first batch reached the model');
  assert.equal(inflight, 0);
});

test('a request that waited exactly the queue timeout still runs', async () => {
  const { answer, calls, inflight } = await ageBehindBlockedBatch(25, 25);
  assert.deepEqual(answer, [20]);
  assert.deepEqual(calls, [1, 1]);
  assert.equal(inflight, 0);
});

test('the direct scheduler runs one inference per request', async () => {
  const calls: number[] = [];
  const d = new DirectScheduler(fakeRun(calls));
  const r = await Promise.all([d.enqueue(row(1), 1), d.enqueue(row(2), 1)]);
  assert.deepEqual(calls, [1, 1]);
  assert.deepEqual(r.map(valuesOf), [[10], [20]]);
  await d.stop();
  await assert.rejects(d.enqueue(row(1), 1), (e: { statusCode?: number }) => e.statusCode === 503);
});

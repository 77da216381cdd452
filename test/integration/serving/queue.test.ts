// The queue front end in process, against a real redis-server: requests on
// modelgate:{model}:requests are answered like POST /v2/.../infer (JSON and
// binary), bad ones get an error reply and are acknowledged, unreadable ones
// go to the dead-letter stream, key replies carry a TTL, late ones are not
// computed, metrics count it all, HTTP keeps working, a stopping node leaves
// nothing pending, hot reloads are followed, back-pressure holds, and a wrong
// password is a clear error that never shows the password.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startServer, type RunningServer } from '../../../server/serving/server';
import { QueueClient, QueueError } from '../../../server/serving/queue/queueClient';
import { GROUP, requestFields, streamNames } from '../../../server/serving/queue/streams';
import { QueueConnectionError } from '../../../server/serving/queue/redisUrl';
import { startRedis, skipWithoutRedis, type RedisServer } from '../../helpers/redis';
import { copySample, postJson, sample, validationRows } from './helpers';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scoreCsvQueue } from '../../../server/pipeline/scoreQueue';
import { ScoreError } from '../../../server/pipeline/score';

const PASSWORD = 's3cr/et:pw';
const names = streamNames('breast-cancer');
let redis: RedisServer;
let server: RunningServer;
let admin: Redis;

const rows = validationRows('breast-cancer', 3, 30);
const jsonBody = { inputs: [{ name: 'features', shape: [3, 30], datatype: 'FP64', data: rows.flat() }] };

before(async () => {
  if (skipWithoutRedis) return;
  redis = await startRedis({ password: PASSWORD });
  admin = new Redis({ port: redis.port, host: '127.0.0.1', password: PASSWORD, lazyConnect: true });
  await admin.connect();
  // the least a node and a client need (docs/queue.md); test keys for the key replies
  await admin.call(
    'ACL',
    'SETUSER',
    'scorer',
    'on',
    '>scorer-pw',
    '~modelgate:*',
    '~test:*',
    '+@stream',
    '+@hash',
    '+@keyspace',
    '+@transaction',
    '+@connection',
  );
  server = await startServer({
    manifests: [sample('breast-cancer')],
    port: 0,
    logger: false,
    queue: { url: `redis://scorer:scorer-pw@127.0.0.1:${redis.port}`, claimIdleMs: 60_000 },
  });
});
after(async () => {
  await server?.close();
  admin?.disconnect();
  await redis?.stop();
});

test('a queue request is answered with the same v2 response as HTTP, JSON and binary, and acknowledged', { skip: skipWithoutRedis }, async () => {
  const http = await postJson(`${server.url}/v2/models/breast-cancer/infer`, jsonBody);
  assert.equal(http.status, 200);
  const client = await QueueClient.connect({ url: `redis://scorer:scorer-pw@127.0.0.1:${redis.port}`, model: 'breast-cancer', timeoutMs: 20_000 });
  try {
    const floats = new Float64Array(rows.flat());
    const head = Buffer.from(
      JSON.stringify({ inputs: [{ name: 'features', shape: [3, 30], datatype: 'FP64', parameters: { binary_data_size: floats.byteLength } }] }),
    );
    await client.enqueue([
      { id: 'json-1', body: JSON.stringify(jsonBody) },
      { id: 'bin-1', body: Buffer.concat([head, Buffer.from(floats.buffer)]), headerLength: head.length },
    ]);
    const replies = await client.waitFor(['json-1', 'bin-1']);
    for (const id of ['json-1', 'bin-1']) {
      const r = replies.get(id)!;
      assert.equal(r.status, 200, r.error);
      assert.equal(r.model, 'breast-cancer');
      assert.equal(r.node, server.consumers[0]!.consumer);
      assert.deepEqual(JSON.parse(r.body!.toString()).outputs, http.json.outputs);
    }
    // answered entries are acknowledged and removed: nothing pending, nothing waiting
    assert.deepEqual(await client.status(), { waiting: 0, pending: 0, consumers: 1 });
  } finally {
    await client.close();
  }
});

test('a request the model cannot take gets an error reply and is acknowledged, not retried', { skip: skipWithoutRedis }, async () => {
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'breast-cancer', timeoutMs: 20_000 });
  try {
    const bad = { inputs: [{ name: 'features', shape: [1, 29], datatype: 'FP64', data: rows[0]!.slice(0, 29) }] };
    await client.enqueue([
      { id: 'bad-shape', body: JSON.stringify(bad) },
      { id: 'not-json', body: '{"inputs": [' },
    ]);
    const replies = await client.waitFor(['bad-shape', 'not-json']);
    assert.equal(replies.get('bad-shape')!.status, 400);
    assert.equal(replies.get('bad-shape')!.code, 'MG314');
    assert.match(replies.get('bad-shape')!.error!, /takes 30; send shape \[N, 30\]/);
    assert.equal(replies.get('not-json')!.code, 'MG344');
    assert.equal((await client.status()).pending, 0);
  } finally {
    await client.close();
  }
});

test('a request read after its deadline is answered with MG364 and not computed', { skip: skipWithoutRedis }, async () => {
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'breast-cancer', timeoutMs: 20_000 });
  try {
    const before = await (await fetch(`${server.url}/metrics`)).text();
    const count = (text: string) => Number(/modelgate_stream_requests_total\{model="breast-cancer",result="expired"\} (\d+)/.exec(text)?.[1] ?? 0);
    await client.enqueue([
      { id: 'late', body: JSON.stringify(jsonBody), deadline: Date.now() - 1_000 },
      { id: 'in-time', body: JSON.stringify(jsonBody), deadline: Date.now() + 60_000 },
    ]);
    const replies = await client.waitFor(['late', 'in-time']);
    assert.equal(replies.get('late')!.status, 504);
    assert.equal(replies.get('late')!.code, 'MG364');
    assert.equal(replies.get('late')!.body, undefined);
    assert.equal(replies.get('in-time')!.status, 200);
    assert.equal(count(await (await fetch(`${server.url}/metrics`)).text()), count(before) + 1);
  } finally {
    await client.close();
  }
});

test(
  'an entry with no reply destination goes to the dead-letter stream with the reason; a key reply is a hash with a TTL',
  { skip: skipWithoutRedis },
  async () => {
    const before = ((await admin.xrange(names.deadLetters, '-', '+')) as unknown[]).length;
    await admin.xadd(names.requests, '*', 'id', 'orphan', 'body', JSON.stringify(jsonBody));
    await admin.xadd(
      names.requests,
      '*',
      ...(requestFields({ id: 'k-1', replyTo: 'test:reply:k-1', replyType: 'key', replyTtl: 120, body: Buffer.from(JSON.stringify(jsonBody)) }) as string[]),
    );
    const waitKey = async () => {
      for (let i = 0; i < 500; i++) {
        const h = await admin.hgetall('test:reply:k-1');
        if (h.status) return h;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('no key reply');
    };
    const h = await waitKey();
    assert.equal(h.status, '200');
    assert.equal(h.id, 'k-1');
    const ttl = await admin.ttl('test:reply:k-1');
    assert.ok(ttl > 0 && ttl <= 120, `ttl ${ttl}`);
    const dead = (await admin.xrange(names.deadLetters, '-', '+')) as [string, string[]][];
    assert.equal(dead.length, before + 1);
    const fields = new Map<string, string>();
    const last = dead.at(-1)![1];
    for (let i = 0; i < last.length; i += 2) fields.set(last[i]!, last[i + 1]!);
    assert.equal(fields.get('id'), 'orphan');
    assert.match(fields.get('dead_reason')!, /no reply_to field/);
    assert.ok(fields.get('body'), 'the original request is kept');
    const pending = (await admin.call('XPENDING', names.requests, GROUP)) as [number];
    assert.equal(Number(pending[0]), 0);
  },
);

test('/metrics shows the queue: requests by result, backlog, pending, claims and dead letters; HTTP still answers', { skip: skipWithoutRedis }, async () => {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(text, /modelgate_stream_requests_total\{model="breast-cancer",result="ok"\} [1-9]/);
  assert.match(text, /modelgate_stream_requests_total\{model="breast-cancer",result="error"\} [1-9]/);
  assert.match(text, /modelgate_stream_requests_total\{model="breast-cancer",result="invalid"\} [1-9]/);
  assert.match(text, /modelgate_stream_backlog\{model="breast-cancer"\} 0/);
  assert.match(text, /modelgate_stream_pending\{model="breast-cancer"\} 0/);
  assert.match(text, /modelgate_stream_claims_total\{model="breast-cancer"\} 0/);
  assert.match(text, /modelgate_stream_dead_letters_total\{model="breast-cancer"\} 0/);
  assert.match(text, /modelgate_requests_total\{model="breast-cancer",version="1.0.0",protocol="queue",status="200"\} [1-9]/);
  assert.doesNotMatch(text, /s3cr|scorer-pw/);
  assert.equal((await postJson(`${server.url}/v2/models/breast-cancer/infer`, jsonBody)).status, 200);
});

test('a wrong password is a clear error naming the URL without the password', { skip: skipWithoutRedis }, async () => {
  await assert.rejects(
    startServer({ manifests: [sample('breast-cancer')], port: 0, logger: false, queue: { url: `redis://default:not-the-pw@127.0.0.1:${redis.port}` } }),
    (err: unknown) => {
      assert.ok(err instanceof QueueConnectionError);
      assert.equal(err.code, 'MG361');
      assert.match(err.message, /refused the login/);
      assert.match(err.message, new RegExp(`redis://default:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}`));
      assert.doesNotMatch(err.message, /not-the-pw/);
      return true;
    },
  );
  await assert.rejects(QueueClient.connect({ url: `redis://scorer:nope@127.0.0.1:${redis.port}`, model: 'breast-cancer' }), (err: unknown) => {
    assert.ok(err instanceof QueueError);
    assert.equal(err.code, 'MG361');
    assert.doesNotMatch(err.message, /nope/);
    return true;
  });
});

test('with no node in the group, the client times out saying so', { skip: skipWithoutRedis }, async () => {
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'nobody-serves-this', timeoutMs: 300 });
  try {
    await client.enqueue([{ id: 'x', body: JSON.stringify(jsonBody) }]);
    await assert.rejects(client.waitFor(['x']), (err: unknown) => {
      assert.ok(err instanceof QueueError);
      assert.equal(err.code, 'MG364');
      assert.match(err.message, /no ModelGate node has joined modelgate:nobody-serves-this:requests; start one with: modelgate serve/);
      return true;
    });
  } finally {
    await client.close();
  }
});

test(
  "score --queue asks for the manifest's own version: a node serving another one refuses, and nothing is left behind",
  { skip: skipWithoutRedis },
  async () => {
    const copy = await copySample('breast-cancer', (y) => y.replace('version: 1.0.0', 'version: 2.0.0'));
    try {
      const output = join(copy.dir, 'out.csv');
      await assert.rejects(
        scoreCsvQueue(copy.manifest, { input: join(copy.dir, 'data/validation.csv'), output, queue: redis.authUrl, timeoutMs: 20_000 }),
        (err: unknown) => {
          assert.ok(err instanceof ScoreError);
          assert.equal(err.code, 'MG322');
          assert.match(err.message, /validation\.csv:2: .*refused by node .*MG322/);
          return true;
        },
      );
      assert.ok(!existsSync(output) && !existsSync(output + '.partial') && !existsSync(output + '.queue-state.json'));
    } finally {
      await copy.cleanup();
    }
  },
);

test("the manifest's serving.queue is consumed by modelgate serve only, never by a server a test run starts", { skip: skipWithoutRedis }, async () => {
  const copy = await copySample('breast-cancer', (y) =>
    y.replace('serving:\n', `serving:\n  queue:\n    url: redis://scorer@127.0.0.1:${redis.port}\n    claimIdleMs: 5000\n`),
  );
  process.env.MODELGATE_REDIS_PASSWORD = 'scorer-pw';
  try {
    const testRun = await startServer({ manifests: [copy.manifest], port: 0, logger: false });
    assert.deepEqual(testRun.consumers, []);
    await testRun.close();
    const node = await startServer({ manifests: [copy.manifest], port: 0, logger: false, queue: {} });
    try {
      assert.equal(node.consumers.length, 1);
      assert.equal(node.consumers[0]!.settings.claimIdleMs, 5000);
      assert.equal(node.consumers[0]!.where, `redis://scorer@127.0.0.1:${redis.port}`);
    } finally {
      await node.close();
    }
  } finally {
    delete process.env.MODELGATE_REDIS_PASSWORD;
    await copy.cleanup();
  }
});

test('a full stream makes the client wait, then fail with MG365 saying why', { skip: skipWithoutRedis }, async () => {
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'nobody-consumes', maxLength: 3, timeoutMs: 300 });
  try {
    const body = JSON.stringify(jsonBody);
    await client.enqueue([1, 2, 3].map((i) => ({ id: `f${i}`, body })));
    await assert.rejects(client.enqueue([{ id: 'f4', body }]), (err: unknown) => {
      assert.ok(err instanceof QueueError);
      assert.equal(err.code, 'MG365');
      assert.match(err.message, /stayed full \(3 of at most 3 requests\).*no ModelGate node has joined modelgate:nobody-consumes:requests/);
      return true;
    });
    assert.equal(await admin.xlen(streamNames('nobody-consumes').requests), 3, 'nothing was trimmed away');
  } finally {
    await client.close();
  }
});

test('a node that stops answers everything it has read first: nothing stays pending', { skip: skipWithoutRedis }, async () => {
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'breast-cancer', timeoutMs: 20_000 });
  try {
    const body = JSON.stringify(jsonBody);
    const ids = Array.from({ length: 300 }, (_, i) => `stop-${i}`);
    await client.enqueue(ids.map((id) => ({ id, body })));
    const consumer = server.consumers[0]!.consumer;
    await server.close();
    const pending = (await admin.call('XPENDING', names.requests, GROUP)) as [number];
    assert.equal(Number(pending[0]), 0);
    // with nothing pending it left the group
    const consumers = (await admin.call('XINFO', 'CONSUMERS', names.requests, GROUP)) as string[][];
    assert.ok(!consumers.some((c) => c.includes(consumer)), JSON.stringify(consumers));
    // each request was answered, or is still waiting in the stream for the next node
    const answered = new Set<string>();
    for (let r = await client.nextReplies(0); r.length; r = await client.nextReplies(0)) for (const x of r) if (x.status === 200) answered.add(x.id);
    const waiting = await admin.xlen(names.requests);
    assert.equal(answered.size + waiting, ids.length);
  } finally {
    await client.close();
  }
});

test('the queue follows a hot reload: requests sent after it are answered by the new version', { skip: skipWithoutRedis }, async () => {
  // after the shared node stopped (the test above): this node alone consumes the stream
  const copy = await copySample('breast-cancer');
  let reloaded: (v: string | undefined) => void = () => undefined;
  const reload = new Promise<string | undefined>((r) => (reloaded = r));
  const node = await startServer({
    manifests: [copy.manifest],
    port: 0,
    logger: false,
    watch: true,
    queue: { url: redis.authUrl },
    onReload: (e) => reloaded(e.ok ? e.version : e.error),
  });
  const client = await QueueClient.connect({ url: redis.authUrl, model: 'breast-cancer', timeoutMs: 20_000 });
  try {
    const body = JSON.stringify(jsonBody);
    await client.enqueue([{ id: 'before', body }]);
    assert.equal((await client.waitFor(['before'])).get('before')!.version, '1.0.0');
    await writeFile(copy.manifest, (await readFile(copy.manifest, 'utf8')).replace('version: 1.0.0', 'version: 1.0.1'));
    assert.equal(await reload, '1.0.1');
    await client.enqueue([{ id: 'after', body }]);
    const after = (await client.waitFor(['after'])).get('after')!;
    assert.equal(after.status, 200, after.error);
    assert.equal(after.version, '1.0.1');
    assert.equal(after.node, node.consumers[0]!.consumer);
  } finally {
    await client.close();
    await node.close();
    await copy.cleanup();
  }
});

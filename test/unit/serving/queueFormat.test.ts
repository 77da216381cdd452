// The queue's pure parts: Redis URLs (forms, errors, the password masked
// everywhere), request and reply entries (round trip, each bad field named),
// and the settings (command line over manifest over defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedisUrl, redact, QueueConfigError, PASSWORD_ENV } from '../../../server/serving/queue/redisUrl';
import { decodeReply, decodeRequest, EnvelopeError, fieldMap, replyFields, requestFields, streamNames } from '../../../server/serving/queue/streams';
import { QUEUE_DEFAULTS, queueSettings } from '../../../server/serving/queue/settings';
import type { ModelManifest } from '../../../server/manifest/types';

test('redis URLs: host, port, db, ACL user, TLS; the password is masked in the safe form', () => {
  const t = parseRedisUrl('rediss://scorer:p%40ss@redis.internal:6380/3', {});
  assert.deepEqual(
    { ...t },
    { safe: 'rediss://scorer:***@redis.internal:6380/3', host: 'redis.internal', port: 6380, db: 3, tls: true, username: 'scorer', password: 'p@ss' },
  );
  const plain = parseRedisUrl('redis://127.0.0.1', {});
  assert.equal(plain.port, 6379);
  assert.equal(plain.db, 0);
  assert.equal(plain.tls, false);
  assert.equal(plain.password, undefined);
  // the password may come from the environment, and stays out of the safe form
  const fromEnv = parseRedisUrl('redis://modelgate@10.0.0.5:6379', { [PASSWORD_ENV]: 'env-pw' });
  assert.equal(fromEnv.password, 'env-pw');
  assert.equal(fromEnv.safe, 'redis://modelgate@10.0.0.5:6379');
});

test('a malformed queue URL names the problem and shows the form, without the password', () => {
  for (const [url, why] of [
    ['http://u:pw123@host:6379', /has scheme http; the queue is Redis/],
    ['redis://u:pw123@host:6379/abc', /ends in \/abc; the path is the database number/],
    ['localhost:6379', /scheme localhost/],
    ['not a url', /is not a URL; write redis:\/\/host:port/],
    ['redis://u:pw123@host:6379/0?tls=1', /has a query or fragment/],
  ] as const) {
    assert.throws(
      () => parseRedisUrl(url, {}),
      (err: unknown) => {
        assert.ok(err instanceof QueueConfigError, url);
        assert.equal(err.code, 'MG360');
        assert.match(err.message, why);
        assert.doesNotMatch(err.message, /pw123/);
        return true;
      },
    );
  }
});

test('redact masks URL passwords and the given secrets, also URL-encoded', () => {
  assert.equal(redact('cannot reach redis://default:hunter2@h:1/0 now'), 'cannot reach redis://default:***@h:1/0 now');
  assert.equal(redact('AUTH failed for a/b:c (a%2Fb%3Ac)', ['a/b:c']), 'AUTH failed for *** (***)');
  assert.equal(redact('nothing secret here', [undefined, '']), 'nothing secret here');
});

test('stream names are documented ones', () => {
  const n = streamNames('breast-cancer');
  assert.equal(n.requests, 'modelgate:breast-cancer:requests');
  assert.equal(n.deadLetters, 'modelgate:breast-cancer:dead');
  assert.equal(n.replies('r1'), 'modelgate:breast-cancer:replies:r1');
});

test('a request entry round-trips through its fields; defaults are left out', () => {
  const req = {
    id: 'a',
    replyTo: 'r',
    replyType: 'key' as const,
    replyTtl: 60,
    version: '1.0.0',
    body: Buffer.from([1, 2, 3]),
    headerLength: '2',
    deadline: 5,
  };
  assert.deepEqual(decodeRequest(fieldMap(requestFields(req))), req);
  const minimal = requestFields({ id: 'b', replyTo: 'r', replyType: 'stream', replyTtl: 86_400, body: Buffer.from('{}') });
  assert.deepEqual(
    minimal.map((f) => f.toString()),
    ['id', 'b', 'reply_to', 'r', 'body', '{}'],
  );
});

test('a bad request entry names its field; an error reply is possible only when the reply destination is readable', () => {
  const f = (pairs: Record<string, string>) => fieldMap(Object.entries(pairs).flat());
  const cases: [Record<string, string>, RegExp, boolean][] = [
    [{ id: 'x', body: '{}' }, /no reply_to field/, false],
    [{ id: 'x', reply_to: 'r', reply_type: 'list', body: '{}' }, /reply_type is "list"; write stream .* or key/, false],
    [{ id: 'x', reply_to: 'r', reply_ttl: '0', body: '{}' }, /reply_ttl is "0"/, false],
    [{ reply_to: 'r', body: '{}' }, /no id field/, true],
    [{ id: 'x', reply_to: 'r' }, /no body field/, true],
    [{ id: 'x', reply_to: 'r', body: '{}', deadline: 'soon' }, /deadline is "soon"; write milliseconds since the epoch/, true],
    [{ id: 'x'.repeat(201), reply_to: 'r', body: '{}' }, /201 characters long; at most 200/, true],
  ];
  for (const [fields, why, canReply] of cases) {
    assert.throws(
      () => decodeRequest(f(fields)),
      (err: unknown) => {
        assert.ok(err instanceof EnvelopeError);
        assert.equal(err.code, 'MG362');
        assert.match(err.message, why);
        assert.equal(err.replyTo !== undefined, canReply, JSON.stringify(fields));
        return true;
      },
    );
  }
});

test('a reply round-trips through its fields', () => {
  const r = {
    id: 'a',
    entry: '1-0',
    status: 400,
    model: 'm',
    node: 'n',
    version: '1.0.0',
    code: 'MG314',
    error: 'bad',
    headerLength: 3,
    body: Buffer.from('abcdef'),
  };
  assert.deepEqual(decodeReply(fieldMap(replyFields(r))), r);
});

test('queue settings: the command line over the manifest over the defaults; no URL, no queue', () => {
  const manifest = { serving: { queue: { url: 'redis://m:1', maxDeliveries: 9, claimIdleMs: 500 } } } as unknown as ModelManifest;
  assert.deepEqual(queueSettings(manifest, { claimIdleMs: 700 }), { ...QUEUE_DEFAULTS, url: 'redis://m:1', maxDeliveries: 9, claimIdleMs: 700 });
  assert.equal(queueSettings({} as ModelManifest, { claimIdleMs: 700 }), undefined);
  assert.equal(queueSettings({} as ModelManifest, { url: 'redis://c:2' })!.url, 'redis://c:2');
});

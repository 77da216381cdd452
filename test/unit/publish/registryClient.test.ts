// Protocol behaviour the real registry cannot be made to show on demand
// (503s, 429 with Retry-After, lying digests, paginated tags) checked
// against a scripted HTTP server. The real docker-registry runs in
// test/integration/publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { digestOf } from '../../../server/publish/digest';
import { DigestMismatchError } from '../../../server/publish/digest';
import { RegistryClient, nextLink } from '../../../server/publish/registryClient';
import { RegistryError, RegistryUnreachableError } from '../../../server/publish/registryErrors';
import { staticCredentials } from '../../../server/publish/credentials';
import { freePort } from '../../helpers/registry';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
// Handlers only answer; what the client sent is in `seen`, and the test
// asserts on it afterwards (an assert thrown in a handler would only reach
// the client as a dropped connection).
type Handler = (req: Seen, res: ServerResponse) => void;

async function fakeRegistry(handler: Handler): Promise<{ host: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(s);
      handler(s, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

test('503 then 200: retried, and the attempts are bounded', async () => {
  let calls = 0;
  const reg = await fakeRegistry((req, res) => {
    calls++;
    if (req.url.includes('/tags/list') && calls < 3) return json(res, 503, { errors: [{ code: 'UNAVAILABLE' }] });
    if (req.url.includes('/tags/list')) return json(res, 200, { name: 'ml/x', tags: ['1.0.0'] });
    json(res, 503, {});
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    assert.deepEqual(await c.listTags('ml/x'), ['1.0.0']);
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      c.getManifest('ml/x', '1.0.0'),
      (e: unknown) => e instanceof RegistryError && e.status === 503 && /HTTP 503/.test(e.message) && /retry later/.test(e.message),
    );
    assert.equal(calls, 3, 'exactly `attempts` requests');
  } finally {
    await reg.close();
  }
});

test('429 with Retry-After is honoured and then succeeds', async () => {
  let calls = 0;
  const reg = await fakeRegistry((_req, res) => {
    calls++;
    if (calls === 1) return json(res, 429, { errors: [{ code: 'TOOMANYREQUESTS' }] }, { 'Retry-After': '0' });
    json(res, 200, {});
  });
  try {
    await new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast }).ping();
    assert.equal(calls, 2);
  } finally {
    await reg.close();
  }
});

test('connection refused: a clear error naming the registry after bounded attempts', async () => {
  const port = await freePort();
  const c = new RegistryClient({ registry: `127.0.0.1:${port}`, plainHttp: true, retry: fast });
  await assert.rejects(
    c.ping(),
    (e: unknown) =>
      e instanceof RegistryUnreachableError &&
      e.message.includes(`127.0.0.1:${port}`) &&
      /connection refused/.test(e.message) &&
      /after 3 attempts/.test(e.message),
  );
});

test('401 without credentials explains how to log in; with rejected credentials names their source, never the password', async () => {
  const reg = await fakeRegistry((_req, res) =>
    json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'WWW-Authenticate': 'Basic realm="r"' }),
  );
  try {
    const anon = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    await assert.rejects(
      anon.listTags('ml/x'),
      (e: unknown) =>
        e instanceof RegistryError && e.status === 401 && e.message.includes(`docker login ${reg.host}`) && /MODELGATE_REGISTRY_USERNAME/.test(e.message),
    );
    const creds = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast, credentials: staticCredentials('alice', 'hunter2-secret') });
    await assert.rejects(creds.listTags('ml/x'), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.match(e.message, /rejected the credentials from the caller/);
      assert.doesNotMatch(e.message, /hunter2/);
      return true;
    });
    const sent = reg.seen.map((s) => s.headers.authorization).filter(Boolean);
    assert.equal(sent[0], 'Basic ' + Buffer.from('alice:hunter2-secret').toString('base64'));
  } finally {
    await reg.close();
  }
});

test('400 MANIFEST_INVALID and 403 DENIED are explained with a fix', async () => {
  const reg = await fakeRegistry((req, res) => {
    if (req.method === 'PUT') return json(res, 400, { errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] });
    json(res, 403, { errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] });
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    await assert.rejects(
      c.putManifest('ml/x', '1.0.0', Buffer.from('{}'), 'application/vnd.oci.image.manifest.v1+json'),
      /HTTP 400: MANIFEST_INVALID \(the registry rejected the manifest.*Fix: /,
    );
    await assert.rejects(c.listTags('ml/x'), /HTTP 403: DENIED .*lacks permission/);
  } finally {
    await reg.close();
  }
});

test('Bearer flow: challenge → token from the realm with service, scope and Basic credentials → retried with the token', async () => {
  const reg = await fakeRegistry((req, res) => {
    if (req.url.startsWith('/token')) return json(res, 200, { token: 'tok-123', expires_in: 300 });
    if (req.headers.authorization !== 'Bearer tok-123') {
      return json(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED' }] },
        { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token",service="fake-registry",scope="repository:ml/x:pull,push"` },
      );
    }
    res.writeHead(201, { 'Docker-Content-Digest': digestOf(req.body) });
    res.end();
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast, credentials: staticCredentials('bob', 'pw') });
    const body = Buffer.from('{"schemaVersion":2}');
    assert.equal((await c.putManifest('ml/x', '1.0.0', body, 'application/vnd.oci.image.manifest.v1+json')).digest, digestOf(body));
    await c.putManifest('ml/x', '1.0.1', body, 'application/vnd.oci.image.manifest.v1+json');
    const tokenRequests = reg.seen.filter((s) => s.url.startsWith('/token'));
    assert.equal(tokenRequests.length, 1, 'the token is cached for its scope');
    const u = new URL(tokenRequests[0]!.url, 'http://x');
    assert.equal(u.searchParams.get('service'), 'fake-registry');
    assert.deepEqual(u.searchParams.getAll('scope'), ['repository:ml/x:pull,push']);
    assert.equal(tokenRequests[0]!.headers.authorization, 'Basic ' + Buffer.from('bob:pw').toString('base64'));
  } finally {
    await reg.close();
  }
});

test('two-step upload: HEAD, POST, then PUT ?digest= carrying the whole blob', async () => {
  const blob = Buffer.from('hello model');
  const reg = await fakeRegistry((req, res) => {
    if (req.method === 'HEAD') {
      res.writeHead(404);
      return res.end();
    }
    if (req.method === 'POST') {
      res.writeHead(202, { Location: '/v2/ml/x/blobs/uploads/u1?_state=abc' });
      return res.end();
    }
    if (req.method === 'PUT') {
      res.writeHead(201, { 'Docker-Content-Digest': digestOf(req.body) });
      return res.end();
    }
    res.writeHead(500);
    res.end();
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    assert.equal(await c.pushBlob('ml/x', { digest: digestOf(blob), size: blob.length, data: blob }), true);
    assert.deepEqual(
      reg.seen.map((s) => s.method),
      ['HEAD', 'POST', 'PUT'],
    );
    const put = reg.seen[2]!;
    const u = new URL(put.url, 'http://x');
    assert.equal(u.searchParams.get('_state'), 'abc', 'the Location query is kept');
    assert.equal(u.searchParams.get('digest'), digestOf(blob));
    assert.deepEqual(put.body, blob);
  } finally {
    await reg.close();
  }
});

test('chunked upload: PATCHes with consecutive Content-Range, following each new Location, then an empty PUT ?digest=', async () => {
  const blob = Buffer.alloc(2500);
  for (let i = 0; i < blob.length; i++) blob[i] = i % 251;
  let held = Buffer.alloc(0);
  let n = 0;
  const reg = await fakeRegistry((req, res) => {
    if (req.method === 'HEAD') {
      res.writeHead(404);
      return res.end();
    }
    if (req.method === 'POST') {
      res.writeHead(202, { Location: `/up/${n++}` });
      return res.end();
    }
    if (req.method === 'PATCH') {
      held = Buffer.concat([held, req.body]);
      res.writeHead(202, { Location: `/up/${n++}`, Range: `0-${held.length - 1}` });
      return res.end();
    }
    if (req.method === 'PUT') {
      res.writeHead(201, { 'Docker-Content-Digest': digestOf(held) });
      return res.end();
    }
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast, chunkThreshold: 1000, chunkSize: 1000 });
    await c.pushBlob('ml/x', { digest: digestOf(blob), size: blob.length, data: blob });
    const patches = reg.seen.filter((s) => s.method === 'PATCH');
    assert.deepEqual(
      patches.map((p) => p.headers['content-range']),
      ['0-999', '1000-1999', '2000-2499'],
    );
    assert.deepEqual(
      patches.map((p) => p.url),
      ['/up/0', '/up/1', '/up/2'],
    );
    const put = reg.seen.at(-1)!;
    assert.equal(put.method, 'PUT');
    assert.ok(put.url.startsWith('/up/3?digest=sha256'));
    assert.equal(put.body.length, 0);
    assert.deepEqual(held, blob);
  } finally {
    await reg.close();
  }
});

test('an existing blob of the right size is skipped after HEAD', async () => {
  const reg = await fakeRegistry((_req, res) => {
    res.writeHead(200, { 'Content-Length': '5' });
    res.end();
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    const data = Buffer.from('12345');
    assert.equal(await c.pushBlob('ml/x', { digest: digestOf(data), size: 5, data }), false);
    assert.deepEqual(
      reg.seen.map((s) => s.method),
      ['HEAD'],
    );
  } finally {
    await reg.close();
  }
});

test('a registry that returns other bytes than the digest asked for is caught', async () => {
  const asked = digestOf('the real manifest');
  const reg = await fakeRegistry((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' });
    res.end(req.url.includes('/blobs/') ? 'tampered blob' : '{"tampered":true}');
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    await assert.rejects(c.getManifest('ml/x', asked), DigestMismatchError);
    await assert.rejects(c.fetchBlob('ml/x', asked), DigestMismatchError);
  } finally {
    await reg.close();
  }
});

test('tags are collected across Link rel="next" pages; an unknown repository has none', async () => {
  const reg = await fakeRegistry((req, res) => {
    if (req.url.startsWith('/v2/ml/none/')) return json(res, 404, { errors: [{ code: 'NAME_UNKNOWN' }] });
    const last = new URL(req.url, 'http://x').searchParams.get('last');
    if (!last) return json(res, 200, { tags: ['a', 'b'] }, { Link: '</v2/ml/x/tags/list?last=b&n=2>; rel="next"' });
    if (last === 'b') return json(res, 200, { tags: ['c', 'd'] }, { Link: '</v2/ml/x/tags/list?last=d&n=2>; rel="next"' });
    json(res, 200, { tags: ['e'] });
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    assert.deepEqual(await c.listTags('ml/x', 2), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(await c.listTags('ml/none'), []);
  } finally {
    await reg.close();
  }
  assert.equal(nextLink('<https://r/v2/x/tags/list?last=z>; rel="next"', 'https://r')?.href, 'https://r/v2/x/tags/list?last=z');
  assert.equal(nextLink(null, 'https://r'), undefined);
});

test('Referrers API: 200 index → descriptors; 404 → undefined (use the tag-schema fallback)', async () => {
  const subject = digestOf('subject');
  const reg = await fakeRegistry((req, res) => {
    if (req.url.startsWith('/v2/with/')) {
      return json(
        res,
        200,
        {
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            { mediaType: 'm', digest: digestOf('r1'), size: 1, artifactType: 'application/vnd.modelgate.report.v1' },
            { mediaType: 'm', digest: digestOf('r2'), size: 1, artifactType: 'other' },
          ],
        },
        { 'Content-Type': 'application/vnd.oci.image.index.v1+json' },
      );
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('404 page not found');
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast });
    assert.equal(await c.referrers('without', subject), undefined);
    const list = await c.referrers('with', subject, 'application/vnd.modelgate.report.v1');
    assert.deepEqual(
      list?.map((d) => d.digest),
      [digestOf('r1')],
      'filtered client-side when the registry did not apply the filter',
    );
  } finally {
    await reg.close();
  }
});

test('a Docker identity token is exchanged with the OAuth2 refresh-token grant (POST to the realm)', async () => {
  let form: URLSearchParams | undefined;
  const reg = await fakeRegistry((req, res) => {
    if (req.url === '/token' && req.method === 'POST') {
      form = new URLSearchParams(req.body.toString('utf8'));
      return json(res, 200, { access_token: 'oauth-tok' });
    }
    if (req.headers.authorization !== 'Bearer oauth-tok') {
      return json(res, 401, {}, { 'WWW-Authenticate': `Bearer realm="http://${req.headers.host}/token",service="svc"` });
    }
    json(res, 200, { tags: ['1.0.0'] });
  });
  try {
    const c = new RegistryClient({ registry: reg.host, plainHttp: true, retry: fast, credentials: staticCredentials('<token>', 'refresh-abc') });
    assert.deepEqual(await c.listTags('ml/x'), ['1.0.0']);
    assert.equal(form?.get('grant_type'), 'refresh_token');
    assert.equal(form?.get('refresh_token'), 'refresh-abc');
    assert.equal(form?.get('service'), 'svc');
    assert.equal(form?.get('scope'), 'repository:ml/x:pull');
  } finally {
    await reg.close();
  }
});

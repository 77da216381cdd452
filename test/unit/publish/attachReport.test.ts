// attachReport on a registry that implements the OCI Referrers API: the
// registry answers the PUT with OCI-Subject, so no sha256-<hex> fallback
// tag is written, and referrers are listed through the API. docker-registry
// 2.8 has no such API (its fallback path runs in test/integration/publish),
// so this side is checked against a small in-memory registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { attachReport, listReferrers } from '../../../server/publish/attachReport';
import { digestOf } from '../../../server/publish/digest';
import { publishModel } from '../../../server/publish/publishModel';
import { makeModelFixture } from './modelFixture';

// It records what it was sent (manifest PUT references, each blob's claimed
// and actual digest) and answers a wrong digest as a registry does; the test
// asserts on the records afterwards, never inside the handler.
async function referrersRegistry(): Promise<{ host: string; puts: string[]; uploads: { claimed: string; actual: string }[]; close(): Promise<void> }> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; type: string }>();
  const puts: string[] = [];
  const uploads: { claimed: string; actual: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const p = url.pathname;
      let m: RegExpExecArray | null;
      if ((m = /^\/v2\/(.+)\/blobs\/uploads\/(\w*)$/.exec(p))) {
        if (req.method === 'POST') {
          res.writeHead(202, { Location: `/v2/${m[1]}/blobs/uploads/u${Math.random().toString(36).slice(2)}` });
          return res.end();
        }
        const d = url.searchParams.get('digest')!;
        uploads.push({ claimed: d, actual: digestOf(body) });
        if (digestOf(body) !== d) {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          return res.end('{"errors":[{"code":"DIGEST_INVALID"}]}');
        }
        blobs.set(d, body);
        res.writeHead(201, { 'Docker-Content-Digest': d });
        return res.end();
      }
      if ((m = /^\/v2\/(.+)\/blobs\/(sha256:\w+)$/.exec(p))) {
        const b = blobs.get(m[2]!);
        res.writeHead(b ? 200 : 404, b ? { 'Content-Length': String(b.length) } : {});
        return res.end(req.method === 'HEAD' ? undefined : b);
      }
      if ((m = /^\/v2\/(.+)\/manifests\/(.+)$/.exec(p))) {
        if (req.method === 'PUT') {
          const d = digestOf(body);
          puts.push(m[2]!);
          const entry = { bytes: body, type: String(req.headers['content-type']) };
          manifests.set(d, entry);
          manifests.set(m[2]!, entry);
          const hasSubject = !!(JSON.parse(body.toString('utf8')) as { subject?: unknown }).subject;
          res.writeHead(201, { 'Docker-Content-Digest': d, ...(hasSubject ? { 'OCI-Subject': 'x' } : {}) });
          return res.end();
        }
        const e = manifests.get(m[2]!);
        if (!e) {
          res.writeHead(404, { 'Content-Type': 'application/json' });
          return res.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
        }
        res.writeHead(200, { 'Content-Type': e.type, 'Docker-Content-Digest': digestOf(e.bytes) });
        return res.end(e.bytes);
      }
      if ((m = /^\/v2\/(.+)\/referrers\/(sha256:\w+)$/.exec(p))) {
        const list = [...new Set([...manifests.values()])]
          .map((e) => ({
            e,
            j: JSON.parse(e.bytes.toString('utf8')) as { subject?: { digest: string }; artifactType?: string; annotations?: Record<string, string> },
          }))
          .filter(({ j }) => j.subject?.digest === m![2])
          .map(({ e, j }) => ({
            mediaType: e.type,
            digest: digestOf(e.bytes),
            size: e.bytes.length,
            artifactType: j.artifactType,
            annotations: j.annotations,
          }));
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' });
        return res.end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: list }));
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    puts,
    uploads,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

test('with a Referrers API the report is indexed by the registry: no fallback tag, listed via the API', async () => {
  const reg = await referrersRegistry();
  const f = makeModelFixture();
  try {
    const target = `oci://${reg.host}/ml/tiny`;
    const r = await publishModel({ loaded: await f.load(), target, gated: true, report: { json: f.passingReport } });
    const a = await attachReport(r.reference, { json: f.passingReport });
    assert.equal(a.fallbackTag, undefined);
    assert.equal(a.subject, r.digest);
    assert.ok(!reg.puts.some((t) => t.startsWith('sha256-')), 'no sha256-<hex> tag written');
    assert.ok(reg.uploads.length > 0, 'blobs were uploaded');
    assert.deepEqual(
      reg.uploads.filter((u) => u.claimed !== u.actual),
      [],
      'every blob upload named its own digest',
    );
    assert.deepEqual(
      (await listReferrers(r.reference)).map((d) => [d.digest, d.artifactType]),
      [[a.digest, 'application/vnd.modelgate.report.v1']],
    );
  } finally {
    f.cleanup();
    await reg.close();
  }
});

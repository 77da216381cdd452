// Publishing to a real registry: Debian's docker-registry 2.8 on loopback,
// checked independently with skopeo.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../../server/manifest/load';
import { attachReport, listReferrers, referrersTag } from '../../../server/publish/attachReport';
import { digestOf, sha256Hex } from '../../../server/publish/digest';
import { listVersions } from '../../../server/publish/listVersions';
import { openStore } from '../../../server/publish/openStore';
import { publishModel, PublishError } from '../../../server/publish/publishModel';
import { pullModel } from '../../../server/publish/pullModel';
import { checkModelPackManifest } from '../../../server/publish/modelPack';
import { PublishCancelledError, RegistryUnreachableError } from '../../../server/publish/registryErrors';
import { requireTool, skopeo, skopeoRaw, startRegistry, type RunningRegistry } from '../../helpers/registry';
import { copySample, makeModelFixture, randomName, report } from '../../unit/publish/modelFixture';

const haveTools = requireTool('docker-registry') && requireTool('skopeo');
let reg: RunningRegistry;
let work: string;

before(async () => {
  if (!haveTools) return;
  reg = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'mg-reg-it-'));
});

after(async () => {
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const fast = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 };

test('breast-cancer sample: publish, skopeo inspect --raw and copy, model layer sha256 equals the file, pull byte for byte', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const sample = copySample('breast-cancer');
  try {
    const loaded = await loadManifest(join(sample.dir, 'model.yaml'), { semantic: false });
    const { name, version } = loaded.manifest.metadata;
    const reportPath = join(sample.dir, 'report.json');
    writeFileSync(reportPath, report(true, { name, version }));
    const repo = `ml/${name}`;
    const r = await publishModel({ loaded, target: reg.ref(repo), gated: true, report: { json: reportPath }, tags: ['stable'], retry: fast });
    assert.equal(r.reference, `${reg.ref(repo)}:${version}`);

    // independent reader: skopeo sees exactly our manifest bytes
    const raw = await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}:${version}`]);
    assert.equal(digestOf(raw), r.digest);
    const manifest = JSON.parse(raw.toString('utf8'));
    // ModelPack by default (modelpack/model-spec docs/spec.md)
    assert.equal(manifest.artifactType, 'application/vnd.cncf.model.manifest.v1+json');
    assert.equal(manifest.config.mediaType, 'application/vnd.cncf.model.config.v1+json');
    assert.equal(manifest.annotations['dev.modelgate.gated'], 'true');
    assert.equal(manifest.annotations['org.opencontainers.image.version'], version);
    assert.equal(digestOf(await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}:stable`])), r.digest);
    const tags = JSON.parse(await skopeo(['list-tags', '--tls-verify=false', `docker://${reg.host}/${repo}`])).Tags as string[];
    assert.deepEqual(tags.sort(), [version, 'stable'].sort());

    const copy = join(work, 'skopeo-copy');
    await skopeo(['copy', '--quiet', '--src-tls-verify=false', `docker://${reg.host}/${repo}:${version}`, `oci:${copy}:${version}`]);
    const modelLayer = manifest.layers.find((l: { mediaType: string }) => l.mediaType === 'application/vnd.cncf.model.weight.v1.raw');
    const modelFile = readFileSync(join(sample.dir, 'model.onnx'));
    assert.equal(modelLayer.digest, `sha256:${sha256Hex(modelFile)}`);
    assert.equal(sha256Hex(readFileSync(join(copy, 'blobs', 'sha256', modelLayer.digest.slice(7)))), sha256Hex(modelFile));
    // the copy holds every file byte for byte under its digest, and its config passes the spec's rules
    const files: Record<string, string> = { 'model.onnx': 'model.onnx', 'model.yaml': 'model.yaml', 'report.json': 'report.json' };
    for (const l of manifest.layers as { digest: string; annotations: Record<string, string> }[]) {
      const file = files[l.annotations['org.cncf.model.filepath']!]!;
      assert.equal(sha256Hex(readFileSync(join(copy, 'blobs', 'sha256', l.digest.slice(7)))), sha256Hex(readFileSync(join(sample.dir, file))), file);
    }
    const config = JSON.parse(readFileSync(join(copy, 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8'));
    assert.deepEqual(checkModelPackManifest(manifest, config), []);
    assert.deepEqual(
      config.modelfs.diffIds,
      manifest.layers.map((l: { digest: string }) => l.digest),
    );

    const pulled = await pullModel(r.reference, join(work, 'pulled-bc'), { retry: fast });
    assert.equal(pulled.digest, r.digest);
    for (const f of ['model.onnx', 'model.yaml', 'report.json'])
      assert.deepEqual(readFileSync(join(work, 'pulled-bc', f)), readFileSync(join(sample.dir, f)), f);

    // same content to a layout: the same digest — one artifact, two stores
    const lay = await publishModel({ loaded, target: join(work, 'bc-layout'), gated: true, report: { json: reportPath } });
    assert.equal(lay.digest, r.digest);
  } finally {
    sample.cleanup();
  }
});

test('republishing is idempotent: same digest, every blob skipped after HEAD', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const f = makeModelFixture({ name: randomName() });
  try {
    const loaded = await f.load();
    const target = reg.ref(`ml/${loaded.manifest.metadata.name}`);
    const a = await publishModel({ loaded, target, gated: true, report: { json: f.passingReport }, retry: fast });
    const b = await publishModel({ loaded, target, gated: true, report: { json: f.passingReport }, retry: fast });
    assert.equal(b.digest, a.digest);
    assert.deepEqual([a.uploaded, b.uploaded, b.skipped], [4, 0, 4]);
  } finally {
    f.cleanup();
  }
});

test('chunked upload (PATCH + Content-Range) and two-step upload store identical blobs', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const chunked = makeModelFixture({ name: randomName(), modelBytes: 300_000 });
  try {
    const loaded = await chunked.load();
    const repo = `ml/${loaded.manifest.metadata.name}`;
    const sizes: number[] = [];
    const r = await publishModel({
      loaded,
      target: reg.ref(repo),
      gated: false,
      chunkThreshold: 64 * 1024,
      chunkSize: 50_000,
      retry: fast,
      onProgress: (e) => {
        if (e.file === 'model.onnx' && e.bytes !== undefined && !e.done) sizes.push(e.bytes);
      },
    });
    assert.deepEqual(sizes, [0, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000], 'one progress event per PATCH');
    await pullModel(r.reference, join(work, 'pulled-chunked'), { retry: fast });
    assert.deepEqual(readFileSync(join(work, 'pulled-chunked', 'model.onnx')), readFileSync(chunked.modelPath));
    // the same file through the two-step path lands under the same digest in another repository
    const repo2 = `${repo}-twostep`;
    const r2 = await publishModel({ loaded, target: reg.ref(repo2), gated: false, chunkThreshold: 1 << 30, retry: fast });
    assert.equal(r2.digest, r.digest);
    assert.equal(r2.uploaded, 3, 'config, model.onnx, model.yaml: nothing reused from the other repository');
  } finally {
    chunked.cleanup();
  }
});

test('a failed gate leaves no tag in the registry', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const f = makeModelFixture({ name: randomName() });
  try {
    const loaded = await f.load();
    const target = reg.ref(`ml/${loaded.manifest.metadata.name}`);
    await assert.rejects(
      publishModel({ loaded, target, gated: true, report: { json: f.failingReport }, retry: fast }),
      (e: unknown) => e instanceof PublishError && e.exitCode === 1,
    );
    assert.deepEqual((await listVersions(target, { retry: fast })).versions, []);
  } finally {
    f.cleanup();
  }
});

test('the registry killed mid-push: clear error, no tag; restarted on the same storage, a re-run succeeds with the same digest', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const f = makeModelFixture({ name: randomName(), modelBytes: 100_000 });
  try {
    const loaded = await f.load();
    const target = reg.ref(`ml/${loaded.manifest.metadata.name}`);
    const expected = (
      await publishModel({ loaded, target: join(work, 'expected-' + loaded.manifest.metadata.name), gated: true, report: { json: f.passingReport } })
    ).digest;
    let killed = false;
    await assert.rejects(
      publishModel({
        loaded,
        target,
        gated: true,
        report: { json: f.passingReport },
        retry: fast,
        onProgress: async (e) => {
          if (e.step === 'blob' && e.done && !killed) {
            killed = true;
            await reg.kill();
          }
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof RegistryUnreachableError, String(e));
        assert.match(e.message, new RegExp(`registry ${reg.host.replace(/\./g, '\\.')}: .* failed: connection refused`));
        assert.match(e.message, /Fix: check that the registry .* is running/);
        return true;
      },
    );
    assert.equal(killed, true);
    await reg.restart();
    const store = openStore(target, { retry: fast });
    assert.deepEqual(await store.listTags(), [], 'no tag after the interrupted push');
    const r = await publishModel({ loaded, target, gated: true, report: { json: f.passingReport }, retry: fast });
    assert.equal(r.digest, expected);
    assert.ok(r.skipped >= 1, 'the blob that made it before the kill is not uploaded again');
    assert.equal(
      digestOf(await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/ml/${loaded.manifest.metadata.name}:1.2.3`])),
      expected,
    );
  } finally {
    f.cleanup();
  }
});

test('cancel during a chunked upload: the upload stops, nothing is tagged, a re-run finishes; a cancel after the manifest completes', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const f = makeModelFixture({ name: randomName(), modelBytes: 300_000 });
  try {
    const loaded = await f.load();
    const target = reg.ref(`ml/${loaded.manifest.metadata.name}`);
    const chunks = { chunkThreshold: 64 * 1024, chunkSize: 50_000, retry: fast };
    const cancel = new AbortController();
    const sent: number[] = [];
    await assert.rejects(
      publishModel({
        loaded,
        target,
        gated: true,
        report: { json: f.passingReport },
        ...chunks,
        signal: cancel.signal,
        onProgress: (e) => {
          if (e.file !== 'model.onnx' || e.done || e.bytes === undefined) return;
          sent.push(e.bytes);
          if (e.bytes >= 100_000) cancel.abort();
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof PublishCancelledError, String(e));
        assert.match(e.message, /publish cancelled during .*; no version tag was written/);
        return true;
      },
    );
    assert.ok(Math.max(...sent) < 300_000, `the upload went on to the end after the cancel: ${sent.join(', ')}`);
    assert.deepEqual(await openStore(target, { retry: fast }).listTags(), [], 'no tag after a cancelled publish');

    // From the manifest on, a cancel no longer stops it: the version is tagged.
    const late = new AbortController();
    const r = await publishModel({
      loaded,
      target,
      gated: true,
      report: { json: f.passingReport },
      ...chunks,
      signal: late.signal,
      onProgress: (e) => {
        if (e.step === 'manifest') late.abort();
      },
    });
    assert.ok(r.skipped >= 1, 'blobs stored before the cancel are not uploaded again');
    assert.deepEqual(await openStore(target, { retry: fast }).listTags(), ['1.2.3']);
    assert.equal(
      digestOf(await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/ml/${loaded.manifest.metadata.name}:1.2.3`])),
      r.digest,
    );
  } finally {
    f.cleanup();
  }
});

test('reports attach through the referrers tag schema (docker-registry 2.8 has no Referrers API)', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const f = makeModelFixture({ name: randomName() });
  try {
    const loaded = await f.load();
    const repo = `ml/${loaded.manifest.metadata.name}`;
    const r = await publishModel({ loaded, target: reg.ref(repo), gated: true, report: { json: f.passingReport }, retry: fast });
    const store = openStore(reg.ref(repo), { retry: fast });
    assert.equal(await store.referrers(r.digest), undefined, 'no Referrers API');
    const a1 = await attachReport(r.reference, { json: f.passingReport }, { retry: fast });
    const a2 = await attachReport(`${reg.ref(repo)}@${r.digest}`, { json: f.failingReport }, { retry: fast });
    assert.equal(a1.fallbackTag, referrersTag(r.digest));
    // read-modify-write kept both
    const index = JSON.parse(
      (await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}:${referrersTag(r.digest)}`])).toString('utf8'),
    );
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(
      index.manifests.map((m: { digest: string }) => m.digest),
      [a1.digest, a2.digest],
    );
    assert.deepEqual(
      (await listReferrers(r.reference, { retry: fast })).map((d) => d.artifactType),
      ['application/vnd.modelgate.report.v1', 'application/vnd.modelgate.report.v1'],
    );
    // the report manifest is stored with its subject (the registry ignores it but keeps the bytes)
    const reportManifest = JSON.parse(
      (await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/${repo}@${a1.digest}`])).toString('utf8'),
    );
    assert.equal(reportManifest.subject.digest, r.digest);
    assert.deepEqual(
      (await listVersions(reg.ref(repo), { retry: fast })).versions.map((v) => v.tag),
      ['1.2.3'],
      'fallback tags are not versions',
    );
  } finally {
    f.cleanup();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf, sha256Hex } from '../../../server/publish/digest';
import { LayoutStore } from '../../../server/publish/layoutStore';
import { OCI_MANIFEST } from '../../../server/publish/mediaTypes';
import { publishModel } from '../../../server/publish/publishModel';
import { requireTool, skopeo, skopeoRaw } from '../../helpers/registry';
import { makeModelFixture } from './modelFixture';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-layout-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('publishing to a layout writes oci-layout, index.json with ref.name tags and sha256 blobs', async () => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const layout = join(out.dir, 'registry', 'tiny');
    const r = await publishModel({ loaded: await f.load(), target: layout, gated: true, report: { json: f.passingReport }, tags: ['stable'] });
    assert.equal(r.reference, `${layout}:1.2.3`);
    assert.deepEqual(r.tags, ['1.2.3', 'stable']);
    assert.deepEqual(JSON.parse(readFileSync(join(layout, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    assert.equal(index.schemaVersion, 2);
    assert.deepEqual(
      index.manifests.map((m: { digest: string; annotations: Record<string, string> }) => [m.annotations['org.opencontainers.image.ref.name'], m.digest]),
      [
        ['1.2.3', r.digest],
        ['stable', r.digest],
      ],
    );
    // every blob is stored under its own digest
    for (const name of readdirSync(join(layout, 'blobs', 'sha256'))) {
      assert.equal(sha256Hex(readFileSync(join(layout, 'blobs', 'sha256', name))), name);
    }
    assert.equal(readFileSync(join(layout, 'blobs', 'sha256', sha256Hex(readFileSync(f.modelPath)))).length, 4096);
    assert.deepEqual(readdirSync(join(layout, '.tmp')), [], 'no temp files left behind');
    assert.equal(existsSync(join(layout, 'index.json.lock')), false);
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('skopeo reads the layout: inspect --raw gives our manifest bytes, copy to another layout keeps the digest', async (t) => {
  if (!requireTool('skopeo')) return t.skip('skopeo not installed');
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const layout = join(out.dir, 'l1');
    const r = await publishModel({ loaded: await f.load(), target: layout, gated: true, report: { json: f.passingReport } });
    const raw = await skopeoRaw(['inspect', '--raw', `oci:${layout}:1.2.3`]);
    assert.equal(digestOf(raw), r.digest);
    assert.equal(JSON.parse(raw.toString('utf8')).artifactType, 'application/vnd.cncf.model.manifest.v1+json');
    const copy = join(out.dir, 'l2');
    await skopeo(['copy', '--quiet', `oci:${layout}:1.2.3`, `oci:${copy}:1.2.3`]);
    assert.equal(digestOf(await skopeoRaw(['inspect', '--raw', `oci:${copy}:1.2.3`])), r.digest);
    const modelHex = sha256Hex(readFileSync(f.modelPath));
    assert.deepEqual(readFileSync(join(copy, 'blobs', 'sha256', modelHex)), readFileSync(f.modelPath), 'skopeo copied the model layer byte for byte');
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('moving a tag replaces its index entry; other tags stay', async () => {
  const out = tempDir();
  try {
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    const config = Buffer.from('{}');
    await store.pushBlob({ digest: digestOf(config), size: 2, data: config });
    const manifest = (v: string): Buffer =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(config), size: 2 },
          layers: [],
          annotations: { v },
        }),
      );
    const one = await store.putManifest(manifest('1'), OCI_MANIFEST, '1.0.0');
    await store.putManifest(manifest('1'), OCI_MANIFEST, 'stable');
    const two = await store.putManifest(manifest('2'), OCI_MANIFEST, '2.0.0');
    await store.putManifest(manifest('2'), OCI_MANIFEST, 'stable');
    assert.deepEqual((await store.listTags()).sort(), ['1.0.0', '2.0.0', 'stable']);
    assert.equal((await store.getManifest('stable'))?.digest, two.digest);
    assert.equal((await store.getManifest('1.0.0'))?.digest, one.digest);
    assert.equal((await store.getManifest(one.digest))?.digest, one.digest, 'by digest');
    assert.equal(await store.getManifest('9.9.9'), undefined);
  } finally {
    out.cleanup();
  }
});

test('a manifest naming a blob that is not there is refused and index.json is unchanged', async () => {
  const out = tempDir();
  try {
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    const config = Buffer.from('{}');
    await store.pushBlob({ digest: digestOf(config), size: 2, data: config });
    const before = readFileSync(join(out.dir, 'index.json'), 'utf8');
    const bad = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'x', digest: digestOf('missing'), size: 7 }, layers: [] }),
    );
    await assert.rejects(store.putManifest(bad, OCI_MANIFEST, '1.0.0'), /refers to blob sha256:.* that is not in/);
    assert.equal(readFileSync(join(out.dir, 'index.json'), 'utf8'), before);
  } finally {
    out.cleanup();
  }
});

test('a publish that fails mid-way (model changed after hashing) leaves the previous layout intact and skopeo-readable', async (t) => {
  const f = makeModelFixture();
  const out = tempDir();
  try {
    const layout = join(out.dir, 'l');
    const first = await publishModel({ loaded: await f.load(), target: layout, gated: false });
    const indexBefore = readFileSync(join(layout, 'index.json'), 'utf8');
    const loaded = await f.load();
    loaded.manifest.metadata.version = '1.2.4';
    writeFileSync(f.modelPath, 'retrained model for 1.2.4');
    await assert.rejects(
      publishModel({
        loaded,
        target: layout,
        gated: false,
        // change the model between hashing and storing it: the copy's digest no longer matches
        onProgress: (e) => {
          if (e.step === 'blob' && e.file === 'model.onnx' && !e.done) writeFileSync(f.modelPath, 'edited while publishing');
        },
      }),
      /changed while publishing/,
    );
    assert.equal(readFileSync(join(layout, 'index.json'), 'utf8'), indexBefore, 'no tag for the failed version');
    assert.deepEqual(readdirSync(join(layout, '.tmp')), []);
    if (requireTool('skopeo')) assert.equal(digestOf(await skopeoRaw(['inspect', '--raw', `oci:${layout}:1.2.3`])), first.digest);
    else t.diagnostic('skopeo not installed: layout checked without it');
  } finally {
    f.cleanup();
    out.cleanup();
  }
});

test('index.json updates are serialised: concurrent tag writes all land; a lock left by a dead process is taken over', async () => {
  const out = tempDir();
  try {
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    const config = Buffer.from('{}');
    await store.pushBlob({ digest: digestOf(config), size: 2, data: config });
    const m = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(config), size: 2 },
        layers: [],
      }),
    );
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.putManifest(m, OCI_MANIFEST, `t${i}`)));
    assert.deepEqual((await store.listTags()).sort(), ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
    // pid 2^22+1 is above Linux's pid_max default: certainly not running
    writeFileSync(join(out.dir, 'index.json.lock'), String(4194305));
    await store.putManifest(m, OCI_MANIFEST, 'after-stale-lock');
    assert.ok((await store.listTags()).includes('after-stale-lock'));
    assert.equal(existsSync(join(out.dir, 'index.json.lock')), false);
  } finally {
    out.cleanup();
  }
});

test('a directory with a foreign oci-layout marker is refused', async () => {
  const out = tempDir();
  try {
    writeFileSync(join(out.dir, 'oci-layout'), '{"imageLayoutVersion":"9"}');
    const store = new LayoutStore({ kind: 'layout', dir: out.dir });
    await assert.rejects(store.pushBlob({ digest: digestOf('x'), size: 1, data: Buffer.from('x') }), /is not an OCI image layout 1\.0\.0 marker/);
  } finally {
    out.cleanup();
  }
});

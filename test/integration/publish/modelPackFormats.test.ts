// Both artifact formats through a real registry (Debian's docker-registry on
// loopback): an artifact in the earlier ModelGate format still pulls and
// serves; a ModelPack artifact written by another tool (tar layers, no
// model.yaml, as KitOps or modctl pack them) pulls, is extracted, and gets a
// starter manifest from init.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { loadManifest } from '../../../server/manifest/load';
import { buildStarterManifest } from '../../../server/manifest/init';
import { canonicalJson } from '../../../server/publish/canonicalJson';
import { digestOf } from '../../../server/publish/digest';
import { MODELPACK, OCI_MANIFEST } from '../../../server/publish/mediaTypes';
import { checkModelPackManifest } from '../../../server/publish/modelPack';
import { openStore } from '../../../server/publish/openStore';
import { publishModel } from '../../../server/publish/publishModel';
import { parseReference } from '../../../server/publish/reference';
import { pullModel, PullError } from '../../../server/publish/pullModel';
import { startServer } from '../../../server/serving/server';
import { requireTool, skopeoRaw, startRegistry, type RunningRegistry } from '../../helpers/registry';
import { copySample, report } from '../../unit/publish/modelFixture';

const haveTools = requireTool('docker-registry') && requireTool('skopeo');
let reg: RunningRegistry;
let work: string;
const fast = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 };

before(async () => {
  if (!haveTools) return;
  reg = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'mg-formats-'));
});
after(async () => {
  await reg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const bcRow = Array.from({ length: 30 }, (_, i) => 1 + i / 10);

test('an artifact published in the earlier ModelGate format (--format modelgate) still pulls and serves', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const sample = copySample('breast-cancer');
  try {
    const loaded = await loadManifest(join(sample.dir, 'model.yaml'), { semantic: false });
    const reportPath = join(sample.dir, 'report.json');
    writeFileSync(reportPath, report(true, { name: 'breast-cancer', version: '1.0.0' }));
    const r = await publishModel({ loaded, target: reg.ref('old/breast-cancer'), gated: true, report: { json: reportPath }, format: 'modelgate', retry: fast });
    const raw = JSON.parse((await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/old/breast-cancer:1.0.0`])).toString('utf8'));
    assert.equal(raw.artifactType, 'application/vnd.modelgate.model.v1');
    const dir = join(work, 'old-pulled');
    const pulled = await pullModel(r.reference, dir, { retry: fast });
    assert.deepEqual(
      pulled.files.map((f) => [f.title, f.role]),
      [
        ['model.onnx', 'model'],
        ['model.yaml', 'manifest'],
        ['report.json', 'report'],
      ],
    );
    // served as a remote node serves what it pulled: the artifact carries the model, not its data sets
    const server = await startServer({ manifests: [join('samples', 'digits', 'model.yaml')], port: 0, logger: false });
    try {
      await server.lifecycle.add(join(dir, 'model.yaml'), { semantic: false });
      const res = await fetch(`${server.url}/v1/models/breast-cancer:predict`, { method: 'POST', body: JSON.stringify({ instances: [bcRow] }) });
      assert.equal(res.status, 200, await res.clone().text());
      assert.ok(((await res.json()) as { predictions: unknown[] }).predictions.length === 1);
    } finally {
      await server.close();
    }
  } finally {
    sample.cleanup();
  }
});

/** Pushes an artifact the way another ModelPack tool lays it out: the ONNX file in a gzip tar weight layer, a README doc layer, no model.yaml. */
async function pushForeign(repo: string, tag: string, files: { onnx: Buffer; readme: string; extra?: (dir: string) => Promise<void> }): Promise<string> {
  const src = mkdtempSync(join(work, 'foreign-src-'));
  writeFileSync(join(src, 'model.onnx'), files.onnx);
  await files.extra?.(src);
  const tarPath = join(work, `${repo.replace(/\W/g, '_')}-${tag}.tar.gz`);
  const entries = files.extra ? ['model.onnx', 'evil'] : ['model.onnx'];
  await tar.c({ gzip: true, file: tarPath, cwd: src, portable: true }, entries);
  const tarBytes = readFileSync(tarPath);
  const readme = Buffer.from(files.readme);
  const store = openStore(parseReference(reg.ref(repo)), { retry: fast });
  const layers = [
    { mediaType: 'application/vnd.cncf.model.weight.v1.tar+gzip', data: tarBytes, path: 'model.onnx' },
    { mediaType: 'application/vnd.cncf.model.doc.v1.raw', data: readme, path: 'README.md' },
  ].map((l) => ({ ...l, digest: digestOf(l.data), size: l.data.length }));
  for (const l of layers) await store.pushBlob({ digest: l.digest, size: l.size, data: l.data });
  const config = Buffer.from(
    canonicalJson({
      descriptor: { name: 'foreign', version: '2.0' },
      config: { format: 'onnx' },
      modelfs: { type: 'layers', diffIds: layers.map((l) => l.digest) },
    }),
  );
  await store.pushBlob({ digest: digestOf(config), size: config.length, data: config });
  const manifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: MODELPACK.artifactType,
      config: { mediaType: MODELPACK.config, digest: digestOf(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: { 'org.cncf.model.filepath': l.path } })),
    }),
  );
  await store.putManifest(manifest, OCI_MANIFEST, tag);
  return `${reg.ref(repo)}:${tag}`;
}

test('a ModelPack artifact from another tool (tar+gzip weight layer, no model.yaml) pulls, is extracted, and init writes a manifest that serves', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const onnx = readFileSync('samples/breast-cancer/model.onnx');
  const ref = await pushForeign('other/foreign', '2.0', { onnx, readme: '# a model from elsewhere\n' });
  const dir = join(work, 'foreign-pulled');
  const notes: string[] = [];
  const pulled = await pullModel(ref, dir, { retry: fast, onProgress: (m) => notes.push(m) });
  assert.deepEqual(readFileSync(join(dir, 'model.onnx')), onnx, 'the ONNX file came out of the tar layer byte for byte');
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), '# a model from elsewhere\n');
  assert.deepEqual(
    pulled.files.map((f) => [f.title, f.role]),
    [
      ['model.onnx', 'model'],
      ['README.md', 'other'],
    ],
  );
  assert.ok(
    notes.some((n) => /holds no model\.yaml \(it was not published by ModelGate\); write a starter manifest with `modelgate init .*model\.onnx`/.test(n)),
    notes.join('\n'),
  );
  // the config of that artifact passes the spec's checks too (our checker reads other tools' artifacts)
  const manifest = JSON.parse((await skopeoRaw(['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/other/foreign:2.0`])).toString('utf8'));
  const config = JSON.parse(
    (await skopeoRaw(['inspect', '--raw', '--config', '--tls-verify=false', `docker://${reg.host}/other/foreign:2.0`])).toString('utf8'),
  );
  assert.deepEqual(checkModelPackManifest(manifest, config), []);
  // init turns the pulled folder into a servable manifest
  const starter = await buildStarterManifest({ modelPath: join(dir, 'model.onnx'), outputPath: join(dir, 'model.yaml'), cwd: dir });
  writeFileSync(join(dir, 'model.yaml'), starter.text);
  const server = await startServer({ manifests: [join('samples', 'digits', 'model.yaml')], port: 0, logger: false });
  try {
    const added = await server.lifecycle.add(join(dir, 'model.yaml'), { semantic: false });
    const res = await fetch(`${server.url}/v2/models/${added.name}/ready`);
    assert.equal(res.status, 200, await res.text());
  } finally {
    await server.close();
  }
});

test('a tar layer holding a link or a path outside the folder is refused, and nothing is written outside it', async (t) => {
  if (!haveTools) return t.skip('docker-registry or skopeo not installed');
  const { symlink } = await import('node:fs/promises');
  const ref = await pushForeign('other/evil', '1.0', {
    onnx: Buffer.from([8, 7]),
    readme: 'x',
    extra: async (src) => symlink('/etc/passwd', join(src, 'evil')),
  });
  const dir = join(work, 'evil-pulled');
  await assert.rejects(
    pullModel(ref, dir, { retry: fast }),
    (err: Error) => err instanceof PullError && /holds evil \(SymbolicLink\); only regular files are pulled/.test(err.message),
  );
});

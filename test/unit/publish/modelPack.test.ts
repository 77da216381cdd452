// The ModelPack artifact (modelpack/model-spec docs/spec.md, docs/config.md,
// docs/annotations.md): built from the real breast-cancer sample, checked
// with rules written from the spec's text, and the checker itself shown to
// catch what the spec forbids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedManifest } from '../../../server/manifest/load';
import { loadManifest } from '../../../server/manifest/load';
import { readGateReport } from '../../../server/publish/gateReport';
import { artifactFormat, buildModelArtifact } from '../../../server/publish/modelArtifact';
import { MODELPACK, MODELPACK_LAYER_TYPES, layerRole } from '../../../server/publish/mediaTypes';
import { checkModelPackConfig, checkModelPackManifest, datasetUris, paramSize } from '../../../server/publish/modelPack';
import { copySample, report } from './modelFixture';

async function sampleArtifact(edit?: (yaml: string) => string) {
  const sample = copySample('breast-cancer');
  const path = join(sample.dir, 'model.yaml');
  if (edit) writeFileSync(path, edit((await import('node:fs')).readFileSync(path, 'utf8')));
  const loaded = await loadManifest(path, { semantic: false });
  const json = join(sample.dir, 'report.json');
  const html = join(sample.dir, 'report.html');
  writeFileSync(json, report(true, { name: 'breast-cancer', version: '1.0.0' }));
  writeFileSync(html, '<!doctype html><title>report</title>');
  const gateReport = await readGateReport(json);
  const build = () => buildModelArtifact({ loaded, gated: true, report: { json, html }, gateReport, revision: 'abc123', source: 'https://example.com/models' });
  return { sample, loaded, build, json };
}

test('by default a publish is a ModelPack artifact whose manifest and config pass the spec rules', async () => {
  const { sample, build, loaded } = await sampleArtifact();
  try {
    const a = await build();
    const m = JSON.parse(a.manifestBytes.toString('utf8'));
    const config = JSON.parse(a.config.data!.toString('utf8'));
    assert.equal(artifactFormat(loaded), 'modelpack');
    assert.equal(m.artifactType, MODELPACK.artifactType);
    assert.equal(m.config.mediaType, MODELPACK.config);
    assert.deepEqual(checkModelPackManifest(m, config), []);
    assert.deepEqual(
      m.layers.map((l: { mediaType: string; annotations: Record<string, string> }) => [l.mediaType, l.annotations['org.cncf.model.filepath']]),
      [
        ['application/vnd.cncf.model.weight.v1.raw', 'model.onnx'],
        ['application/vnd.cncf.model.weight.config.v1.raw', 'model.yaml'],
        ['application/vnd.cncf.model.doc.v1.raw', 'report.json'],
        ['application/vnd.cncf.model.doc.v1.raw', 'report.html'],
      ],
    );
    for (const l of m.layers) {
      assert.ok(MODELPACK_LAYER_TYPES.includes(l.mediaType));
      const meta = JSON.parse(l.annotations['org.cncf.model.file.metadata+json']);
      assert.deepEqual(meta, {
        name: l.annotations['org.cncf.model.filepath'],
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: l.size,
        mtime: '1970-01-01T00:00:00Z',
        typeflag: 48,
      });
    }
    // diffIds: the raw layers' digests, in layer order
    assert.deepEqual(config.modelfs, { type: 'layers', diffIds: a.layers.map((l) => l.digest) });
    // the descriptor, filled from the manifest and the publish
    assert.deepEqual(config.descriptor, {
      authors: ['data-science@example.com'],
      createdAt: '2026-02-03T04:05:06Z',
      description: 'Binary classifier (MLP) for the Wisconsin breast cancer data set.',
      name: 'breast-cancer',
      revision: 'abc123',
      sourceURL: 'https://example.com/models',
      version: '1.0.0',
    });
    // from the ONNX file: 16×30 + 16 + 2×16 + 2 = 530 float32 parameters in Gemm/MatMul layers
    assert.deepEqual(config.config, { architecture: 'mlp', format: 'onnx', paramSize: '0.5K', precision: 'fp32' });
    // ModelGate's own facts stay as manifest annotations
    const ann = m.annotations;
    assert.equal(ann['dev.modelgate.gated'], 'true');
    assert.equal(ann['dev.modelgate.gates'], '3/3 passed');
    assert.equal(ann['dev.modelgate.gates.passed'], '3');
    assert.equal(ann['dev.modelgate.gates.total'], '3');
    assert.equal(ann['dev.modelgate.report.digest'], a.layers[2]!.digest);
    assert.equal(ann['dev.modelgate.manifest.apiVersion'], 'modelgate/v1');
    // every layer is recognised for what it is on the way back
    assert.deepEqual(
      a.layers.map((l) => layerRole(l.mediaType, l.title)),
      ['model', 'manifest', 'report', 'report'],
    );
  } finally {
    sample.cleanup();
  }
});

test('deterministic: the same inputs give the same manifest digest; a changed model.yaml changes it', async () => {
  const { sample, build } = await sampleArtifact();
  try {
    const [a, b] = [await build(), await build()];
    assert.equal(a.digest, b.digest);
    assert.deepEqual(a.config.data, b.config.data);
  } finally {
    sample.cleanup();
  }
  const other = await sampleArtifact((y) => y.replace('owner: data-science@example.com', 'owner: someone@example.com'));
  try {
    const c = await other.build();
    const d = JSON.parse(c.config.data!.toString('utf8'));
    assert.deepEqual(d.descriptor.authors, ['someone@example.com']);
  } finally {
    other.sample.cleanup();
  }
});

test('a declared license and dataset URIs reach the descriptor; deploy.format: modelgate chooses the earlier format', async () => {
  const { sample, build, loaded } = await sampleArtifact((y) =>
    y
      .replace(/^( {2}owner: .*)$/m, '$1\n  license: Apache-2.0')
      .replace(/^ {2}current: .*$/m, '  current: s3://bucket/breast-cancer/current.csv')
      .concat('\n'),
  );
  try {
    const config = JSON.parse((await build()).config.data!.toString('utf8'));
    assert.deepEqual(config.descriptor.licenses, ['Apache-2.0']);
    assert.deepEqual(config.descriptor.datasetsURL, ['s3://bucket/breast-cancer/current.csv']);
    assert.deepEqual(checkModelPackConfig(config), []);
    assert.deepEqual(datasetUris(loaded), ['s3://bucket/breast-cancer/current.csv']);
  } finally {
    sample.cleanup();
  }
  const old = await sampleArtifact((y) => `${y.trimEnd()}\ndeploy:\n  format: modelgate\n`);
  try {
    assert.equal(artifactFormat(old.loaded), 'modelgate');
    const a = await old.build();
    assert.equal(a.manifest.artifactType, 'application/vnd.modelgate.model.v1');
    assert.equal(artifactFormat(old.loaded, 'modelpack'), 'modelpack', '--format wins over the manifest');
  } finally {
    old.sample.cleanup();
  }
});

test('paramSize is <count><scale-prefix> with one decimal at most', () => {
  assert.equal(paramSize(530), '0.5K');
  assert.equal(paramSize(40), '0.1K');
  assert.equal(paramSize(4417), '4.4K');
  assert.equal(paramSize(999_950), '1M');
  assert.equal(paramSize(2_300_000), '2.3M');
  assert.equal(paramSize(6.7e9), '6.7B');
  assert.equal(paramSize(0), undefined);
  for (const n of [1, 999, 12_345, 9.99e8, 1.5e13]) assert.match(paramSize(n)!, /^\d+(\.\d)?[QTBMK]$/);
});

test('the config checker refuses what docs/config.md does not allow', () => {
  const good = { descriptor: { name: 'x' }, config: {}, modelfs: { type: 'layers', diffIds: [`sha256:${'a'.repeat(64)}`] } };
  assert.deepEqual(checkModelPackConfig(good), []);
  const cases: [unknown, RegExp][] = [
    [{ ...good, modelfs: undefined }, /modelfs: required/],
    [{ ...good, descriptor: undefined }, /descriptor: required/],
    [{ ...good, config: undefined }, /config: required/],
    [{ ...good, modelfs: { type: 'tar', diffIds: [] } }, /modelfs.type: must be "layers"[\s\S]*modelfs.diffIds: required, a non-empty array/],
    [{ ...good, modelfs: { type: 'layers', diffIds: ['abc'] } }, /modelfs.diffIds\[0\]: "abc" is not a sha256 digest/],
    [{ ...good, descriptor: { createdAt: '2026-12-04 10:00' } }, /descriptor.createdAt: "2026-12-04 10:00" is not an RFC 3339 date-time/],
    [{ ...good, descriptor: { authors: 'me' } }, /descriptor.authors: must be an array of strings/],
    [{ ...good, descriptor: { name: '' } }, /descriptor.name: must not be empty/],
    [{ ...good, config: { paramSize: '12' } }, /config.paramSize: "12" is not <count><scale-prefix>/],
    [{ ...good, config: { paramSize: '1.25B' } }, /config.paramSize/],
    [{ ...good, config: { precision: 32 } }, /config.precision: must be a string/],
    [{ ...good, extra: 1 }, /extra: not a property of the model config/],
    [{ ...good, descriptor: { owner: 'x' } }, /descriptor.owner: not a descriptor property/],
  ];
  for (const [value, re] of cases) assert.match(checkModelPackConfig(value).join('\n'), re, JSON.stringify(value));
});

test('the manifest checker wants the ModelPack types, a filepath on each layer and diffIds equal to the raw layers', async () => {
  const { sample, build } = await sampleArtifact();
  try {
    const a = await build();
    const m = JSON.parse(a.manifestBytes.toString('utf8'));
    const config = JSON.parse(a.config.data!.toString('utf8'));
    const bad = structuredClone(m);
    bad.artifactType = 'application/vnd.modelgate.model.v1';
    bad.layers[0].mediaType = 'application/vnd.modelgate.model.onnx.v1';
    delete bad.layers[1].annotations['org.cncf.model.filepath'];
    const problems = checkModelPackManifest(bad, { ...config, modelfs: { type: 'layers', diffIds: [...config.modelfs.diffIds].reverse() } }).join('\n');
    assert.match(problems, /artifactType: application\/vnd\.modelgate\.model\.v1 is not application\/vnd\.cncf\.model\.manifest\.v1\+json/);
    assert.match(problems, /layers\[0\]\.mediaType: application\/vnd\.modelgate\.model\.onnx\.v1 is not a ModelPack layer type/);
    assert.match(problems, /layers\[1\]: no org\.cncf\.model\.filepath annotation/);
    const reordered = checkModelPackManifest(m, { ...config, modelfs: { type: 'layers', diffIds: [...config.modelfs.diffIds].reverse() } });
    assert.match(reordered.join('\n'), /modelfs.diffIds: not the digests of the raw layers, in layer order/);
  } finally {
    sample.cleanup();
  }
});

// keep the type import used
export type _Loaded = LoadedManifest;

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf } from '../../../server/publish/digest';
import { readGateReport } from '../../../server/publish/gateReport';
import { buildModelArtifact, createdFor, layerTitle, normaliseCreated } from '../../../server/publish/modelArtifact';
import { MODEL_ARTIFACT_TYPE, MODEL_CONFIG, MODEL_MANIFEST_YAML, MODEL_ONNX, OCI_MANIFEST, REPORT_HTML, REPORT_JSON } from '../../../server/publish/mediaTypes';
import { makeModelFixture, manifestText } from './modelFixture';

test('ModelGate format (--format modelgate): image manifest with our artifactType, manifest-as-JSON config, model and model.yaml layers with titles', async () => {
  const f = makeModelFixture();
  try {
    const a = await buildModelArtifact({ loaded: await f.load(), gated: false, format: 'modelgate' });
    const m = JSON.parse(a.manifestBytes.toString('utf8'));
    assert.equal(m.schemaVersion, 2);
    assert.equal(m.mediaType, OCI_MANIFEST);
    assert.equal(m.artifactType, MODEL_ARTIFACT_TYPE);
    assert.equal(m.config.mediaType, MODEL_CONFIG);
    assert.equal(m.config.digest, a.config.digest);
    assert.deepEqual(JSON.parse(a.config.data!.toString('utf8')).metadata, {
      description: 'A tiny regression model for publish tests.',
      name: 'tiny',
      version: '1.2.3',
    });
    assert.deepEqual(
      m.layers.map((l: { mediaType: string; annotations: Record<string, string> }) => [l.mediaType, l.annotations['org.opencontainers.image.title']]),
      [
        [MODEL_ONNX, 'model.onnx'],
        [MODEL_MANIFEST_YAML, 'model.yaml'],
      ],
    );
    assert.equal(m.layers[1].digest, digestOf(manifestText()), 'model.yaml is stored byte for byte');
    assert.equal(a.digest, digestOf(a.manifestBytes));
    assert.deepEqual(m.annotations, {
      'dev.modelgate.gated': 'false',
      'dev.modelgate.gates': 'ungated',
      'dev.modelgate.model': 'tiny',
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.description': 'A tiny regression model for publish tests.',
      'org.opencontainers.image.title': 'tiny',
      'org.opencontainers.image.version': '1.2.3',
    });
    assert.equal(a.size, a.manifestBytes.length + a.config.size + a.layers.reduce((s, l) => s + l.size, 0));
  } finally {
    f.cleanup();
  }
});

test('deterministic: building twice gives byte-identical manifests; a changed model changes the digest', async () => {
  const f = makeModelFixture();
  try {
    const loaded = await f.load();
    const a = await buildModelArtifact({ loaded, gated: true, report: { json: f.passingReport }, gateReport: await readGateReport(f.passingReport) });
    const b = await buildModelArtifact({ loaded, gated: true, report: { json: f.passingReport }, gateReport: await readGateReport(f.passingReport) });
    assert.equal(a.digest, b.digest);
    assert.deepEqual(a.manifestBytes, b.manifestBytes);
    // keys are sorted: the serialisation starts with "annotations"
    assert.ok(a.manifestBytes.toString('utf8').startsWith('{"annotations":{"dev.modelgate.gated":"true","dev.modelgate.gates":"3/3 passed"'));
    writeFileSync(f.modelPath, 'retrained');
    const c = await buildModelArtifact({ loaded, gated: true, report: { json: f.passingReport }, gateReport: await readGateReport(f.passingReport) });
    assert.notEqual(c.digest, a.digest);
  } finally {
    f.cleanup();
  }
});

test('ModelGate format: report layers JSON and HTML with their media types; gate summary from the report', async () => {
  const f = makeModelFixture();
  try {
    writeFileSync(join(f.dir, 'report.html'), '<html></html>');
    const a = await buildModelArtifact({
      loaded: await f.load(),
      format: 'modelgate',
      gated: false,
      report: { json: f.failingReport, html: join(f.dir, 'report.html') },
      gateReport: await readGateReport(f.failingReport),
    });
    assert.deepEqual(a.layers.map((l) => [l.mediaType, l.title]).slice(2), [
      [REPORT_JSON, 'failing-report.json'],
      [REPORT_HTML, 'report.html'],
    ]);
    assert.equal(a.manifest.annotations!['dev.modelgate.gates'], 'ungated (2/3 passed)');
    assert.equal(a.manifest.annotations!['dev.modelgate.gated'], 'false');
  } finally {
    f.cleanup();
  }
});

test('created: explicit option, else trainedAt, else SOURCE_DATE_EPOCH, else absent — never the clock', async () => {
  const f = makeModelFixture({ trainedAt: null });
  try {
    const loaded = await f.load();
    assert.equal(createdFor({ loaded }, {}), undefined);
    assert.equal(createdFor({ loaded }, { SOURCE_DATE_EPOCH: '1700000000' }), '2023-11-14T22:13:20Z');
    assert.equal(createdFor({ loaded, created: '2026-05-05' }, {}), '2026-05-05T00:00:00Z');
    const a = await buildModelArtifact({ loaded, gated: false });
    assert.equal(a.manifest.annotations!['org.opencontainers.image.created'], undefined);
  } finally {
    f.cleanup();
  }
  assert.equal(normaliseCreated('2026-11-01T12:00:00+02:00', 'x'), '2026-11-01T12:00:00+02:00');
  assert.throws(() => normaliseCreated('yesterday', 'model.trainedAt'), /model\.trainedAt "yesterday" is not a date-time.*RFC 3339/);
});

test('layer titles keep a relative path inside the manifest directory, else the base name', () => {
  assert.equal(layerTitle('/w/m', '/w/m/model.onnx'), 'model.onnx');
  assert.equal(layerTitle('/w/m', '/w/m/models/v2.onnx'), 'models/v2.onnx');
  assert.equal(layerTitle('/w/m', '/w/shared/model.onnx'), 'model.onnx');
});

test('a missing model file is an error naming the manifest field', async () => {
  const f = makeModelFixture();
  try {
    const loaded = await f.load();
    loaded.manifest.model.artifact = 'gone.onnx';
    await assert.rejects(buildModelArtifact({ loaded, gated: false }), /model\.yaml: model\.artifact .*gone\.onnx cannot be read: it does not exist/);
  } finally {
    f.cleanup();
  }
});

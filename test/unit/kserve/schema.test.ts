// The generated objects against JSON Schemas written from KServe's CRDs
// (test/fixtures/kserve/*.schema.json), plus negative cases: each schema rule
// must reject what KServe or Kubernetes would reject or silently drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ModelManifest } from '../../../server/manifest/types';
import { generateInferenceService, generateStorageContainer, planRollback } from '../../../server/publish/kserve';
import { clone, DIGEST_V1, DIGEST_V2, input, REF_V1, schemaErrors } from './helpers';

const ISVC = 'inferenceservice' as const;
const CSC = 'clusterstoragecontainer' as const;

test('generated InferenceServices are valid for every hardware, mode and canary setting', () => {
  const variants = [
    input(),
    input({ serving: { threads: 4, hardware: 'gpu', instances: 2 } }),
    input({ serving: { hardware: 'any' } }),
    input({ deploy: { kubernetes: { mode: 'raw' } } }),
    input({ deploy: { kubernetes: { mode: 'serverless', canaryPercent: 25 } } }),
    input({ deploy: {} }, { runtime: null, previous: undefined }),
    input({ metadata: { type: 'mega', version: '2.0.0-rc.1+exp' } }),
  ];
  for (const v of variants) {
    const o = generateInferenceService(v);
    assert.deepEqual(schemaErrors(ISVC, o), [], JSON.stringify(v.manifest.deploy));
  }
});

test('the sample models generate valid InferenceServices', () => {
  for (const sample of ['breast-cancer', 'diabetes', 'digits']) {
    const m = parse(readFileSync(`samples/${sample}/model.yaml`, 'utf8')) as ModelManifest;
    const o = generateInferenceService({
      manifest: m,
      artifact: { reference: `oci://registry.example.com/ml/${sample}:${m.metadata.version}`, digest: DIGEST_V2 },
    });
    assert.deepEqual(schemaErrors(ISVC, o), [], sample);
  }
});

test('a rollback object is valid too', () => {
  const current = generateInferenceService(input());
  const previous = generateInferenceService(
    input({ metadata: { version: '1.1.0' } }, { artifact: { reference: REF_V1, digest: DIGEST_V1 }, previous: undefined }),
  );
  assert.deepEqual(schemaErrors(ISVC, planRollback({ current, previous })), []);
});

test('negative: a misspelt predictor field fails instead of being pruned', () => {
  const o = clone(generateInferenceService(input())) as unknown as { spec: { predictor: Record<string, unknown> } };
  o.spec.predictor.canaryTraficPercent = 10;
  assert.ok(
    schemaErrors(ISVC, o).some((e) => /canaryTraficPercent/.test(e)),
    'typo must fail',
  );
});

test('negative: a misspelt model field (storageURI) fails', () => {
  const o = clone(generateInferenceService(input())) as unknown as { spec: { predictor: { model: Record<string, unknown> } } };
  o.spec.predictor.model.storageURI = o.spec.predictor.model.storageUri;
  delete o.spec.predictor.model.storageUri;
  const errs = schemaErrors(ISVC, o);
  assert.ok(
    errs.some((e) => /storageURI/.test(e)),
    errs.join('\n'),
  );
  assert.ok(
    errs.some((e) => /storageUri/.test(e)),
    'the missing storageUri is reported too',
  );
});

test('negative: a misspelt metadata field (annotation) fails', () => {
  const o = clone(generateInferenceService(input())) as unknown as { metadata: Record<string, unknown> };
  o.metadata.annotation = o.metadata.annotations;
  delete o.metadata.annotations;
  assert.ok(schemaErrors(ISVC, o).some((e) => /annotation\)/.test(e)));
});

test('negative: raw mode with canaryTrafficPercent fails (kserve#5335); serverless with it passes', () => {
  const raw = clone(generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw' } } })));
  raw.spec.predictor.canaryTrafficPercent = 10;
  assert.notDeepEqual(schemaErrors(ISVC, raw), []);
  raw.metadata.annotations!['serving.kserve.io/deploymentMode'] = 'Standard';
  assert.notDeepEqual(schemaErrors(ISVC, raw), [], 'the 0.15+ name of raw mode too');
  raw.metadata.annotations!['serving.kserve.io/deploymentMode'] = 'Serverless';
  assert.deepEqual(schemaErrors(ISVC, raw), []);
});

test('negative: canaryTrafficPercent outside 0..100 or not whole fails', () => {
  for (const bad of [101, -1, 12.5, '10']) {
    const o = clone(generateInferenceService(input())) as unknown as { spec: { predictor: Record<string, unknown> } };
    o.spec.predictor.canaryTrafficPercent = bad;
    assert.notDeepEqual(schemaErrors(ISVC, o), [], String(bad));
  }
});

test('negative: quantities must match the CRD pattern; integers are allowed', () => {
  const o = clone(generateInferenceService(input()));
  o.spec.predictor.model.resources!.limits!.memory = '2GB';
  assert.ok(schemaErrors(ISVC, o).some((e) => /limits\/memory/.test(e)));
  (o.spec.predictor.model.resources!.limits as Record<string, unknown>).memory = 2147483648;
  assert.deepEqual(schemaErrors(ISVC, o), []);
});

test('gpu: nvidia.com/gpu is a valid resource name; a malformed resource name fails', () => {
  const o = clone(generateInferenceService(input({ serving: { hardware: 'gpu' } })));
  assert.deepEqual(schemaErrors(ISVC, o), []);
  o.spec.predictor.model.resources!.limits!['nvidia.com/GPU!'] = '1';
  assert.notDeepEqual(schemaErrors(ISVC, o), []);
});

test('negative: an InferenceService name starting with a digit, or an upper-case namespace, fails', () => {
  const a = clone(generateInferenceService(input()));
  a.metadata.name = '3d-unet';
  assert.ok(schemaErrors(ISVC, a).some((e) => /\/metadata\/name/.test(e)));
  const b = clone(generateInferenceService(input()));
  b.metadata.namespace = 'Models';
  assert.ok(schemaErrors(ISVC, b).some((e) => /\/metadata\/namespace/.test(e)));
});

test('negative: a label value with "+" fails; an unknown deployment mode fails', () => {
  const a = clone(generateInferenceService(input()));
  a.metadata.labels!['app.kubernetes.io/version'] = '1.2.0+build';
  assert.notDeepEqual(schemaErrors(ISVC, a), []);
  const b = clone(generateInferenceService(input()));
  b.metadata.annotations!['serving.kserve.io/deploymentMode'] = 'Raw';
  assert.notDeepEqual(schemaErrors(ISVC, b), []);
});

test('negative: wrong apiVersion or kind fails', () => {
  const o = clone(generateInferenceService(input())) as unknown as Record<string, unknown>;
  o.apiVersion = 'serving.kserve.io/v1alpha1';
  assert.notDeepEqual(schemaErrors(ISVC, o), []);
});

test('generated ClusterStorageContainers are valid (default, plain HTTP, no credentials)', () => {
  for (const opts of [{}, { plainHttp: true }, { credentialsSecret: null }, { imagePullPolicy: 'IfNotPresent' as const, name: 'modelgate.example' }]) {
    const o = generateStorageContainer({ image: 'registry.example.com/tools/modelgate:0.1.0', ...opts });
    assert.deepEqual(schemaErrors(CSC, o), [], JSON.stringify(opts));
  }
});

test("negative: a storage container with args fails (they would replace KServe's [uri, /mnt/models])", () => {
  const o = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as { spec: { container: Record<string, unknown> } };
  o.spec.container.args = ['--verbose'];
  assert.ok(schemaErrors(CSC, o).some((e) => /\(args\)/.test(e)));
});

test('negative: a storage container not named storage-initializer fails', () => {
  const o = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as { spec: { container: Record<string, unknown> } };
  o.spec.container.name = 'modelgate-init';
  assert.ok(schemaErrors(CSC, o).some((e) => /container\/name/.test(e)));
});

test('negative: URI formats need exactly one of prefix or regex, and at least one format', () => {
  const both = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as { spec: Record<string, unknown> };
  both.spec.supportedUriFormats = [{ prefix: 'modelgate://', regex: '^modelgate://' }];
  assert.notDeepEqual(schemaErrors(CSC, both), []);
  both.spec.supportedUriFormats = [];
  assert.notDeepEqual(schemaErrors(CSC, both), []);
});

test('negative: a namespace on the cluster-scoped storage container fails; so does a workloadType typo', () => {
  const a = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  a.metadata.namespace = 'kserve';
  assert.ok(schemaErrors(CSC, a).some((e) => /\(namespace\)/.test(e)));
  const b = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as { spec: Record<string, unknown> };
  b.spec.workloadType = 'initcontainer';
  assert.notDeepEqual(schemaErrors(CSC, b), []);
});

test('each schema says which KServe CRD it was written from', () => {
  for (const [file, crd] of [
    [ISVC, 'config/crd/full/serving.kserve.io_inferenceservices.yaml'],
    [CSC, 'config/crd/full/serving.kserve.io_clusterstoragecontainers.yaml'],
  ] as const) {
    const s = JSON.parse(readFileSync(`test/fixtures/kserve/${file}.schema.json`, 'utf8')) as { $comment: string };
    assert.ok(s.$comment.includes(crd) && /commit [0-9a-f]{40}/.test(s.$comment), file);
  }
});

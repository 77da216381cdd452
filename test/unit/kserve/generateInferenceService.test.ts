// generateInferenceService: each manifest field lands where KServe reads it,
// and combinations KServe would mishandle are refused with a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANNOTATION,
  deploymentWarnings,
  generateInferenceService,
  KServeError,
  KSERVE_DEPLOYMENT_MODE,
  LABEL,
  renderYaml,
} from '../../../server/publish/kserve';
import { DIGEST_V1, DIGEST_V2, input, REF_V1 } from './helpers';

test('the predictor serves ONNX with Triton over the v2 (Open Inference) protocol', () => {
  const m = generateInferenceService(input()).spec.predictor.model;
  assert.deepEqual(m.modelFormat, { name: 'onnx' });
  assert.equal(m.runtime, 'kserve-tritonserver');
  assert.equal(m.protocolVersion, 'v2');
});

test('runtime null leaves the choice to KServe; a named runtime is passed through', () => {
  assert.equal('runtime' in generateInferenceService(input({}, { runtime: null })).spec.predictor.model, false);
  assert.equal(generateInferenceService(input({}, { runtime: 'triton-24-gpu' })).spec.predictor.model.runtime, 'triton-24-gpu');
});

test('storageUri uses the modelgate:// scheme and pins the artifact digest, not the tag', () => {
  const uri = generateInferenceService(input()).spec.predictor.model.storageUri;
  assert.equal(uri, `modelgate://registry.example.com/ml/breast-cancer@${DIGEST_V2}`);
  const byDigest = generateInferenceService(
    input({}, { artifact: { reference: `oci://registry.example.com:5000/ml/breast-cancer@${DIGEST_V2}`, digest: DIGEST_V2 } }),
  );
  assert.equal(byDigest.spec.predictor.model.storageUri, `modelgate://registry.example.com:5000/ml/breast-cancer@${DIGEST_V2}`);
});

test('a reference whose digest differs from the artifact digest is refused', () => {
  assert.throws(
    () => generateInferenceService(input({}, { artifact: { reference: `oci://registry.example.com/ml/breast-cancer@${DIGEST_V1}`, digest: DIGEST_V2 } })),
    (e: unknown) => e instanceof KServeError && /names digest sha256:1{64} but the artifact digest is sha256:2{64}/.test(e.message),
  );
});

test('a local OCI layout is refused: the cluster cannot read the workspace', () => {
  assert.throws(
    () => generateInferenceService(input({}, { artifact: { reference: '.modelgate/registry/breast-cancer:1.2.0', digest: DIGEST_V2 } })),
    (e: unknown) => e instanceof KServeError && e.field === 'deploy.oci' && /local OCI layout/.test(e.message) && /oci:\/\/host\/repo/.test(e.message),
  );
});

test('a malformed digest is refused', () => {
  assert.throws(() => generateInferenceService(input({}, { artifact: { reference: REF_V1, digest: 'sha256:abc' } })), /not sha256:<64 hex digits>/);
});

test('cpu hardware: cpu from serving.threads, memory by type, requests equal limits, no GPU', () => {
  const r = generateInferenceService(input({ serving: { threads: 2, hardware: 'cpu', instances: 1 } })).spec.predictor.model.resources;
  assert.deepEqual(r, { requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } });
});

test('gpu hardware adds one nvidia.com/gpu as a limit', () => {
  const r = generateInferenceService(input({ serving: { threads: 1, hardware: 'gpu', instances: 1 } })).spec.predictor.model.resources;
  assert.equal(r?.limits?.['nvidia.com/gpu'], '1');
  assert.equal(r?.requests?.['nvidia.com/gpu'], undefined);
  assert.equal(r?.limits?.cpu, '1');
});

test('hardware any deploys on CPU and says so', () => {
  const i = input({ serving: { threads: 1, hardware: 'any', instances: 1 } });
  assert.equal(generateInferenceService(i).spec.predictor.model.resources?.limits?.['nvidia.com/gpu'], undefined);
  assert.ok(deploymentWarnings(i).some((w) => /hardware is "any"/.test(w)));
});

test('memory: mega models get 8Gi, and a large artifact raises it to 1Gi + 3 × its size', () => {
  assert.equal(generateInferenceService(input({ metadata: { type: 'mega' } })).spec.predictor.model.resources?.limits?.memory, '8Gi');
  const big = input({}, { artifact: { reference: 'oci://registry.example.com/ml/breast-cancer:1.2.0', digest: DIGEST_V2, modelBytes: 3 * 2 ** 30 } });
  assert.equal(generateInferenceService(big).spec.predictor.model.resources?.requests?.memory, '10Gi');
});

test('replicas: min and max both from serving.instances (default 1)', () => {
  const p = generateInferenceService(input({ serving: { instances: 3 } })).spec.predictor;
  assert.equal(p.minReplicas, 3);
  assert.equal(p.maxReplicas, 3);
  const d = generateInferenceService(input({ serving: {} })).spec.predictor;
  assert.deepEqual([d.minReplicas, d.maxReplicas], [1, 1]);
});

test('canary: serverless with a previous revision sets canaryTrafficPercent', () => {
  const p = generateInferenceService(input({ deploy: { kubernetes: { mode: 'serverless', canaryPercent: 10 } } })).spec.predictor;
  assert.equal(p.canaryTrafficPercent, 10);
});

test('canary: a first rollout, a 100 % canary or the same digest again write no canaryTrafficPercent', () => {
  const deploy = { kubernetes: { mode: 'serverless' as const, canaryPercent: 10 } };
  const first = input({ deploy }, { previous: undefined });
  assert.equal('canaryTrafficPercent' in generateInferenceService(first).spec.predictor, false);
  assert.ok(deploymentWarnings(first).some((w) => /no previous revision/.test(w)));
  assert.equal('canaryTrafficPercent' in generateInferenceService(input({ deploy: { kubernetes: { canaryPercent: 100 } } })).spec.predictor, false);
  const same = input({ deploy }, { previous: { reference: REF_V1, digest: DIGEST_V2, version: '1.2.0' } });
  assert.equal('canaryTrafficPercent' in generateInferenceService(same).spec.predictor, false);
});

test('raw mode with canaryPercent is refused (KServe ignores it there, kserve#5335)', () => {
  assert.throws(
    () => generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw', canaryPercent: 10 } } })),
    (e: unknown) =>
      e instanceof KServeError &&
      e.code === 'MG125' &&
      e.field === 'deploy.kubernetes.canaryPercent' &&
      /breast-cancer 1\.2\.0/.test(e.message) &&
      /kserve\/kserve#5335/.test(e.message) &&
      /mode: serverless/.test(e.message),
  );
  // Refused even on a first rollout: the manifest asks for something raw mode cannot do.
  assert.throws(() => generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw', canaryPercent: 0 } } }, { previous: undefined })), KServeError);
});

test('deployment mode annotation: Serverless by default, RawDeployment for raw', () => {
  assert.equal(generateInferenceService(input({ deploy: {} })).metadata.annotations?.[KSERVE_DEPLOYMENT_MODE], 'Serverless');
  assert.equal(generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw' } } })).metadata.annotations?.[KSERVE_DEPLOYMENT_MODE], 'RawDeployment');
});

test('labels carry the model name and version; an invalid label version keeps the exact text in an annotation', () => {
  const o = generateInferenceService(input({ metadata: { version: '1.2.0+build.7' } }));
  assert.deepEqual(o.metadata.labels, { [LABEL.name]: 'breast-cancer', [LABEL.version]: '1.2.0_build.7', [LABEL.managedBy]: 'modelgate' });
  assert.equal(o.metadata.annotations?.[ANNOTATION.version], '1.2.0+build.7');
});

test('ModelGate annotations: artifact, digest, gates summary, gated flag and the previous revision', () => {
  const a = generateInferenceService(input()).metadata.annotations ?? {};
  assert.equal(a[ANNOTATION.artifact], 'oci://registry.example.com/ml/breast-cancer:1.2.0');
  assert.equal(a[ANNOTATION.digest], DIGEST_V2);
  assert.equal(a[ANNOTATION.gates], '12/12 passed');
  assert.equal(a[ANNOTATION.gated], 'true');
  assert.equal(a[ANNOTATION.previousDigest], DIGEST_V1);
  assert.equal(a[ANNOTATION.previousVersion], '1.1.0');
  assert.equal(a[ANNOTATION.previousArtifact], REF_V1);
  const ungated = input({}, { artifact: { reference: REF_V1, digest: DIGEST_V2, gated: false, gates: 'ungated (10/12 passed)' } });
  assert.equal(generateInferenceService(ungated).metadata.annotations?.[ANNOTATION.gated], 'false');
  assert.ok(deploymentWarnings(ungated).some((w) => /--force/.test(w)));
});

test('a model name starting with a digit is refused with the field and a fix; an explicit name works', () => {
  assert.throws(
    () => generateInferenceService(input({ metadata: { name: '3d-unet' } })),
    (e: unknown) => e instanceof KServeError && e.field === 'metadata.name' && /start with a letter/.test(e.message) && /m-3d-unet/.test(e.message),
  );
  assert.equal(generateInferenceService(input({ metadata: { name: '3d-unet' } }, { name: 'unet3d' })).metadata.name, 'unet3d');
});

test('namespace: from deploy.kubernetes.namespace, overridable, omitted when neither is set', () => {
  assert.equal(generateInferenceService(input()).metadata.namespace, 'models');
  assert.equal(generateInferenceService(input({}, { namespace: 'staging' })).metadata.namespace, 'staging');
  assert.equal('namespace' in generateInferenceService(input({ deploy: { kubernetes: {} } })).metadata, false);
  assert.throws(
    () => generateInferenceService(input({}, { namespace: 'Prod_1' })),
    (e: unknown) => e instanceof KServeError && e.field === 'deploy.kubernetes.namespace',
  );
});

test('name-predictor-namespace longer than 63 is refused with how much to cut (kserve#4807)', () => {
  const name = 'b'.repeat(40);
  assert.throws(
    () => generateInferenceService(input({ metadata: { name } }, { namespace: 'team-forecasting-prod' })),
    (e: unknown) => e instanceof KServeError && /kserve\/kserve#4807/.test(e.message) && /by 9 characters/.test(e.message),
  );
});

test('a loopback registry is flagged: inside a pod it is the pod itself', () => {
  const i = input({}, { artifact: { reference: 'oci://127.0.0.1:5000/ml/breast-cancer:1.2.0', digest: DIGEST_V2 } });
  assert.equal(generateInferenceService(i).spec.predictor.model.storageUri, `modelgate://127.0.0.1:5000/ml/breast-cancer@${DIGEST_V2}`);
  assert.ok(deploymentWarnings(i).some((w) => /loopback/.test(w)));
  assert.deepEqual(deploymentWarnings(input()), []);
});

test('generation is deterministic: same input, same YAML', () => {
  assert.equal(renderYaml([generateInferenceService(input())]), renderYaml([generateInferenceService(input())]));
});

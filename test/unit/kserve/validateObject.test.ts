// Rules a JSON Schema cannot express (cross-field, sizes, quantity
// arithmetic), as the API server and the KServe webhook apply them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateInferenceService, generateStorageContainer, validateObject, validateResources } from '../../../server/publish/kserve';
import type { KubeObject } from '../../../server/publish/kserve';
import { clone, input } from './helpers';

const paths = (o: KubeObject): string[] => validateObject(o).map((p) => p.path);

test('generated objects have no problems', () => {
  assert.deepEqual(validateObject(generateInferenceService(input())), []);
  assert.deepEqual(validateObject(generateInferenceService(input({ serving: { hardware: 'gpu' } }))), []);
  assert.deepEqual(validateObject(generateStorageContainer({ image: 'x/modelgate:1' })), []);
});

test('minReplicas above maxReplicas is refused; maxReplicas 0 means unbounded', () => {
  const o = clone(generateInferenceService(input()));
  o.spec.predictor.minReplicas = 3;
  o.spec.predictor.maxReplicas = 2;
  assert.deepEqual(paths(o), ['spec.predictor.minReplicas']);
  o.spec.predictor.maxReplicas = 0;
  assert.deepEqual(paths(o), []);
  o.spec.predictor.minReplicas = -1;
  assert.deepEqual(paths(o), ['spec.predictor.minReplicas']);
});

test('a request above its limit is refused', () => {
  const p = validateResources({ requests: { cpu: '1500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1024Mi' } }, 'r');
  assert.deepEqual(
    p.map((x) => x.path),
    ['r.requests.cpu'],
  );
});

test('extended resources: a limit is required, whole numbers only, a request must equal the limit', () => {
  assert.deepEqual(
    validateResources({ requests: { 'nvidia.com/gpu': '1' } }, 'r').map((x) => x.path),
    ['r.limits.nvidia.com/gpu'],
  );
  assert.deepEqual(
    validateResources({ limits: { 'nvidia.com/gpu': '500m' } }, 'r').map((x) => x.path),
    ['r.limits.nvidia.com/gpu'],
  );
  assert.deepEqual(
    validateResources({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } }, 'r').map((x) => x.path),
    ['r.requests.nvidia.com/gpu'],
  );
  assert.deepEqual(validateResources({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } }, 'r'), []);
});

test('malformed quantities and negative amounts are refused', () => {
  const p = validateResources({ limits: { cpu: 'two', memory: '-1Gi' } }, 'r');
  assert.deepEqual(p.map((x) => x.path).sort(), ['r.limits.cpu', 'r.limits.memory']);
});

test('annotations may not exceed 256 KiB in total', () => {
  const o = clone(generateInferenceService(input()));
  o.metadata.annotations!['modelgate.dev/blob'] = 'x'.repeat(256 * 1024);
  assert.deepEqual(paths(o), ['metadata.annotations']);
});

test('invalid label keys and values are reported with their key', () => {
  const o = clone(generateInferenceService(input()));
  o.metadata.labels!['bad key'] = 'v';
  o.metadata.labels!['app.kubernetes.io/version'] = '1.0+x';
  assert.deepEqual(paths(o).sort(), ['metadata.labels.app.kubernetes.io/version', 'metadata.labels.bad key']);
});

test('canaryTrafficPercent in RawDeployment or Standard mode is reported (kserve#5335)', () => {
  const o = clone(generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw', namespace: 'models' } } })));
  o.spec.predictor.canaryTrafficPercent = 20;
  assert.ok(validateObject(o).some((p) => /kserve\/kserve#5335/.test(p.message)));
  o.metadata.annotations!['serving.kserve.io/deploymentMode'] = 'Standard';
  assert.ok(validateObject(o).some((p) => /Standard mode/.test(p.message)));
});

test('name-predictor-namespace above 63 characters is reported', () => {
  const o = clone(generateInferenceService(input()));
  o.metadata.namespace = 'n'.repeat(50);
  assert.ok(validateObject(o).some((p) => p.path === 'metadata.name' && /kserve\/kserve#4807/.test(p.message)));
});

test('a namespace on a cluster-scoped object is reported', () => {
  const o = clone(generateStorageContainer({ image: 'x/modelgate:1' }));
  o.metadata.namespace = 'kserve';
  assert.deepEqual(paths(o), ['metadata.namespace']);
});

test('storage container: args, another container name, and a format with both prefix and regex are reported', () => {
  const o = clone(generateStorageContainer({ image: 'x/modelgate:1' })) as unknown as KubeObject & {
    spec: { container: Record<string, unknown>; supportedUriFormats: unknown[] };
  };
  o.spec.container.args = ['x'];
  o.spec.container.name = 'init';
  o.spec.supportedUriFormats = [{ prefix: 'a://', regex: 'b' }];
  assert.deepEqual(paths(o).sort(), ['spec.container.args', 'spec.container.name', 'spec.supportedUriFormats[0]']);
});

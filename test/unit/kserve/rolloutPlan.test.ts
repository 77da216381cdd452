// Rollback, promotion and the "previous revision" bookkeeping, all on plain
// objects: what would be re-applied, checked field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANNOTATION,
  checkModeChange,
  generateInferenceService,
  KServeError,
  KSERVE_DEPLOYMENT_MODE,
  planPromotion,
  planRollback,
  previousFor,
  previousRevisionOf,
  revisionOf,
  stripServerFields,
} from '../../../server/publish/kserve';
import type { InferenceService } from '../../../server/publish/kserve';
import { clone, DIGEST_V1, DIGEST_V2, input, REF_V1, REF_V2 } from './helpers';

const V1 = { reference: REF_V1, digest: DIGEST_V1, version: '1.1.0' };
const V2 = { reference: REF_V2, digest: DIGEST_V2, version: '1.2.0' };

/** 1.1.0 as it was generated when it was deployed. */
function v1Object(over: Parameters<typeof input>[0] = {}): InferenceService {
  return generateInferenceService(
    input({ metadata: { version: '1.1.0' }, ...over }, { artifact: { reference: REF_V1, digest: DIGEST_V1 }, previous: undefined }),
  );
}

/** 1.2.0 as read back from a cluster mid-canary: status and server metadata included. */
function v2FromCluster(): InferenceService {
  const o = clone(generateInferenceService(input({ deploy: { kubernetes: { namespace: 'models', canaryPercent: 10 } } })));
  Object.assign(o.metadata, {
    uid: 'u-1',
    resourceVersion: '4711',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'modelgate' }],
  });
  o.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'] = '{}';
  (o as unknown as Record<string, unknown>).status = { url: 'http://breast-cancer.models.example.com' };
  return o;
}

test('revisionOf and previousRevisionOf read the annotations; undefined when absent', () => {
  const o = generateInferenceService(input());
  assert.deepEqual(revisionOf(o), V2);
  assert.deepEqual(previousRevisionOf(o), V1);
  assert.equal(previousRevisionOf(v1Object()), undefined);
  const bare = clone(o);
  bare.metadata.annotations = {};
  assert.equal(revisionOf(bare), undefined);
});

test('previousFor: nothing deployed, a new digest, and the same digest again', () => {
  const current = generateInferenceService(input());
  assert.equal(previousFor(undefined, DIGEST_V2), undefined);
  assert.deepEqual(previousFor(current, 'sha256:' + '3'.repeat(64)), V2);
  // Re-deploying 1.2.0 keeps 1.1.0 as the rollback target instead of pointing at itself.
  assert.deepEqual(previousFor(current, DIGEST_V2), V1);
});

test('rollback re-applies the previous artifact with all traffic, under the current name and namespace', () => {
  const current = v2FromCluster();
  const out = planRollback({ current, previous: v1Object() });
  assert.equal(out.spec.predictor.model.storageUri, `modelgate://registry.example.com/ml/breast-cancer@${DIGEST_V1}`);
  assert.equal('canaryTrafficPercent' in out.spec.predictor, false);
  assert.equal(out.metadata.name, 'breast-cancer');
  assert.equal(out.metadata.namespace, 'models');
  assert.equal(out.metadata.labels?.['app.kubernetes.io/version'], '1.1.0');
  assert.deepEqual(revisionOf(out), V1);
});

test('rollback drops status and server-owned metadata, and remembers where it came from', () => {
  const out = planRollback({ current: v2FromCluster(), previous: v1Object() });
  assert.equal('status' in out, false);
  for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields']) assert.equal(k in out.metadata, false, k);
  assert.equal(out.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
  assert.deepEqual(previousRevisionOf(out), V2);
  assert.equal(out.metadata.annotations?.[ANNOTATION.rolledBackFrom], DIGEST_V2);
});

test('rollback keeps the current deployment mode: KServe refuses to change it in place', () => {
  const current = generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw', namespace: 'models' } } }));
  const previous = v1Object({ deploy: { kubernetes: { mode: 'serverless', namespace: 'models', canaryPercent: 10 } } });
  const out = planRollback({ current, previous });
  assert.equal(out.metadata.annotations?.[KSERVE_DEPLOYMENT_MODE], 'RawDeployment');
  assert.equal('canaryTrafficPercent' in out.spec.predictor, false);
});

test('rolling back a rollback returns to the newer revision', () => {
  const v2 = generateInferenceService(input());
  const back = planRollback({ current: v2, previous: v1Object() });
  const forward = planRollback({ current: back, previous: v2 });
  assert.equal(forward.spec.predictor.model.storageUri, v2.spec.predictor.model.storageUri);
  assert.deepEqual(previousRevisionOf(forward), V1);
});

test('rollback refuses: the same revision, another model, or a previous object without a digest', () => {
  const current = generateInferenceService(input());
  assert.throws(
    () => planRollback({ current, previous: current }),
    (e: unknown) => e instanceof KServeError && /already serves 1\.2\.0/.test(e.message),
  );
  assert.throws(
    () => planRollback({ current, previous: generateInferenceService(input({ metadata: { name: 'digits' } })) }),
    /for InferenceService "digits", not "breast-cancer"/,
  );
  const noDigest = clone(v1Object());
  delete noDigest.metadata.annotations![ANNOTATION.digest];
  assert.throws(() => planRollback({ current, previous: noDigest }), /carries no modelgate\.dev\/artifact-digest/);
});

test('promotion removes canaryTrafficPercent and changes nothing else', () => {
  const current = v2FromCluster();
  const out = planPromotion(current);
  assert.equal('canaryTrafficPercent' in out.spec.predictor, false);
  const expected = stripServerFields(current);
  delete expected.spec.predictor.canaryTrafficPercent;
  assert.deepEqual(out, expected);
  assert.throws(() => planPromotion(out), /no canary in progress/);
});

test('a deployment mode change is refused before the cluster does it', () => {
  const serverless = generateInferenceService(input());
  const raw = generateInferenceService(input({ deploy: { kubernetes: { mode: 'raw', namespace: 'models' } } }));
  assert.throws(
    () => checkModeChange(serverless, raw),
    (e: unknown) => e instanceof KServeError && e.field === 'deploy.kubernetes.mode' && /kubectl delete isvc breast-cancer/.test(e.message),
  );
  assert.doesNotThrow(() => checkModeChange(serverless, serverless));
  assert.doesNotThrow(() => checkModeChange(undefined, raw));
});

test('planning never mutates its inputs', () => {
  const current = v2FromCluster();
  const previous = v1Object();
  const [c, p] = [clone(current), clone(previous)];
  planRollback({ current, previous });
  planPromotion(current);
  stripServerFields(current);
  assert.deepEqual(current, c);
  assert.deepEqual(previous, p);
});

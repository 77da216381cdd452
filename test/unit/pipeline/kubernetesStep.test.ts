// The KServe step of a deploy, against a fake cluster: the dry run writes
// exactly what would be applied; a real apply records the revision it replaces.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { loadManifest, type LoadedManifest } from '../../../server/manifest/load';
import { kubernetesStep, wantsKubernetes } from '../../../server/pipeline/kubernetesStep';
import { ANNOTATION, generateInferenceService, type Cluster, type KubeObject } from '../../../server/publish/kserve';

const root = resolve(__dirname, '../../..');
const D1 = 'sha256:' + '1'.repeat(64);
const D2 = 'sha256:' + '2'.repeat(64);
let dir: string;
let loaded: LoadedManifest;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mg-kstep-'));
  loaded = await loadManifest(join(root, 'samples/breast-cancer/model.yaml'), { semantic: false });
});
after(() => rmSync(dir, { recursive: true, force: true }));

const step = { reference: 'oci://reg.example.com/ml/breast-cancer:1.0.0', digest: D2, gated: true, gates: '18/18 passed' };

test('--kubernetes or deploy.kubernetes in the manifest asks for the KServe step', () => {
  assert.equal(wantsKubernetes(loaded, false), false);
  assert.equal(wantsKubernetes(loaded, true), true);
  const withK8s = { ...loaded, manifest: { ...loaded.manifest, deploy: { kubernetes: { namespace: 'ml' } } } } as LoadedManifest;
  assert.equal(wantsKubernetes(withK8s, false), true);
});

test('dry run: the YAML file holds one InferenceService pinned to the digest, and nothing connects', async () => {
  const yamlPath = join(dir, 'inferenceservice.yaml');
  const out = await kubernetesStep({ loaded, ...step, dryRun: true, yamlPath, connect: () => assert.fail('a dry run must not connect') });
  assert.equal(readFileSync(yamlPath, 'utf8'), out.yaml);
  const isvc = parse(out.yaml.replace(/^---\n/, ''));
  assert.equal(isvc.kind, 'InferenceService');
  assert.equal(isvc.spec.predictor.model.storageUri, `modelgate://reg.example.com/ml/breast-cancer@${D2}`);
  assert.equal(out.applied, undefined);
});

test('apply: reads what the cluster serves, records it as the previous revision, applies once', async () => {
  const current = generateInferenceService({ manifest: loaded.manifest, artifact: { reference: 'oci://reg.example.com/ml/breast-cancer:0.9.0', digest: D1 } });
  current.metadata.annotations![ANNOTATION.version] = '0.9.0';
  const applied: KubeObject[][] = [];
  const fake: Cluster = {
    context: 'kind-test',
    namespace: 'ml',
    async apply(objects) {
      applied.push([...objects]);
      return objects.map((o) => ({ kind: o.kind, name: o.metadata.name, namespace: 'ml', resourceVersion: '7' }));
    },
    async read() {
      return current;
    },
  };
  const out = await kubernetesStep({ loaded, ...step, dryRun: false, yamlPath: join(dir, 'unused.yaml'), connect: async () => fake });
  assert.equal(applied.length, 1);
  const sent = applied[0]![0]!;
  const a = sent.metadata.annotations ?? {};
  assert.equal(a[ANNOTATION.digest], D2);
  assert.equal(a[ANNOTATION.previousDigest], D1);
  assert.equal(a[ANNOTATION.previousVersion], '0.9.0');
  assert.deepEqual(out.applied, [{ kind: 'InferenceService', name: 'breast-cancer', namespace: 'ml', resourceVersion: '7' }]);
  assert.equal(out.context, 'kind-test');
});

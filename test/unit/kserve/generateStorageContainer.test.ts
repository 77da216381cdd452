// The ClusterStorageContainer for modelgate:// URIs, and the contract with
// KServe's storage-initializer injection it relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREDENTIAL_ENV, generateInferenceService, generateStorageContainer, KServeError, modelRepositoryPath } from '../../../server/publish/kserve';
import { input } from './helpers';

const IMAGE = 'registry.example.com/tools/modelgate:0.1.0';

test('claims the modelgate:// prefix as an init container named storage-initializer', () => {
  const c = generateStorageContainer({ image: IMAGE });
  assert.equal(c.apiVersion, 'serving.kserve.io/v1alpha1');
  assert.equal(c.kind, 'ClusterStorageContainer');
  assert.equal(c.metadata.name, 'modelgate');
  assert.deepEqual(c.spec.supportedUriFormats, [{ prefix: 'modelgate://' }]);
  assert.equal(c.spec.workloadType, 'initContainer');
  assert.equal(c.spec.container.name, 'storage-initializer');
  assert.equal(c.spec.container.image, IMAGE);
});

// KServe builds the init container with args [storageUri, /mnt/models] and
// strategic-merges the ClusterStorageContainer's container over it; command
// and args are replaced wholesale, so ours must set command and leave args.
function injectedArgv(csc: ReturnType<typeof generateStorageContainer>, storageUri: string): string[] {
  const kserveDefault = { name: 'storage-initializer', image: 'kserve/storage-initializer', args: [storageUri, '/mnt/models'] };
  const merged = { ...kserveDefault, ...csc.spec.container } as { command?: string[]; args?: string[] };
  return [...(merged.command ?? []), ...(merged.args ?? [])];
}

test('the pod runs `modelgate pull --layout triton <storageUri> /mnt/models`', () => {
  const uri = generateInferenceService(input()).spec.predictor.model.storageUri;
  const argv = injectedArgv(generateStorageContainer({ image: IMAGE }), uri);
  assert.deepEqual(argv, ['modelgate', 'pull', '--layout', 'triton', uri, '/mnt/models']);
});

test("the storage URI is claimed by this container only, not by KServe's defaults or its modelcar path", () => {
  const uri = generateInferenceService(input()).spec.predictor.model.storageUri;
  assert.ok(uri.startsWith('modelgate://'));
  // KServe's default storage initializer formats (helm chart), matched as Go does: HasPrefix / unanchored regexp.
  const prefixes = ['gs://', 's3://', 'hdfs://', 'webhdfs://', 'hf://', 'oci://', 'pvc://'];
  const regexes = ['https://(.+?).blob.core.windows.net/(.+)', 'https://(.+?).file.core.windows.net/(.+)', 'https?://(.+)/(.+)'];
  assert.equal(
    prefixes.some((p) => uri.startsWith(p)),
    false,
  );
  assert.equal(
    regexes.some((r) => new RegExp(r).test(uri)),
    false,
  );
});

test('the model lands where Triton looks: <name>/1/model.onnx under /mnt/models', () => {
  assert.equal(modelRepositoryPath('breast-cancer'), 'breast-cancer/1/model.onnx');
});

test('registry credentials come from an optional basic-auth Secret, in the variables modelgate reads', () => {
  const env = generateStorageContainer({ image: IMAGE }).spec.container.env ?? [];
  assert.deepEqual(
    env.map((e) => e.name),
    [CREDENTIAL_ENV.username, CREDENTIAL_ENV.password],
  );
  assert.deepEqual(
    env.map((e) => e.valueFrom?.secretKeyRef),
    [
      { name: 'modelgate-registry', key: 'username', optional: true },
      { name: 'modelgate-registry', key: 'password', optional: true },
    ],
  );
  assert.equal(generateStorageContainer({ image: IMAGE, credentialsSecret: 'ghcr' }).spec.container.env?.[0]?.valueFrom?.secretKeyRef.name, 'ghcr');
  assert.equal(generateStorageContainer({ image: IMAGE, credentialsSecret: null }).spec.container.env, undefined);
});

test('plainHttp adds --plain-http to the command', () => {
  assert.deepEqual(generateStorageContainer({ image: IMAGE, plainHttp: true }).spec.container.command, [
    'modelgate',
    'pull',
    '--layout',
    'triton',
    '--plain-http',
  ]);
});

test("runs unprivileged with KServe's default storage-initializer budget unless told otherwise", () => {
  const c = generateStorageContainer({ image: IMAGE }).spec.container;
  assert.equal(c.securityContext?.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext?.runAsNonRoot, true);
  assert.deepEqual(c.securityContext?.capabilities, { drop: ['ALL'] });
  assert.deepEqual(c.resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  const custom = { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '2', memory: '2Gi' } };
  assert.deepEqual(generateStorageContainer({ image: IMAGE, resources: custom }).spec.container.resources, custom);
});

test('an image is required and a bad name is refused', () => {
  assert.throws(
    () => generateStorageContainer({ image: '' }),
    (e: unknown) => e instanceof KServeError && /modelgate CLI/.test(e.message),
  );
  assert.throws(() => generateStorageContainer({ image: 'a b' }), KServeError);
  assert.throws(() => generateStorageContainer({ image: IMAGE, name: 'ModelGate' }), /DNS-1123/);
  assert.throws(() => generateStorageContainer({ image: IMAGE, resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }), /above its limit/);
});

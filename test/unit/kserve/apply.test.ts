// apply.ts against a stand-in for @kubernetes/client-node 1.x: no API server
// can run here, so these check our side of the boundary — how the client is
// loaded, which context and namespace are used, the exact server-side apply
// call, and how failures are worded. Talking to a real cluster is untested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLIENT_INSTALL,
  connectCluster,
  describeApplyError,
  generateInferenceService,
  generateStorageContainer,
  KServeError,
  loadKubernetesClient,
} from '../../../server/publish/kserve';
import type { KubeObject } from '../../../server/publish/kserve';
import { input } from './helpers';

interface Ctx {
  name: string;
  cluster: string;
  namespace?: string;
}

function fakeClient(opts: { contexts: Ctx[]; current: string; patchError?: unknown; readResult?: KubeObject; readError?: unknown }) {
  const calls = { patch: [] as unknown[][], read: [] as KubeObject[], load: [] as string[] };
  class KubeConfig {
    private current = opts.current;
    loadFromDefault(): void {
      calls.load.push('default');
    }
    loadFromFile(p: string): void {
      calls.load.push(p);
    }
    getContexts(): Ctx[] {
      return opts.contexts;
    }
    getCurrentContext(): string {
      return this.current;
    }
    setCurrentContext(n: string): void {
      this.current = n;
    }
    getContextObject(n: string): Ctx | null {
      return opts.contexts.find((c) => c.name === n) ?? null;
    }
    getCurrentCluster(): { server: string } {
      return { server: `https://${this.current}.example:6443` };
    }
  }
  const KubernetesObjectApi = {
    makeApiClient: () => ({
      async patch(...args: unknown[]): Promise<KubeObject> {
        calls.patch.push(args);
        if (opts.patchError) throw opts.patchError;
        const o = args[0] as KubeObject;
        return { ...o, metadata: { ...o.metadata, resourceVersion: '42', generation: 2 } };
      },
      async read(spec: KubeObject): Promise<KubeObject> {
        calls.read.push(spec);
        if (opts.readError) throw opts.readError;
        return opts.readResult ?? spec;
      },
    }),
  };
  return { importer: async () => ({ KubeConfig, KubernetesObjectApi }), calls };
}

const CONTEXTS: Ctx[] = [
  { name: 'kind-dev', cluster: 'kind', namespace: 'team-a' },
  { name: 'prod', cluster: 'prod' },
];

function httpError(code: number, message: string): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ kind: 'Status', message }) });
}

test('without the package: says which package to install, pinned to 1.x, and that --dry-run works', async () => {
  const missing = async () => {
    throw Object.assign(new Error("Cannot find package '@kubernetes/client-node'"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  await assert.rejects(
    loadKubernetesClient(missing),
    (e: unknown) => e instanceof KServeError && e.message.includes(CLIENT_INSTALL) && /--dry-run/.test(e.message) && CLIENT_INSTALL.endsWith('@1.3.0'),
  );
});

test('a package that fails to load (2.x on Node 20) names the Node version and the 1.x fix', async () => {
  const broken = async () => {
    throw new SyntaxError('undici: Unexpected token');
  };
  await assert.rejects(
    loadKubernetesClient(broken),
    (e: unknown) =>
      e instanceof KServeError && /failed to load/.test(e.message) && e.message.includes(process.versions.node) && e.message.includes(CLIENT_INSTALL),
  );
});

test('a module without the 1.x exports is refused; a default-export (CommonJS) shape is accepted', async () => {
  await assert.rejects(
    loadKubernetesClient(async () => ({ something: 1 })),
    /does not export KubeConfig/,
  );
  const { importer } = fakeClient({ contexts: CONTEXTS, current: 'kind-dev' });
  const mod = await importer();
  const loaded = await loadKubernetesClient(async () => ({ default: mod }));
  assert.equal(loaded.KubeConfig, mod.KubeConfig);
});

test('server-side apply: patch(obj, undefined, undefined, "modelgate", true, "application/apply-patch+yaml")', async () => {
  const fake = fakeClient({ contexts: CONTEXTS, current: 'kind-dev' });
  const cluster = await connectCluster({ importer: fake.importer });
  const isvc = generateInferenceService(input());
  const result = await cluster.apply([isvc]);
  assert.equal(fake.calls.patch.length, 1);
  const [obj, pretty, dryRun, manager, force, strategy] = fake.calls.patch[0]!;
  assert.deepEqual(obj, isvc);
  assert.deepEqual([pretty, dryRun, manager, force, strategy], [undefined, undefined, 'modelgate', true, 'application/apply-patch+yaml']);
  assert.deepEqual(result, [{ kind: 'InferenceService', name: 'breast-cancer', namespace: 'models', resourceVersion: '42', generation: 2 }]);
  assert.deepEqual(fake.calls.load, ['default']);
});

test("namespace: the object's own, else the option, else the context's, else default; never on cluster-scoped objects", async () => {
  const noNs = generateInferenceService(input({ deploy: { kubernetes: {} } }));
  const csc = generateStorageContainer({ image: 'x/modelgate:1' });
  const run = async (o: { context?: string; namespace?: string }) => {
    const fake = fakeClient({ contexts: CONTEXTS, current: 'kind-dev' });
    const c = await connectCluster({ importer: fake.importer, ...o });
    await c.apply([csc, noNs, generateInferenceService(input())]);
    return fake.calls.patch.map((args) => (args[0] as KubeObject).metadata.namespace);
  };
  assert.deepEqual(await run({}), [undefined, 'team-a', 'models']);
  assert.deepEqual(await run({ namespace: 'override' }), [undefined, 'override', 'models']);
  assert.deepEqual(await run({ context: 'prod' }), [undefined, 'default', 'models']);
});

test("context: the manifest's is selected; an unknown one lists the known contexts", async () => {
  const fake = fakeClient({ contexts: CONTEXTS, current: 'kind-dev' });
  const c = await connectCluster({ importer: fake.importer, context: 'prod' });
  assert.equal(c.context, 'prod');
  assert.equal(c.server, 'https://prod.example:6443');
  await assert.rejects(
    connectCluster({ importer: fake.importer, context: 'staging' }),
    (e: unknown) => e instanceof KServeError && e.field === 'deploy.kubernetes.context' && /kind-dev, prod/.test(e.message),
  );
});

test('an explicit kubeconfig file is loaded instead of the default; dryRun asks the server for dryRun=All', async () => {
  const fake = fakeClient({ contexts: CONTEXTS, current: 'kind-dev' });
  const c = await connectCluster({ importer: fake.importer, kubeconfig: '/tmp/kc.yaml' });
  await c.apply([generateInferenceService(input())], { dryRun: true });
  assert.deepEqual(fake.calls.load, ['/tmp/kc.yaml']);
  assert.equal(fake.calls.patch[0]![2], 'All');
});

test('a failed apply becomes a KServeError naming the object, the context and the fix', async () => {
  const fake = fakeClient({
    contexts: CONTEXTS,
    current: 'kind-dev',
    patchError: httpError(403, 'inferenceservices.serving.kserve.io "breast-cancer" is forbidden'),
  });
  const c = await connectCluster({ importer: fake.importer });
  await assert.rejects(
    c.apply([generateInferenceService(input())]),
    (e: unknown) =>
      e instanceof KServeError && /InferenceService models\/breast-cancer/.test(e.message) && /context "kind-dev"/.test(e.message) && /RBAC/.test(e.message),
  );
});

test('read: the stored object, undefined when absent (404), an error otherwise', async () => {
  const ref = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'breast-cancer' } };
  const stored = generateInferenceService(input());
  const ok = fakeClient({ contexts: CONTEXTS, current: 'kind-dev', readResult: stored });
  assert.deepEqual(await (await connectCluster({ importer: ok.importer })).read(ref), stored);
  assert.equal(ok.calls.read[0]!.metadata.namespace, 'team-a');
  const absent = fakeClient({ contexts: CONTEXTS, current: 'kind-dev', readError: httpError(404, 'not found') });
  assert.equal(await (await connectCluster({ importer: absent.importer })).read(ref), undefined);
  const broken = fakeClient({ contexts: CONTEXTS, current: 'kind-dev', readError: httpError(500, 'etcd timeout') });
  await assert.rejects((await connectCluster({ importer: broken.importer })).read(ref), /cannot read InferenceService team-a\/breast-cancer .*etcd timeout/);
});

test('error wording: KServe missing, bad credentials, webhook rejection, unreachable server', () => {
  const t = { object: generateInferenceService(input()), context: 'kind-dev', server: 'https://127.0.0.1:6443' };
  assert.match(describeApplyError(new Error('Unrecognized API version and kind: serving.kserve.io/v1beta1 InferenceService'), t), /Install KServe/);
  assert.match(describeApplyError(httpError(401, 'Unauthorized'), t), /credentials \(401\)/);
  assert.match(
    describeApplyError(httpError(422, 'admission webhook denied the request: invalid protocol'), t),
    /webhook \(422\): admission webhook denied the request: invalid protocol/,
  );
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
  assert.match(describeApplyError(refused, t), /cannot reach the API server of context "kind-dev" \(https:\/\/127\.0\.0\.1:6443\) \(ECONNREFUSED\)/);
});

// The only code that talks to a Kubernetes API server: server-side apply of
// the objects the pure modules generate, and reading one back. Kept thin on
// purpose — no cluster can run in our tests, so everything that can be
// decided without one is decided elsewhere and tested there.
//
// @kubernetes/client-node is optional and loaded only here, at call time:
// `--dry-run` and everything else work without it. Pin 1.x: 2.x depends on an
// undici that needs Node ≥ 22 and fails to load on Node 20.
import { describeApplyError } from './describeApplyError';
import { KServeError } from './kserveError';
import type { KubeObject } from './objects';
import { isClusterScoped } from './validateObject';

export const CLIENT_PACKAGE = '@kubernetes/client-node';
export const CLIENT_INSTALL = 'npm install @kubernetes/client-node@1.3.0';
export const FIELD_MANAGER = 'modelgate';
const APPLY_PATCH = 'application/apply-patch+yaml';

// The subset of client-node 1.x this module uses.
interface KubeContext {
  name: string;
  cluster: string;
  namespace?: string;
}
interface KubeConfigLike {
  loadFromDefault(): void;
  loadFromFile(path: string): void;
  getContexts(): KubeContext[];
  getCurrentContext(): string;
  setCurrentContext(name: string): void;
  getContextObject(name: string): KubeContext | null | undefined;
  getCurrentCluster(): { server: string } | null | undefined;
}
interface ObjectApiLike {
  patch(spec: KubeObject, pretty?: string, dryRun?: string, fieldManager?: string, force?: boolean, patchStrategy?: string): Promise<KubeObject>;
  read(spec: KubeObject): Promise<KubeObject>;
}
export interface KubernetesClientModule {
  KubeConfig: new () => KubeConfigLike;
  KubernetesObjectApi: { makeApiClient(kc: KubeConfigLike): ObjectApiLike };
}

export type ModuleImporter = (specifier: string) => Promise<unknown>;
// A variable specifier keeps esbuild from trying to bundle a package that may not be installed.
const importModule: ModuleImporter = (specifier) => import(specifier);

export async function loadKubernetesClient(importer: ModuleImporter = importModule): Promise<KubernetesClientModule> {
  let mod: unknown;
  try {
    mod = await importer(CLIENT_PACKAGE);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new KServeError(
        `applying to a Kubernetes cluster needs the ${CLIENT_PACKAGE} package, which is not installed. Install it with \`${CLIENT_INSTALL}\` (a 1.x release; 2.x needs Node ≥ 22), or use --dry-run to write the YAML instead.`,
      );
    }
    throw new KServeError(
      `${CLIENT_PACKAGE} is installed but failed to load (${e instanceof Error ? e.message : String(e)}). On Node ${process.versions.node} use a 1.x release: \`${CLIENT_INSTALL}\`.`,
    );
  }
  const m = mod as Partial<KubernetesClientModule> & { default?: Partial<KubernetesClientModule> };
  const api = typeof m.KubeConfig === 'function' ? m : m.default;
  if (!api || typeof api.KubeConfig !== 'function' || typeof api.KubernetesObjectApi?.makeApiClient !== 'function') {
    throw new KServeError(`${CLIENT_PACKAGE} does not export KubeConfig and KubernetesObjectApi as 1.x does; install a 1.x release: \`${CLIENT_INSTALL}\``);
  }
  return api as KubernetesClientModule;
}

export interface ClusterOptions {
  /** kubeconfig context (deploy.kubernetes.context); default: the current context. */
  context?: string;
  /** Namespace for objects that carry none; default: the context's namespace, then `default`. */
  namespace?: string;
  /** kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  /** Loads the client module; tests pass a fake. */
  importer?: ModuleImporter;
}

export interface AppliedObject {
  kind: string;
  name: string;
  namespace?: string;
  resourceVersion?: string;
  generation?: number;
}

export interface Cluster {
  context: string;
  server?: string;
  namespace: string;
  /** Server-side apply, in order; `dryRun` asks the server to validate without persisting (dryRun=All). */
  apply(objects: readonly KubeObject[], opts?: { dryRun?: boolean }): Promise<AppliedObject[]>;
  /** The object as stored, or undefined when it does not exist. */
  read(ref: Pick<KubeObject, 'apiVersion' | 'kind'> & { metadata: { name: string; namespace?: string } }): Promise<KubeObject | undefined>;
}

export async function connectCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const k8s = await loadKubernetesClient(opts.importer);
  const kc = new k8s.KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KServeError(
        `kubeconfig context "${opts.context}" (deploy.kubernetes.context) does not exist; known contexts: ${known.length ? known.join(', ') : 'none'}. Fix the context name or your kubeconfig.`,
        'deploy.kubernetes.context',
      );
    }
    kc.setCurrentContext(opts.context);
  }
  const context = kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server;
  const namespace = opts.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);

  const place = (o: KubeObject): KubeObject => {
    if (isClusterScoped(o.kind) || o.metadata.namespace) return o;
    return { ...o, metadata: { ...o.metadata, namespace } };
  };

  return {
    context,
    server,
    namespace,
    async apply(objects, applyOpts = {}) {
      const out: AppliedObject[] = [];
      for (const o of objects.map(place)) {
        let stored: KubeObject;
        try {
          stored = await api.patch(o, undefined, applyOpts.dryRun ? 'All' : undefined, FIELD_MANAGER, true, APPLY_PATCH);
        } catch (e) {
          throw new KServeError(describeApplyError(e, { object: o, context, server }));
        }
        const m = stored?.metadata ?? o.metadata;
        out.push({
          kind: o.kind,
          name: o.metadata.name,
          ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
          ...(typeof m.resourceVersion === 'string' ? { resourceVersion: m.resourceVersion } : {}),
          ...(typeof m.generation === 'number' ? { generation: m.generation } : {}),
        });
      }
      return out;
    },
    async read(ref) {
      const o = place({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...ref.metadata } });
      try {
        return await api.read(o);
      } catch (e) {
        const code = (e as { code?: unknown; statusCode?: unknown }).code ?? (e as { statusCode?: unknown }).statusCode;
        if (code === 404 && !/Unrecognized API version/i.test(String((e as Error).message))) return undefined;
        throw new KServeError(describeApplyError(e, { object: o, context, server }).replace(/^cannot apply/, 'cannot read'));
      }
    },
  };
}

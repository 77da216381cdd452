// Starts a serving process: load and warm every model, then listen. close()
// stops accepting, lets in-flight requests finish, then unloads the models.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app';
import type { ServingCore } from './core';
import { ModelLifecycle, resolveManifestPaths, type ReloadEvent } from './lifecycle';
import { ServingMetrics } from './metrics';
import { ModelRepository, type ModelStatus } from './repository';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminToken } from './admin/adminToken';
import { TrafficTable } from './admin/trafficTable';
import type { PullFn } from './routes/admin';
import type { WorkersSetting } from './workers/sizing';
import { StreamConsumer } from './queue/streamConsumer';
import { QueueMetrics } from './queue/queueMetrics';
import { queueSettings, type QueueSettings } from './queue/settings';

declare const MODELGATE_VERSION: string;
const serverVersion = typeof MODELGATE_VERSION === 'string' ? MODELGATE_VERSION : '0.0.0-dev';

export interface StartServerOptions {
  /** Manifest files, directories holding model.yaml, or directories of model directories. */
  manifests: string[];
  host?: string;
  /** 0 picks a free port. Default 8500. */
  port?: number;
  /** Reload a model when its manifest or ONNX file changes. */
  watch?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default 8 MB). */
  bodyLimit?: number;
  /** Time to receive a request, and the longest a request may wait for inference (default 30 s). */
  requestTimeoutMs?: number;
  /** Most instances in one request (default 10000; a manifest's serving.maxInstancesPerRequest may lower it). */
  maxInstancesPerRequest?: number;
  cors?: boolean;
  /** Overrides every manifest's serving.workers. */
  workers?: WorkersSetting;
  /** Enables the admin API (/admin) with this bearer token; `pull` fetches a published version. */
  admin?: { token: string; pull: PullFn; cacheDir?: string };
  /** Called after each hot-reload attempt. */
  onReload?: (e: ReloadEvent) => void;
  /**
   * Consume request streams: these settings over every manifest's
   * serving.queue (`--queue URL`); each model with a queue URL then consumes
   * its stream. Absent: no queue at all, whatever the manifests say (a test
   * run must not take requests meant for the serving nodes).
   */
  queue?: Partial<QueueSettings>;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  app: FastifyInstance;
  repository: ModelRepository;
  lifecycle: ModelLifecycle;
  /** Loaded models, versions and labels at start-up. */
  models: ModelStatus[];
  /** The queue front end of each model that consumes a request stream. */
  consumers: StreamConsumer[];
  /** Stops accepting, drains in-flight requests, unloads every model. */
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `port ${port} on ${host} is already in use; stop the other server or pick another port with --port (e.g. --port ${port + 1}, or --port 0 for any free port)`,
    );
    this.name = 'PortInUseError';
  }
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
  const paths = await resolveManifestPaths(opts.manifests);
  const repository = new ModelRepository();
  const metrics = new ServingMetrics();
  metrics.setSources(() => repository.all());
  let ready = false;
  const core: ServingCore = { repository, metrics, serverName: 'modelgate', serverVersion, ready: () => ready };
  let lifecycleRef: ModelLifecycle | undefined;
  // pulled versions live in a private temp dir unless one is given; removed on close
  const cacheDir = opts.admin ? (opts.admin.cacheDir ?? (await mkdtemp(join(tmpdir(), 'modelgate-admin-')))) : undefined;
  const admin = opts.admin && {
    token: new AdminToken(opts.admin.token),
    traffic: new TrafficTable(),
    pull: opts.admin.pull,
    cacheDir: cacheDir!,
    lifecycle: () => lifecycleRef!,
  };
  if (admin) repository.traffic = admin.traffic;
  const removeCache = () => (opts.admin && !opts.admin.cacheDir && cacheDir ? rm(cacheDir, { recursive: true, force: true }) : Promise.resolve());
  const app = buildApp(core, { logger: opts.logger, bodyLimit: opts.bodyLimit, requestTimeoutMs, cors: opts.cors, admin });
  const lifecycle = new ModelLifecycle(
    repository,
    {
      metrics,
      maxInstancesPerRequest: opts.maxInstancesPerRequest ?? 10_000,
      queueTimeoutMs: requestTimeoutMs,
      workers: opts.workers,
      onWorkerEvent: (e) => {
        const what = e.kind === 'stopped' ? 'stopped' : e.kind === 'replaced' ? 'was replaced' : 'could not be replaced';
        const log = e.kind === 'replaced' ? app.log.info.bind(app.log) : app.log.error.bind(app.log);
        log({ model: e.model, version: e.version, worker: e.worker }, `${e.model} ${e.version}: worker ${e.worker} ${what}: ${e.reason}`);
      },
    },
    app.log,
  );
  lifecycleRef = lifecycle;
  lifecycle.onReload = opts.onReload;
  try {
    await app.ready();
    await lifecycle.loadAll(paths);
    await app.listen({ host, port: opts.port ?? 8500 });
  } catch (err) {
    await app.close().catch(() => undefined);
    await lifecycle.close().catch(() => undefined);
    await removeCache().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, opts.port ?? 8500);
    throw err;
  }
  const consumers: StreamConsumer[] = [];
  try {
    const queueMetrics = new QueueMetrics(metrics.registry);
    for (const m of opts.queue ? repository.list() : []) {
      const settings = queueSettings(repository.resolve(m.name).loaded.manifest, opts.queue);
      if (!settings) continue;
      const c = new StreamConsumer(core, m.name, settings, queueMetrics, app.log);
      await c.start();
      consumers.push(c);
    }
  } catch (err) {
    await Promise.all(consumers.map((c) => c.stop().catch(() => undefined)));
    await app.close().catch(() => undefined);
    await lifecycle.close().catch(() => undefined);
    await removeCache().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8500);
  ready = true;
  if (opts.watch) lifecycle.watch();
  let closing: Promise<void> | undefined;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    app,
    repository,
    lifecycle,
    models: repository.list(),
    consumers,
    close() {
      closing ??= (async () => {
        ready = false;
        // first the queue: requests it has read are answered and acknowledged while the models still serve
        await Promise.all(consumers.map((c) => c.stop()));
        // app.close() closes the idle keep-alive connections it finds; one busy
        // at that moment would otherwise stay open until its keep-alive timeout
        // (72 s) after its answer. Close each as soon as its answer is out.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await lifecycle.close();
        await removeCache();
      })();
      return closing;
    },
  };
}

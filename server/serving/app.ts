// Builds the fastify app; never listens (server.ts does). Tests use
// `buildApp(...).inject()`; the protocol plugins come from routes/index.ts.
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import { corePlugin, type ServingCore } from './core';
import { routePlugins } from './routes/index';
import adminRoutes, { type AdminOptions } from './routes/admin';

export interface AppOptions {
  /** fastify/pino logger: false (default), true, or pino options. */
  logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default 8 MB). */
  bodyLimit?: number;
  /** Time allowed to receive a whole request, in ms (default 30 s). */
  requestTimeoutMs?: number;
  /** Answer cross-origin requests from any origin (default: no CORS headers). */
  cors?: boolean;
  /** Enables the authenticated admin API under /admin; without it those routes do not exist. */
  admin?: AdminOptions;
}

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** The whole app as one plugin: shared core, then each protocol front end under its prefix. */
const app: FastifyPluginAsync<{ core: ServingCore; cors?: boolean; admin?: AdminOptions }> = async (app, opts) => {
  await app.register(corePlugin, { core: opts.core });
  // Preflight answered by @fastify/cors; the header names are the ones our
  // protocols read (JSON bodies and the request id echoed in logs).
  if (opts.cors) {
    await app.register(cors, {
      origin: '*',
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'x-request-id', 'inference-header-content-length'],
      exposedHeaders: ['x-request-id', 'x-modelgate-error', 'inference-header-content-length'],
      maxAge: 600,
    });
  }
  app.get('/', async () => ({
    name: opts.core.serverName,
    version: opts.core.serverVersion,
    endpoints: [
      'GET /v1/models',
      'POST /v1/models/{name}[/versions/{v}|/labels/{l}]:predict',
      'GET /v2',
      'POST /v2/models/{name}[/versions/{v}]/infer',
      'GET /metrics',
    ],
    docs: 'docs/serving.md',
  }));
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send({ error: `no endpoint ${req.method} ${req.url.split('?')[0]}; the server answers under /v1, /v2 and /metrics (see docs/serving.md)` });
  });
  for (const { plugin, prefix } of routePlugins) await app.register(plugin, { prefix });
  if (opts.admin) await app.register(adminRoutes, { ...opts.admin, prefix: '/admin' });
};

// Not encapsulated, so `app.core` is visible to whoever registers it (tests, server.ts).
export const appPlugin = fp(app, { name: 'modelgate-app', fastify: '5.x' });

let nextId = 0;

export function buildApp(core: ServingCore, opts: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    // per-request log lines would dominate the CPU under load; errors and
    // lifecycle events are logged with the request id instead
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: 'x-request-id',
    genReqId: () => `mg-${(++nextId).toString(36)}`,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 200 },
  });
  void app.register(appPlugin, { core, cors: opts.cors, admin: opts.admin });
  return app;
}

// Builds the fastify app; never listens (server.ts does). Tests use
// `buildApp(...).inject()`; the protocol plugins come from routes/index.ts.
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import compress from '@fastify/compress';
import fp from 'fastify-plugin';
import { corePlugin, type ServingCore } from './core';
import { routePlugins } from './routes/index';
import adminRoutes, { type AdminOptions } from './routes/admin';
import { describeError, sendError } from './routes/errors';
import { ServingError } from './errors';

const JSON_UTF8 = 'application/json; charset=utf-8';

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
  // Request bodies compressed as tritonclient offers them (gzip, deflate; br
  // too), decoded within the body limit, so a decompression bomb is a 413.
  // Responses are not compressed: they are small and on loopback.
  await app.register(compress, {
    globalCompression: false,
    requestEncodings: ['gzip', 'deflate', 'br', 'identity'],
    onUnsupportedRequestEncoding: (a: unknown, b: unknown) => {
      const encoding = typeof a === 'string' ? a : String(b);
      return new ServingError(
        415,
        `unsupported Content-Encoding ${JSON.stringify(encoding.slice(0, 40))}; send the body as is, or compressed with gzip or deflate`,
        'MG348',
      );
    },
  });
  // JSON answers say application/json exactly (JSON is UTF-8 by definition;
  // the KServe SDK reads error messages only with this type).
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (reply.getHeader('content-type') === JSON_UTF8) void reply.header('content-type', 'application/json');
    done(null, payload);
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, message, code } = describeError(err as Error, app);
    if (status >= 500) req.log.error({ err, code }, message);
    sendError(reply.code(status).header('x-modelgate-error', code), message);
  });
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
  app.route({
    method: ['POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/',
    handler: async (req, reply) => {
      void reply.header('allow', 'GET, HEAD');
      throw new ServingError(405, `${req.method} is not allowed on /; this endpoint answers GET, HEAD (see docs/serving.md)`, 'MG347');
    },
  });
  app.setNotFoundHandler((req, reply) => {
    sendError(reply.code(404), `no endpoint ${req.method} ${req.url.split('?')[0]}; the server answers under /v1, /v2 and /metrics (see docs/serving.md)`);
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

// The admin API under /admin (only when `serve --admin-token-file` is given):
// list models with their traffic split, load a version from an OCI reference,
// activate it, split traffic with a canary, roll back, unload. Every route
// needs `Authorization: Bearer <token>`; a refused request changes nothing.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Gauge } from 'prom-client';
import { ServingError } from '../errors';
import type { ModelLifecycle } from '../lifecycle';
import { checkModelName, checkVersion } from '../modelName';
import type { AdminToken } from '../admin/adminToken';
import { TrafficError, type TrafficTable } from '../admin/trafficTable';

/** Fetches a published model version into `dir`; returns the directory holding its model.yaml. */
export type PullFn = (reference: string, dir: string) => Promise<{ dir: string; reference: string; digest: string }>;

export interface AdminOptions {
  token: AdminToken;
  traffic: TrafficTable;
  /** A getter: the lifecycle is created after the app. */
  lifecycle: () => ModelLifecycle;
  pull: PullFn;
  /** Where pulled versions are written (one subdirectory per load). */
  cacheDir: string;
}

const errorBody = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const nameParams = { type: 'object', properties: { name: { type: 'string', maxLength: 200 } }, required: ['name'] } as const;
const versionParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 200 }, version: { type: 'string', maxLength: 200 } },
  required: ['name', 'version'],
} as const;
const errors = { '4xx': errorBody, '5xx': errorBody };

const HINT = 'send the token from the server\'s --admin-token-file as "Authorization: Bearer <token>"';
const refusals = {
  missing: `the admin API needs a token: ${HINT}`,
  scheme: `the Authorization header must use the Bearer scheme: ${HINT}`,
  wrong: `the admin token is wrong; ${HINT}`,
} as const;

let loadCounter = 0;

async function adminRoutes(app: FastifyInstance, opts: AdminOptions): Promise<void> {
  const repo = app.core.repository;
  const traffic = opts.traffic;
  /** name@version → the reference it was loaded from */
  const sources = new Map<string, { reference: string; digest: string }>();

  app.addHook('onRequest', async (req, reply) => {
    const r = opts.token.check(req.headers.authorization);
    if (r !== 'ok') {
      return reply.code(401).header('www-authenticate', 'Bearer realm="modelgate-admin"').send({ error: refusals[r] });
    }
  });

  // behind the token check too, so unauthenticated callers learn nothing about the routes
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({
      error: `no admin endpoint ${req.method} ${req.url.split('?')[0]}; the admin API has GET /admin/models and POST /admin/models/{name}/load|activate|canary|rollback, DELETE /admin/models/{name}/versions/{v} (see docs/serving.md)`,
    });
  });

  app.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    const e = err as FastifyError;
    let status =
      err instanceof ServingError
        ? err.statusCode
        : err instanceof TrafficError
          ? 409
          : e.validation
            ? 400
            : e.statusCode && e.statusCode < 500
              ? e.statusCode
              : 500;
    if (status < 400) status = 500;
    if (status >= 500) req.log.error({ err }, `admin request failed: ${err.message}`);
    void reply.code(status).send({ error: e.validation ? `invalid request: ${err.message}; see docs/serving.md (Admin API)` : err.message });
  });

  new Gauge({
    name: 'modelgate_traffic_weight',
    help: 'Percent of requests without a version or label that each model version receives (admin API traffic split).',
    labelNames: ['model', 'version'],
    registers: [app.core.metrics.registry],
    collect() {
      this.reset();
      for (const m of repo.list()) {
        for (const [v, w] of Object.entries(
          traffic.weights(
            m.name,
            m.versions.map((x) => x.version),
            m.defaultVersion,
          ),
        ))
          this.set({ model: m.name, version: v }, w);
      }
    },
  });
  app.addHook('onClose', async () => {
    app.core.metrics.registry.removeSingleMetric('modelgate_traffic_weight');
  });

  const describe = (name: string) => {
    const st = repo.status(name);
    if (!st) return undefined;
    const split = traffic.get(name);
    const versions = st.versions.map((v) => v.version);
    return {
      name,
      defaultVersion: st.defaultVersion,
      versions: st.versions.map((v) => ({ ...v, source: sources.get(`${name}@${v.version}`)?.reference })),
      labels: st.labels,
      traffic: {
        stable: st.defaultVersion,
        canary: split?.canary !== undefined && versions.includes(split.canary) ? split.canary : undefined,
        weights: traffic.weights(name, versions, st.defaultVersion),
        previous: split?.history.at(-1),
      },
    };
  };

  const served = (rawName: string, rawVersion?: string) => {
    const name = checkModelName(rawName);
    const st = repo.status(name);
    if (!st) throw new ServingError(404, `model "${name}" is not served; GET /admin/models lists the served models, POST /admin/models/${name}/load loads one`);
    if (rawVersion !== undefined) {
      const version = checkVersion(rawVersion);
      if (!st.versions.some((v) => v.version === version)) {
        throw new ServingError(
          404,
          `model "${name}" has no loaded version ${version}; loaded: ${st.versions.map((v) => v.version).join(', ')} (POST /admin/models/${name}/load loads one)`,
        );
      }
      return { name, version, status: st };
    }
    return { name, version: undefined, status: st };
  };

  app.get('/models', async () => ({ models: repo.names().map((n) => describe(n)) }));

  app.post(
    '/models/:name/load',
    {
      schema: {
        params: nameParams,
        body: { type: 'object', properties: { reference: { type: 'string', minLength: 1, maxLength: 2000 } }, required: ['reference'] },
      },
    },
    async (req, reply) => {
      const name = checkModelName((req.params as { name: string }).name);
      const { reference } = req.body as { reference: string };
      const dir = join(opts.cacheDir, `${name}-${process.pid}-${++loadCounter}`);
      await mkdir(dir, { recursive: true });
      let pulled: Awaited<ReturnType<PullFn>>;
      try {
        pulled = await opts.pull(reference, dir);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw new ServingError(422, `cannot pull ${reference}: ${(err as Error).message}`);
      }
      const before = repo.status(name)?.defaultVersion;
      let loaded;
      try {
        // a published artifact holds the model and model.yaml, not the data sets it was tested on
        loaded = await opts.lifecycle().add(join(pulled.dir, 'model.yaml'), { semantic: false });
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        const msg = (err as Error).message;
        throw new ServingError(/already served/.test(msg) ? 409 : 422, `cannot load ${reference}: ${msg}`);
      }
      if (loaded.name !== name) {
        await opts.lifecycle().unloadVersion(loaded.name, loaded.version);
        await rm(dir, { recursive: true, force: true });
        throw new ServingError(409, `${reference} holds model "${loaded.name}", not "${name}"; load it under POST /admin/models/${loaded.name}/load`);
      }
      // Loading never moves traffic: the old default stays default (a higher
      // version would otherwise win); a model's first version becomes its default.
      traffic.pin(name, before ?? loaded.version);
      sources.set(`${name}@${loaded.version}`, { reference: pulled.reference, digest: pulled.digest });
      req.log.info({ model: name, version: loaded.version, reference: pulled.reference }, `admin: loaded ${name} ${loaded.version} from ${pulled.reference}`);
      return reply.code(201).send({ loaded: { name, version: loaded.version, reference: pulled.reference, digest: pulled.digest }, model: describe(name) });
    },
  );

  app.post(
    '/models/:name/activate',
    {
      schema: {
        params: nameParams,
        body: { type: 'object', properties: { version: { type: 'string', minLength: 1 } }, required: ['version'] },
        response: errors,
      },
    },
    async (req) => {
      const { name, version } = served((req.params as { name: string }).name, (req.body as { version: string }).version);
      traffic.pin(name, repo.status(name)!.defaultVersion);
      traffic.activate(name, version!);
      req.log.info({ model: name, version }, `admin: ${name} ${version} takes all traffic`);
      return { model: describe(name) };
    },
  );

  app.post(
    '/models/:name/canary',
    {
      schema: {
        params: nameParams,
        body: {
          type: 'object',
          properties: { version: { type: 'string', minLength: 1 }, weight: { type: 'number', minimum: 0, maximum: 100 } },
          required: ['version', 'weight'],
        },
        response: errors,
      },
    },
    async (req) => {
      const body = req.body as { version: string; weight: number };
      const { name, version } = served((req.params as { name: string }).name, body.version);
      traffic.pin(name, repo.status(name)!.defaultVersion);
      traffic.canary(name, version!, body.weight);
      req.log.info({ model: name, version, weight: body.weight }, `admin: canary ${name} ${version} at ${body.weight}%`);
      return { model: describe(name) };
    },
  );

  app.post('/models/:name/rollback', { schema: { params: nameParams, response: errors } }, async (req) => {
    const { name } = served((req.params as { name: string }).name);
    traffic.pin(name, repo.status(name)!.defaultVersion);
    // check before changing anything: the version rolled back to must still be loaded
    const split = traffic.get(name)!;
    const to = split.canary !== undefined ? split.stable : split.history.at(-1);
    if (to !== undefined && !repo.versionsOf(name).some((s) => s.version === to)) {
      throw new ServingError(409, `cannot roll back "${name}" to ${to}: that version is no longer loaded; load it again and activate it`);
    }
    const r = traffic.rollback(name);
    req.log.info({ model: name, ...r }, `admin: rolled ${name} back from ${r.from} to ${r.to}`);
    return { rolledBack: r, model: describe(name) };
  });

  app.delete('/models/:name/versions/:version', { schema: { params: versionParams, response: errors } }, async (req) => {
    const p = req.params as { name: string; version: string };
    const { name, version, status } = served(p.name, p.version);
    const split = traffic.get(name);
    if (status.defaultVersion === version)
      throw new ServingError(409, `${name} ${version} is the default version and serves traffic; activate another version first`);
    if (split && split.canary === version && split.weight > 0)
      throw new ServingError(409, `${name} ${version} is the canary and receives ${split.weight}% of traffic; roll back first`);
    traffic.forget(name, version!);
    await opts.lifecycle().unloadVersion(name, version!);
    sources.delete(`${name}@${version}`);
    return { unloaded: { name, version }, model: describe(name) ?? null };
  });
}

export default fp(adminRoutes, { name: 'modelgate-admin', dependencies: ['modelgate-core'], encapsulate: true, fastify: '5.x' });

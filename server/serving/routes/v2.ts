// Open Inference Protocol (KServe v2) over REST, plus GET /v2/models (a list
// of every model with its versions).
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { servableFor, type ModelParams } from '../core';
import { ServingError } from '../errors';
import { v2Metadata } from '../wire/metadata';
import { decodeInfer, encodeInfer } from '../wire/v2';
import { HEADER_LENGTH, splitInferBody } from '../wire/binary';
import { answerWrongMethods, countOnResponse, errorResponses, installErrorHandlers } from './errors';

const JSON_TYPE = 'application/json';

const paramsSchema = (names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string', maxLength: 200 }])),
  required: names,
});

const tensorMeta = {
  type: 'object',
  properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } } },
} as const;

const modelMetadata = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    versions: { type: 'array', items: { type: 'string' } },
    platform: { type: 'string' },
    inputs: { type: 'array', items: tensorMeta },
    outputs: { type: 'array', items: tensorMeta },
    parameters: { type: 'object', additionalProperties: true },
    modelgate: { type: 'object', additionalProperties: true },
  },
} as const;

const modelReady = { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, ready: { type: 'boolean' } } } as const;

const inferBody = {
  type: 'object',
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters: { type: 'object' },
    inputs: { type: 'array' },
    outputs: { type: 'array' },
  },
} as const;

/**
 * Every body is read as bytes, whatever its content type (Triton clients send
 * application/octet-stream or none; curl sends a form type): with an
 * Inference-Header-Content-Length header the body is a JSON header followed
 * by binary tensors, else it is all JSON. One Buffer per body, sliced, not copied.
 */
function acceptInferBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parse = (req: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
    try {
      done(null, splitInferBody(body, req.headers[HEADER_LENGTH]));
    } catch (err) {
      done(err as Error);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parse);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, parse);
}

async function v2Routes(app: FastifyInstance): Promise<void> {
  installErrorHandlers(app, 'v2');
  answerWrongMethods(app);
  acceptInferBodies(app);
  // Inference answers are counted in their handler and errors in the error
  // handler, so the hot path runs no hook; other routes count on response.
  const counted = { onResponse: countOnResponse('v2') };

  app.get(
    '',
    {
      ...counted,
      schema: {
        response: {
          200: {
            type: 'object',
            properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async () => ({
      name: app.core.serverName,
      version: app.core.serverVersion,
      extensions: ['binary_tensor_data', 'model_repository_list', 'modelgate_health'],
    }),
  );

  app.get('/health/live', { ...counted, schema: { response: { 200: { type: 'object', properties: { live: { type: 'boolean' } } } } } }, async () => ({
    live: true,
  }));

  const readySchema = { type: 'object', properties: { ready: { type: 'boolean' } } } as const;
  app.get('/health/ready', { ...counted, schema: { response: { 200: readySchema, 503: readySchema } } }, async (_req, reply) => {
    const ready = app.core.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  app.get('/models', counted, async () => ({
    models: app.core.repository.list().map((m) => ({
      name: m.name,
      versions: m.versions.map((v) => v.version),
      defaultVersion: m.defaultVersion,
      labels: m.labels,
      states: Object.fromEntries(m.versions.map((v) => [v.version, v.state])),
      // worker threads per version (0: inline on the main thread), and why
      workers: Object.fromEntries(m.versions.map((v) => [v.version, { count: v.workers, reason: v.workersReason }])),
    })),
  }));

  for (const suffix of ['', '/versions/:version']) {
    const names = suffix ? ['name', 'version'] : ['name'];
    const params = paramsSchema(names);
    const base = `/models/:name${suffix}`;

    app.get(base, { ...counted, schema: { params, response: { 200: modelMetadata, ...errorResponses } } }, async (req) => {
      const s = servableFor(app.core, req.params as ModelParams);
      req.mgModel = s.name;
      req.mgVersion = s.version;
      return v2Metadata(s, app.core.repository.versionsOf(s.name));
    });

    app.get(
      `${base}/ready`,
      {
        ...counted,
        schema: { params, response: { 200: modelReady, 503: modelReady, '4xx': errorResponses['4xx'] } },
      },
      async (req, reply) => {
        const s = servableFor(app.core, req.params as ModelParams);
        const ready = s.state === 'AVAILABLE';
        return reply.code(ready ? 200 : 503).send({ name: s.name, version: s.version, ready });
      },
    );

    app.post(`${base}/infer`, { schema: { params, body: inferBody, response: { ...errorResponses } } }, async (req, reply) => {
      const s = servableFor(app.core, req.params as ModelParams);
      req.mgModel = s.name;
      req.mgVersion = s.version;
      const r = decodeInfer(s, req.body);
      const slice = await s.predict(r.raw, r.rows);
      if (r.id !== undefined) void reply.header('x-request-id', r.id.slice(0, 200).replace(/[^\x20-\x7e]/g, ''));
      const bins: Buffer[] = [];
      const body = encodeInfer(s, slice, r, bins);
      app.core.metrics.request(s.name, s.version, 'v2', 200, reply.elapsedTime / 1000);
      if (bins.length === 0) return reply.header('content-type', JSON_TYPE).send(body);
      const head = Buffer.from(body, 'utf8');
      return reply
        .header('content-type', 'application/octet-stream')
        .header(HEADER_LENGTH, head.length)
        .send(Buffer.concat([head, ...bins]));
    });
  }

  // v2 has no labels in its paths; labels stay reachable through v1.
  app.all('/models/:name/labels/*', async () => {
    throw new ServingError(
      404,
      'the v2 protocol selects versions by number: use /v2/models/{name}/versions/{version}/infer (labels work on /v1/models/{name}/labels/{label}:predict)',
      'MG324',
    );
  });
}

export default fp(v2Routes, { name: 'modelgate-v2', dependencies: ['modelgate-core'], encapsulate: true, fastify: '5.x' });

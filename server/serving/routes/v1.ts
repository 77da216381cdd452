// TensorFlow Serving REST API v1 (plus /v1/models listing and live health).
// Fastify reads ":" as a parameter, so the literal ":predict" is "::predict";
// and since a plain parameter would swallow it, the parameter before it
// carries a regex that stops at ":" (find-my-way only ends plain params at "/").
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { servableFor, type ModelParams } from '../core';
import { badRequest } from '../errors';
import type { Servable } from '../servable';
import { modelList, v1Metadata, v1VersionStatus } from '../wire/metadata';
import { decodeColumnar, decodeExamples, decodeInstances } from '../wire/rows';
import { encodeClassify, encodeColumnar, encodePredictions, encodeRegress } from '../wire/v1';
import { describeValue } from '../wire/cells';
import { acceptAnyContentTypeAsJson, answerWrongMethods, countOnResponse, errorResponses, installErrorHandlers } from './errors';

const JSON_TYPE = 'application/json';

const SEGMENT = '([^/:]+)';
const selectors: { suffix: string; verbSuffix: string; params: string[] }[] = [
  { suffix: '', verbSuffix: `${SEGMENT}`, params: ['name'] },
  { suffix: '/versions/:version', verbSuffix: `/versions/:version${SEGMENT}`, params: ['name', 'version'] },
  { suffix: '/labels/:label', verbSuffix: `/labels/:label${SEGMENT}`, params: ['name', 'label'] },
];

const paramsSchema = (names: string[]) => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, { type: 'string', maxLength: 200 }])),
  required: names,
});

const predictBody = {
  type: 'object',
  description: 'Row format {"instances": [...]} or columnar format {"inputs": ...}; classify/regress take {"examples": [...], "context": {...}}.',
  properties: {
    signature_name: { type: 'string' },
    instances: { type: 'array' },
    inputs: {},
    examples: { type: 'array' },
    context: { type: 'object' },
  },
} as const;

const versionStatus = {
  type: 'object',
  properties: {
    model_version_status: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          version: { type: 'string' },
          state: { type: 'string' },
          status: { type: 'object', properties: { error_code: { type: 'string' }, error_message: { type: 'string' } } },
        },
      },
    },
  },
} as const;

/** Models serve one signature, TF Serving's default; a request naming another gets a 400, not the default's answer. */
export const SIGNATURE = 'serving_default';

function checkSignature(s: Servable, name: unknown): void {
  if (name === undefined || name === '' || name === SIGNATURE) return;
  throw badRequest(
    `signature ${typeof name === 'string' ? JSON.stringify(name.slice(0, 80)) : describeValue(name)} not found: model ${s.name} serves one signature, "${SIGNATURE}"; send "signature_name": "${SIGNATURE}" or leave it out`,
    'MG349',
  );
}

function mark(req: FastifyRequest, s: Servable): void {
  req.mgModel = s.name;
  req.mgVersion = s.version;
}

async function v1Routes(app: FastifyInstance): Promise<void> {
  installErrorHandlers(app, 'v1');
  answerWrongMethods(app);
  acceptAnyContentTypeAsJson(app);
  // Inference answers are counted in their handler and errors in the error
  // handler, so the hot path runs no hook; other routes count on response.
  const counted = { onResponse: countOnResponse('v1') };

  app.get(
    '/models',
    {
      ...counted,
      schema: { summary: 'Every served model with its versions, labels and states.', response: { ...errorResponses } },
    },
    async () => modelList(app.core.repository),
  );

  for (const sel of selectors) {
    const base = `/models/:name${sel.suffix}`;
    const params = paramsSchema(sel.params);

    app.get(base, { ...counted, schema: { params, response: { 200: versionStatus, ...errorResponses } } }, async (req) => {
      const p = req.params as ModelParams;
      if (sel.suffix === '') {
        const versions = app.core.repository.versionsOf(servableFor(app.core, p).name);
        return v1VersionStatus(versions, app.core.repository.errors.get(p.name));
      }
      const s = servableFor(app.core, p);
      mark(req, s);
      return v1VersionStatus([s]);
    });

    app.get(`${base}/metadata`, { ...counted, schema: { params, response: { ...errorResponses } } }, async (req) => {
      const s = servableFor(app.core, req.params as ModelParams);
      mark(req, s);
      return v1Metadata(s);
    });

    app.get(`${base}/health`, { ...counted, schema: { params, response: { ...errorResponses } } }, async (req) => {
      const s = servableFor(app.core, req.params as ModelParams);
      mark(req, s);
      return { model: s.name, version: s.version, ...s.health() };
    });

    const post = (verb: string, handle: (s: Servable, body: Record<string, unknown>, reply: FastifyReply) => Promise<string>) =>
      app.post(`/models/:name${sel.verbSuffix}::${verb}`, { schema: { params, body: predictBody, response: { ...errorResponses } } }, async (req, reply) => {
        const s = servableFor(app.core, req.params as ModelParams);
        mark(req, s);
        const body = req.body as Record<string, unknown>;
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw badRequest(`the request body must be a JSON object such as {"instances": [...]}, not ${describeValue(body)}`, 'MG314');
        checkSignature(s, body.signature_name);
        const out = await handle(s, body, reply);
        app.core.metrics.request(s.name, s.version, 'v1', 200, reply.elapsedTime / 1000);
        return reply.header('content-type', JSON_TYPE).send(out);
      });

    post('predict', async (s, body) => {
      const hasInstances = body.instances !== undefined;
      const hasInputs = body.inputs !== undefined;
      if (hasInstances === hasInputs) {
        throw badRequest(
          hasInstances
            ? 'send either "instances" (row format) or "inputs" (columnar format), not both'
            : `the body needs "instances" (row format, e.g. {"instances": [[...${s.plan.rawWidth} numbers]]}) or "inputs" (columnar format)`,
          'MG314',
        );
      }
      if (hasInstances) {
        const d = decodeInstances(s, body.instances);
        return encodePredictions(s, await s.predict(d.raw, d.rows));
      }
      const d = decodeColumnar(s, body.inputs);
      return encodeColumnar(s, await s.predict(d.raw, d.rows));
    });
    post('classify', async (s, body) => {
      if (s.task !== 'classification') throw badRequest(`model ${s.name} is a ${s.task} model; use :regress or :predict`, 'MG319');
      if (body.examples === undefined)
        throw badRequest(`the body needs "examples": a list of objects keyed by feature name (and optionally "context"), not ${describeValue(body)}`, 'MG314');
      const d = decodeExamples(s, body.examples, body.context);
      return encodeClassify(s, await s.predict(d.raw, d.rows));
    });
    post('regress', async (s, body) => {
      if (s.task !== 'regression') throw badRequest(`model ${s.name} is a ${s.task} model; use :classify or :predict`, 'MG319');
      if (body.examples === undefined)
        throw badRequest('the body needs "examples": a list of objects keyed by feature name (and optionally "context")', 'MG314');
      const d = decodeExamples(s, body.examples, body.context);
      return encodeRegress(s, await s.predict(d.raw, d.rows));
    });
  }
}

export default fp(v1Routes, { name: 'modelgate-v1', dependencies: ['modelgate-core'], encapsulate: true, fastify: '5.x' });

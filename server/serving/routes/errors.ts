// Error and not-found handlers shared by the protocol plugins: every failure
// is answered as {"error": "..."} (the shape both TF Serving v1 and KServe v2
// use) with a message that says what to change.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServingError } from '../errors';
import { parseRequestJson } from '../wire/json';

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/**
 * An error body with Content-Type exactly application/json: the KServe
 * Python SDK reads an error's message only then (fastify would add
 * "; charset=utf-8" to a serialized object; JSON is UTF-8 by definition).
 */
export function sendError(reply: FastifyReply, message: string): void {
  void reply.header('content-type', 'application/json').send(JSON.stringify({ error: message }));
}

/** Turns any error into (status, user message). */
export function describeError(err: FastifyError | Error, app: FastifyInstance): { status: number; message: string; code: string } {
  if (err instanceof ServingError) return { status: err.statusCode, message: err.message, code: err.code };
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_CP_ERR_INVALID_CONTENT_ENCODING':
      return {
        status: 415,
        code: 'MG348',
        message: `unsupported Content-Encoding ${JSON.stringify(String(e.message).replace(/^.*"(.*)".*$/, '$1'))}; send the body as is, or compressed with gzip or deflate`,
      };
    case 'FST_CP_ERR_INVALID_CONTENT':
      return {
        status: 400,
        code: 'MG348',
        message: 'the request body is not valid data of its Content-Encoding; check that Content-Encoding says how the body was compressed (gzip or deflate)',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        code: 'MG340',
        message: `request body is larger than the ${mb(app.initialConfig.bodyLimit ?? 0)} limit; send fewer instances per request or start the server with a larger --body-limit`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'MG341', message: 'request body is empty; send a JSON object such as {"instances": [[...]]} (v1) or {"inputs": [...]} (v2)' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'MG342', message: 'unsupported content type; send JSON with Content-Type: application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'MG341', message: 'Content-Length does not match the body that was sent' };
    default:
      break;
  }
  if (e.validation) {
    return {
      status: 400,
      code: 'MG343',
      message: `invalid request: ${e.message
        .replace(/^body\/?\s*/, 'body ')
        .replace(/^body\s+must/, 'the body must')
        .trim()}; see docs/serving.md for the request formats`,
    };
  }
  if (err instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, code: 'MG344', message: `request body is not valid JSON (${err.message}); check brackets, commas and quotes` };
  }
  const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
  return { status, code: status === 500 ? 'MG399' : 'MG345', message: status === 500 ? `internal error: ${err.message}` : err.message };
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/**
 * Call first in a route plugin: every path it registers answers the methods
 * it does not serve with 405 and an Allow header, instead of falling through
 * to a route that reads the path differently ("invalid model name
 * x:predict") or to a 404. OPTIONS stays with CORS preflight.
 */
export function answerWrongMethods(app: FastifyInstance): void {
  const served = new Map<string, Set<string>>();
  let filling = false;
  app.addHook('onRoute', (route) => {
    if (filling) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let set = served.get(route.path);
    if (!set) served.set(route.path, (set = new Set()));
    for (const m of methods) set.add(m.toUpperCase());
  });
  // routes are registered when the plugin's body has run: add the 405 routes then
  app.after(() => {
    filling = true;
    for (const [path, set] of served) {
      const allowed = METHODS.filter((m) => set.has(m));
      const missing = METHODS.filter((m) => !set.has(m));
      if (missing.length === 0 || allowed.length === 0) continue;
      const allow = [...allowed, ...(set.has('GET') ? ['HEAD'] : [])].join(', ');
      const url = path.slice(app.prefix.length) || '/';
      app.route({
        method: [...missing],
        url,
        handler: async (req, reply) => {
          // "/models/x:explain" reaches the status route's pattern: an unknown verb, not a wrong method
          const params = Object.values((req.params ?? {}) as Record<string, string>);
          if (params.some((p) => p.includes(':')))
            throw new ServingError(
              404,
              `no ${app.prefix.slice(1) || 'such'} endpoint ${req.method} ${req.url.split('?')[0]}; see docs/serving.md for the endpoints (models: GET /v1/models)`,
              'MG320',
            );
          void reply.header('allow', allow);
          throw new ServingError(
            405,
            `${req.method} is not allowed on ${req.url.split('?')[0]}; this endpoint answers ${allow} (see docs/serving.md)`,
            'MG347',
          );
        },
      });
    }
  });
}

/** Route option counting a request once answered (routes off the inference path). */
export function countOnResponse(protocol: string) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    req.server.core.metrics.request(req.mgModel, req.mgVersion, protocol, reply.statusCode, reply.elapsedTime / 1000);
    done();
  };
}

export function installErrorHandlers(app: FastifyInstance, protocol: string): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const { status, message, code } = describeError(err, app);
    app.core.metrics.request(req.mgModel, req.mgVersion, protocol, status, reply.elapsedTime / 1000);
    const where = req.mgModel ? { model: req.mgModel, version: req.mgVersion } : {};
    if (status >= 500) req.log.error({ err, code, ...where }, message);
    else req.log.info({ code, status, ...where }, message);
    // the request id ties this answer to the log line above
    sendError(reply.code(status).header('x-modelgate-error', code).header('x-request-id', req.id), message);
  });
  app.setNotFoundHandler((req, reply) => {
    app.core.metrics.request('', '', protocol, 404, reply.elapsedTime / 1000);
    sendError(
      reply.code(404),
      `no ${protocol} endpoint ${req.method} ${req.url.split('?')[0]}; see docs/serving.md for the endpoints (models: GET /v1/models)`,
    );
  });
}

/**
 * Bodies are read as JSON whatever their content type, so `curl -d '{...}'`
 * (form content type) works as it does with TF Serving; NaN and Infinity
 * tokens are read as TF Serving reads them (wire/json.ts). JSON.parse:
 * a "__proto__" key becomes an own property, and request objects are never
 * merged into others, so there is nothing to poison. Syntax errors keep
 * V8's position, which tells the user where the body breaks.
 */
export function acceptAnyContentTypeAsJson(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parse = (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new ServingError(400, 'request body is empty; send a JSON object such as {"instances": [[...]]} (v1) or {"inputs": [...]} (v2)', 'MG341'));
      return;
    }
    try {
      done(null, parseRequestJson(text));
    } catch (err) {
      done(new ServingError(400, `request body is not valid JSON: ${(err as Error).message}; check brackets, commas and quotes`, 'MG344'));
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}

export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;

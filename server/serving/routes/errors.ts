// Error and not-found handlers shared by the protocol plugins: every failure
// is answered as {"error": "..."} (the shape both TF Serving v1 and KServe v2
// use) with a message that says what to change.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServingError } from '../errors';

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Turns any error into (status, user message). */
export function describeError(err: FastifyError | Error, app: FastifyInstance): { status: number; message: string; code: string } {
  if (err instanceof ServingError) return { status: err.statusCode, message: err.message, code: err.code };
  const e = err as FastifyError;
  switch (e.code) {
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
    void reply.code(status).header('x-modelgate-error', code).header('x-request-id', req.id).send({ error: message });
  });
  app.setNotFoundHandler((req, reply) => {
    app.core.metrics.request('', '', protocol, 404, reply.elapsedTime / 1000);
    void reply
      .code(404)
      .send({ error: `no ${protocol} endpoint ${req.method} ${req.url.split('?')[0]}; see docs/serving.md for the endpoints (models: GET /v1/models)` });
  });
}

/**
 * Bodies are read as JSON whatever their content type, so `curl -d '{...}'`
 * (form content type) works as it does with TF Serving. Plain JSON.parse:
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
      done(null, JSON.parse(text));
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

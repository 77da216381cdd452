// Prometheus text exposition of the server's own registry.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { answerWrongMethods } from './errors';

async function metricsRoutes(app: FastifyInstance): Promise<void> {
  answerWrongMethods(app);
  app.get('/metrics', async (_req, reply) => {
    const text = await app.core.metrics.metrics();
    return reply.header('content-type', app.core.metrics.contentType).send(text);
  });
}

export default fp(metricsRoutes, { name: 'modelgate-metrics', dependencies: ['modelgate-core'], encapsulate: true, fastify: '5.x' });

// Prometheus text exposition of the server's own registry.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', async (_req, reply) => {
    const text = await app.core.metrics.metrics();
    return reply.header('content-type', app.core.metrics.contentType).send(text);
  });
}

export default fp(metricsRoutes, { name: 'modelgate-metrics', dependencies: ['modelgate-core'], encapsulate: true, fastify: '5.x' });

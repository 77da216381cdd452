// A stand-in TF Serving endpoint with a predictable cost per request: it
// busy-waits `busyUs` µs (so the event loop is really occupied, like a
// model run) and answers with numbers derived from the row, so responses
// can be checked. `corruptEvery` makes every n-th answer wrong on purpose.
import Fastify, { type FastifyInstance } from 'fastify';

export interface FakeServer {
  app: FastifyInstance;
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

export async function startFakeServer(opts: { busyUs: number; corruptEvery?: number }): Promise<FakeServer> {
  const app = Fastify({ logger: false });
  let n = 0;
  app.post('/v1/models/:spec', async (req, reply) => {
    const spec = (req.params as { spec: string }).spec;
    if (!spec.endsWith(':predict')) return reply.code(404).send({ error: 'not found' });
    n++;
    const until = process.hrtime.bigint() + BigInt(opts.busyUs * 1000);
    while (process.hrtime.bigint() < until) {
      /* busy: a stand-in for inference */
    }
    const rows = (req.body as { instances: number[][] }).instances;
    const wrong = opts.corruptEvery && n % opts.corruptEvery === 0 ? 1 : 0;
    return { predictions: rows.map((r) => [r.reduce((a, b) => a + b, 0) + wrong, r[0] ?? 0]) };
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, requests: () => n, close: () => app.close() };
}

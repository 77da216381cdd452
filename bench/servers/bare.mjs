// Benchmark server (a): bare fastify answering a fixed JSON body per route —
// the HTTP ceiling. It parses the request body like any JSON route.
//   node bench/servers/bare.mjs '{"routes": {"/v1/models/x:predict": "{...}"}}'
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Fastify = require('fastify');
const { routes } = JSON.parse(process.argv[2]);
const app = Fastify();
for (const [path, body] of Object.entries(routes)) {
  // fastify reads ":" as a parameter; "::" is a literal colon
  app.post(path.replace(':', '::'), async (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(body));
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

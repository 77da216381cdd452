// Benchmark server (b): what people write by hand — fastify plus
// onnxruntime-node, one session.run per request, the manifest's
// preprocessing as a loop, JSON.stringify of arrays for the answer.
//   node bench/servers/naive.mjs '{"models": [{"name", "onnx", "dims", "pre": [...], "labels"}]}'
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Fastify = require('fastify');
const ort = require('onnxruntime-node');
const { models } = JSON.parse(process.argv[2]);
const app = Fastify();

for (const m of models) {
  const session = await ort.InferenceSession.create(m.onnx, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  app.post(`/v1/models/${m.name}::predict`, async (req) => {
    const rows = req.body.instances;
    const w = rows[0].length;
    const x = new Float32Array(rows.length * w);
    rows.forEach((row, r) =>
      row.forEach((v, c) => {
        let y = v;
        for (const p of m.pre) y = p.op === 'standardize' ? (y - p.mean[c]) / p.std[c] : (y - p.min) / (p.max - p.min);
        x[r * w + c] = y;
      }),
    );
    const out = await session.run({ [input]: new ort.Tensor('float32', x, [rows.length, ...m.dims]) });
    const probs = out[output].data;
    const k = probs.length / rows.length;
    return {
      predictions: rows.map((_, r) => {
        const p = Array.from(probs.subarray(r * k, r * k + k));
        return { probabilities: p, label: m.labels[p.indexOf(Math.max(...p))] };
      }),
    };
  });
}
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

// Load generator child: runs autocannon against one URL and prints one JSON
// line with req/s and latency percentiles in microseconds. It runs in its
// own process so load generation never shares an event loop with a server.
// autocannon's own histogram keeps whole milliseconds; each response's
// hrtime duration is recorded here into an HDR histogram in microseconds.
//
//   node bench/loadChild.mjs '{"url": "...", "body": "...", "connections": 16, "duration": 10, "warmup": 2}'
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const hdr = require('hdr-histogram-js');

const cfg = JSON.parse(process.argv[2] ?? '{}');
const base = {
  url: cfg.url,
  method: cfg.method ?? (cfg.body ? 'POST' : 'GET'),
  body: cfg.body,
  headers: cfg.body ? { 'content-type': 'application/json' } : {},
  connections: cfg.connections ?? 1,
  pipelining: 1,
  timeout: cfg.timeout ?? 10,
};

// SIGTERM ends the load early but still prints the result, so a caller can
// stop as soon as it has seen what it waited for. The handler is installed
// before any load runs: a signal that comes early stops the run at once.
let current;
let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
  current?.stop();
});

function run(durationSec, histogram) {
  return new Promise((resolve, reject) => {
    const statuses = {};
    const inst = autocannon(
      {
        ...base,
        duration: durationSec,
        setupClient(client) {
          client.on('response', (status, _bytes, ms) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (histogram && status >= 200 && status < 300) histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
          });
        },
      },
      (err, result) => (err ? reject(err) : resolve({ result, statuses })),
    );
    current = inst;
    if (stopping) inst.stop();
  });
}

if (cfg.warmup > 0 && !stopping) await run(cfg.warmup, undefined);
const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const started = Date.now();
const { result, statuses } = await run(cfg.duration ?? 10, h);
const seconds = (Date.now() - started) / 1000;
const total = Object.values(statuses).reduce((a, b) => a + b, 0);
process.stdout.write(
  JSON.stringify({
    url: cfg.url,
    connections: base.connections,
    seconds,
    requests: total,
    ok: h.totalCount,
    rps: h.totalCount / (result.duration ?? seconds),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    latencyUs: {
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
      mean: Math.round(h.mean),
    },
  }) + '\n',
);

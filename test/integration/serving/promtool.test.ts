// /metrics of a real server passes Prometheus's own linter, `promtool check
// metrics` (Debian's prometheus package), with no warnings: after good and
// bad requests on both protocols, so every request, batch, health and
// Node.js series is in the scrape. prom-client's three *_total gauges are
// served under promtool-valid names (nodejs_active_*_all) with their values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RENAMED_DEFAULT_METRICS, ServingMetrics } from '../../../server/serving/metrics';
import { startServer, type RunningServer } from '../../../server/serving/server';
import { metricSum, postJson, sample, validationRows } from './helpers';

/** Why promtool cannot run here, or undefined. In CI a missing promtool is a failure, not a skip. */
function promtoolUnavailable(): string | undefined {
  if ((process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'promtool')))) return undefined;
  const why = "promtool is not installed: install Debian's prometheus package (apt-get install --no-install-recommends prometheus; see .ci/run)";
  if (process.env.CI === 'true') assert.fail(why);
  return why;
}

/** Runs `promtool check metrics` on `text`; its exit code and everything it printed. */
function promtoolCheck(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

/** The value of an unlabelled sample, or undefined when the scrape has none. */
function sampleValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

test('the Node.js *_total gauges are renamed, not dropped', async () => {
  const metrics = new ServingMetrics();
  const renamed = Object.entries(RENAMED_DEFAULT_METRICS);
  assert.deepEqual(
    renamed.map(([from, to]) => [from, to.name]),
    [
      ['nodejs_active_handles_total', 'nodejs_active_handles_all'],
      ['nodejs_active_requests_total', 'nodejs_active_requests_all'],
      ['nodejs_active_resources_total', 'nodejs_active_resources_all'],
    ],
  );
  for (const [from, to] of renamed) {
    assert.equal(metrics.registry.getSingleMetric(from), undefined, `${from} is still registered`);
    const m = metrics.registry.getSingleMetric(to.name);
    assert.ok(m, `${to.name} is missing`);
    const { type, values } = await m.get();
    assert.equal(type, 'gauge');
    assert.equal(values.length, 1);
    assert.deepEqual(values[0]!.labels, {});
    assert.ok(Number.isInteger(values[0]!.value) && values[0]!.value >= 0, `${to.name} = ${values[0]!.value}`);
  }
  // the per-type gauges they sum stay as prom-client registers them
  for (const name of ['nodejs_active_handles', 'nodejs_active_requests', 'nodejs_active_resources'])
    assert.ok(metrics.registry.getSingleMetric(name), `${name} is missing`);
  // the value is prom-client's count, and this test process has live resources (e.g. its stdio pipes)
  const text = await metrics.metrics();
  assert.ok((sampleValue(text, 'nodejs_active_resources_all') ?? 0) >= 1, text);
  assert.doesNotMatch(text, /^nodejs_active_\w+_total\b/m);
});

describe('/metrics of a real server', () => {
  let server: RunningServer;
  const rows = validationRows('breast-cancer', 3, 30);
  before(async () => {
    server = await startServer({
      manifests: [sample('breast-cancer')],
      port: 0,
      logger: false,
      // the admin API adds modelgate_traffic_weight to the registry
      admin: { token: 'promtool-test-token', pull: () => Promise.reject(new Error('no registry in this test')) },
    });
  });
  after(() => server.close());

  test('passes promtool check metrics with no output after good and bad v1 and v2 requests', async (t) => {
    const v1 = `${server.url}/v1/models/breast-cancer:predict`;
    const v2 = `${server.url}/v2/models/breast-cancer/infer`;
    const tensor = (data: number[], shape: number[]) => ({ inputs: [{ name: 'features', shape, datatype: 'FP32', data }] });
    const sent: [string, unknown, number][] = [
      [v1, { instances: rows }, 200],
      [v1, { instances: [rows[0]] }, 200],
      [v1, { instances: [rows[0]!.slice(1)] }, 400],
      [v1, '{"instances": [[1, 2,', 400],
      [`${server.url}/v1/models/no-such-model:predict`, { instances: [rows[0]] }, 404],
      [v2, tensor(rows.flat(), [3, 30]), 200],
      [v2, tensor(rows[0]!.slice(1), [1, 29]), 400],
      [v2, { id: 'no inputs' }, 400],
      [`${server.url}/v2/models/breast-cancer/versions/9.9.9/infer`, tensor(rows[0]!, [1, 30]), 404],
    ];
    for (const [url, body, status] of sent) {
      const r = await postJson(url, body);
      assert.equal(r.status, status, `${url}: ${r.text.slice(0, 300)}`);
    }

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const why = promtoolUnavailable();
    if (!why) {
      const { code, output } = await promtoolCheck(text);
      assert.equal(output, '', `promtool check metrics complained:\n${output}`);
      assert.equal(code, 0);
    }
    // the scrape has what the requests produced, so the lint covers it
    for (const protocol of ['v1', 'v2']) {
      // requests that name no served model are counted with model=""
      for (const status of ['200', '400', '404']) assert.ok(metricSum(text, 'modelgate_requests_total', { protocol, status }) >= 1, `${protocol} ${status}`);
    }
    for (const name of [
      'modelgate_request_duration_seconds_count',
      'modelgate_batch_size_count',
      'modelgate_inference_duration_seconds_count',
      'modelgate_health_window_rows',
    ])
      assert.ok(metricSum(text, name, { model: 'breast-cancer' }) > 0, name);
    assert.match(text, /^modelgate_feature_psi\{/m);
    assert.match(text, /^modelgate_traffic_weight\{model="breast-cancer",version="1.0.0"\} 100$/m);
    for (const { name } of Object.values(RENAMED_DEFAULT_METRICS)) assert.notEqual(sampleValue(text, name), undefined, `${name} is not in the scrape`);
    assert.ok(sampleValue(text, 'nodejs_active_handles_all')! >= 1, 'the listening socket is an active handle');

    if (why) t.skip(why);
  });
});

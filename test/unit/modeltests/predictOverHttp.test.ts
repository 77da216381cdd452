// The metrics suite's served scoring: binary v2 tensors where the inputs are
// numeric, v1 JSON otherwise, and the same predictions either way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readTable } from '../../../server/manifest/dataset';
import { loadManifest } from '../../../server/manifest/load';
import { createPredictor, tableInputs } from '../../../server/manifest/predict';
import type { ProcessingPlan } from '../../../server/manifest/processing';
import { binaryUnfit, HttpScoringError, predictOverHttp } from '../../../server/modeltests/metrics/predictOverHttp';
import { binaryRowsPerRequest, MAX_BINARY_REQUEST_BYTES, wireDatatype } from '../../../server/modeltests/metrics/predictBinary';
import { startServer } from '../../../server/serving/server';

const root = resolve(__dirname, '../../..');
const manifests = [
  resolve(root, 'samples/breast-cancer/model.yaml'),
  resolve(root, 'samples/diabetes/model.yaml'),
  resolve(root, 'test/fixtures/two-inputs/model.yaml'),
];
let server: Awaited<ReturnType<typeof startServer>>;

before(async () => {
  server = await startServer({ manifests, host: '127.0.0.1', port: 0, logger: false });
});
after(() => server.close());

async function sampleInputs(
  manifest: string,
  maxRows: number,
): Promise<{ plan: ProcessingPlan; inputs: Float64Array[]; rows: number; model: { name: string; version: string } }> {
  const loaded = await loadManifest(manifest);
  const p = await createPredictor(loaded);
  const table = await readTable(resolve(loaded.dir, loaded.manifest.data!.validation![0]!.path), { maxRows });
  const plan = p.plan;
  await p.close();
  return {
    plan,
    inputs: tableInputs(plan, table),
    rows: table.rows.length,
    model: { name: loaded.manifest.metadata.name, version: loaded.manifest.metadata.version },
  };
}

describe('predictOverHttp', () => {
  test("classification: binary tensors give the JSON path's probabilities and labels exactly", async () => {
    const s = await sampleInputs(manifests[0]!, 300);
    const bin = await predictOverHttp(server.url, s.model, s.plan, s.inputs, s.rows, { rowsPerRequest: 128 });
    const json = await predictOverHttp(server.url, s.model, s.plan, s.inputs, s.rows, { json: true, rowsPerRequest: 128 });
    assert.equal(bin.wire, 'v2-binary');
    assert.equal(bin.wireNote, 'served over v2 binary tensors');
    assert.match(bin.endpoint, /\/v2\/models\/breast-cancer\/versions\/1\.0\.0\/infer$/);
    assert.equal(bin.requests, Math.ceil(s.rows / 128));
    assert.equal(json.wire, 'v1-json');
    assert.equal(bin.classes, 2);
    assert.equal(bin.probabilities!.length, s.rows * 2);
    assert.equal(bin.labels!.length, s.rows);
    assert.equal(bin.classes, json.classes);
    assert.deepEqual(bin.probabilities, json.probabilities);
    assert.deepEqual(bin.labels, json.labels);
  });

  test('regression: binary values equal the JSON values', async () => {
    const s = await sampleInputs(manifests[1]!, 200);
    const bin = await predictOverHttp(server.url, s.model, s.plan, s.inputs, s.rows);
    const json = await predictOverHttp(server.url, s.model, s.plan, s.inputs, s.rows, { json: true });
    assert.equal(bin.wire, 'v2-binary');
    assert.ok(bin.values && bin.values.length >= s.rows);
    assert.deepEqual(bin.values, json.values);
  });

  test('inputs with category strings stay on JSON and say why', () => {
    const plan = { inputs: [{ name: 'color', categorical: new Map([[0, ['red']]]) }] } as unknown as ProcessingPlan;
    assert.match(binaryUnfit(plan)!, /input\(s\) color take category strings/);
  });

  test('features go as FP64 when preprocessing runs in float64, FP32 when the model reads them as they are', () => {
    assert.equal(wireDatatype({ dtype: 'float32', steps: [{}] } as never), 'FP64');
    assert.equal(wireDatatype({ dtype: 'float32', steps: [] } as never), 'FP32');
    assert.equal(wireDatatype({ dtype: 'float64', steps: [] } as never), 'FP64');
  });

  test('a server error names the endpoint, the rows and the reason', async () => {
    const s = await sampleInputs(manifests[0]!, 10);
    const bad = Float64Array.from(s.inputs[0]!);
    bad[3] = Number.NaN;
    await assert.rejects(predictOverHttp(server.url, s.model, s.plan, [bad], s.rows), (err: unknown) => {
      assert.ok(err instanceof HttpScoringError);
      assert.equal(err.status, 400);
      assert.match(err.message, /\/infer \(rows 0–9\) answered 400: .*is NaN: the model does not take NaN/);
      return true;
    });
  });
});

test('wide inputs get fewer rows per request, so a request stays within the body limit', () => {
  const plan = (width: number, steps: unknown[]) =>
    ({ inputs: [{ name: 'x', dtype: 'float32', steps, rawWidth: width, categorical: new Map() }] }) as unknown as ProcessingPlan;
  assert.equal(binaryRowsPerRequest(plan(30, [{}]), undefined), 4096);
  assert.equal(binaryRowsPerRequest(plan(30, [{}]), 100), 100);
  assert.equal(binaryRowsPerRequest(plan(600, [{}]), undefined), Math.floor(MAX_BINARY_REQUEST_BYTES / (600 * 8)));
  assert.equal(binaryRowsPerRequest(plan(600, []), undefined), Math.floor(MAX_BINARY_REQUEST_BYTES / (600 * 4)));
  assert.equal(binaryRowsPerRequest(plan(10_000_000, []), undefined), 1);
});

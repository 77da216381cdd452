// Conformance of every endpoint of both protocols, through app.inject, with
// the real sample models. Predictions are compared with the in-process
// predictor bit for bit.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadManifest } from '../../../server/manifest/load';
import { createPredictor, tableInputs } from '../../../server/manifest/predict';
import { readTable } from '../../../server/manifest/dataset';
import { fixture, sample, testApp } from './helpers';

let app: FastifyInstance;
let close: () => Promise<void>;
let bcRows: number[][];
let bcExpected: { probabilities: number[]; label: string }[];
let digitRows: number[][];

before(async () => {
  ({ app, close } = await testApp([sample('breast-cancer'), sample('digits'), sample('diabetes'), fixture('two-inputs')]));
  const loaded = await loadManifest(sample('breast-cancer'));
  const p = await createPredictor(loaded);
  const table = await readTable(loaded.dir + '/data/validation.csv', { maxRows: 5 });
  const raw = tableInputs(p.plan, table)[0]!;
  bcRows = Array.from({ length: 5 }, (_, i) => Array.from(raw.subarray(i * 30, i * 30 + 30)));
  const pred = await p.predictRows(raw);
  bcExpected = pred.labels!.map((label, i) => ({ probabilities: Array.from(pred.probabilities!.subarray(i * 2, i * 2 + 2)), label }));
  await p.close();
  const dt = await readTable(sample('digits').replace('model.yaml', 'data/validation.csv'), { maxRows: 3 });
  digitRows = dt.rows.map((r) => r.slice(0, 64).map(Number));
});
after(() => close());

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
const get = (url: string) => app.inject({ method: 'GET', url });

describe('TensorFlow Serving v1', () => {
  test('GET /v1/models lists every model with versions, default and labels', async () => {
    const r = await get('/v1/models');
    assert.equal(r.statusCode, 200);
    const models = r.json().models as { name: string; defaultVersion: string; labels: Record<string, string> }[];
    assert.deepEqual(
      models.map((m) => m.name),
      ['breast-cancer', 'diabetes', 'digits', 'two-inputs'],
    );
    assert.equal(models[3]!.labels.stable, '1.0.0');
    assert.equal(models[0]!.defaultVersion, '1.0.0');
  });

  test('model status for the model, a version and a label', async () => {
    for (const url of ['/v1/models/breast-cancer', '/v1/models/breast-cancer/versions/1.0.0', '/v1/models/two-inputs/labels/stable']) {
      const r = await get(url);
      assert.equal(r.statusCode, 200, url);
      assert.deepEqual(r.json().model_version_status[0], { version: '1000000', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } });
    }
  });

  test('metadata describes raw-feature inputs and every output', async () => {
    const r = await get('/v1/models/digits/metadata');
    assert.equal(r.statusCode, 200);
    const sig = r.json().metadata.signature_def.signature_def.serving_default;
    assert.deepEqual(
      sig.inputs.image.tensor_shape.dim.map((d: { size: string }) => d.size),
      ['-1', '64'],
    );
    assert.equal(sig.inputs.image.dtype, 'DT_FLOAT');
    assert.deepEqual(Object.keys(sig.outputs), ['probabilities', 'label']);
    assert.equal(sig.outputs.label.dtype, 'DT_STRING');
    assert.deepEqual(r.json().modelgate.inputs[0].preprocessing, ['minmax', 'reshape']);
    assert.equal((await get('/v1/models/digits/versions/1.0.0/metadata')).statusCode, 200);
  });

  test(':predict row format answers per instance and equals the in-process prediction exactly', async () => {
    const r = await post('/v1/models/breast-cancer:predict', { instances: bcRows });
    assert.equal(r.statusCode, 200);
    assert.match(r.headers['content-type'] as string, /application\/json/);
    assert.deepEqual(r.json().predictions, bcExpected);
  });

  test(':predict columnar format, by version and by feature-name objects', async () => {
    const col = await post('/v1/models/breast-cancer/versions/1.0.0:predict', { inputs: bcRows.slice(0, 2) });
    assert.equal(col.statusCode, 200);
    assert.deepEqual(col.json().outputs, {
      probabilities: bcExpected.slice(0, 2).map((e) => e.probabilities),
      label: bcExpected.slice(0, 2).map((e) => e.label),
    });
    const meta = (await get('/v1/models/breast-cancer/metadata')).json();
    const names: string[] = meta.modelgate.inputs[0].features;
    const obj = Object.fromEntries(names.map((n, i) => [n, bcRows[0]![i]]));
    const byName = await post('/v1/models/breast-cancer:predict', { instances: [obj] });
    assert.equal(byName.statusCode, 200);
    assert.deepEqual(byName.json().predictions[0], bcExpected[0]);
  });

  test('digits: a flat row and a row nested as [1, 8, 8] give the same prediction', async () => {
    const flat = await post('/v1/models/digits:predict', { instances: [digitRows[0]] });
    const nested = [[0, 1, 2, 3, 4, 5, 6, 7].map((r) => digitRows[0]!.slice(r * 8, r * 8 + 8))];
    const viaNested = await post('/v1/models/digits:predict', { instances: [nested] });
    assert.equal(flat.statusCode, 200);
    assert.deepEqual(viaNested.json(), flat.json());
    assert.equal(flat.json().predictions[0].probabilities.length, 10);
  });

  test(':classify and :regress where the task fits, 400 where it does not', async () => {
    const meta = (await get('/v1/models/breast-cancer/metadata')).json();
    const names: string[] = meta.modelgate.inputs[0].features;
    const example = Object.fromEntries(names.slice(1).map((n, i) => [n, bcRows[0]![i + 1]]));
    const c = await post('/v1/models/breast-cancer:classify', { context: { [names[0]!]: bcRows[0]![0] }, examples: [example] });
    assert.equal(c.statusCode, 200);
    assert.deepEqual(c.json().results[0], [
      ['malignant', bcExpected[0]!.probabilities[0]],
      ['benign', bcExpected[0]!.probabilities[1]],
    ]);
    const diabetes = { age: 0.03, sex: 0.05, bmi: 0.06, bp: 0.02, s1: -0.04, s2: -0.03, s3: -0.04, s4: -0.002, s5: 0.02, s6: -0.017 };
    const reg = await post('/v1/models/diabetes:regress', { examples: [diabetes, diabetes] });
    assert.equal(reg.statusCode, 200);
    const pred = await post('/v1/models/diabetes:predict', { instances: [Object.values(diabetes)] });
    assert.deepEqual(reg.json().results, [pred.json().predictions[0][0], pred.json().predictions[0][0]]);
    assert.equal((await post('/v1/models/diabetes:classify', { examples: [diabetes] })).statusCode, 400);
    assert.equal((await post('/v1/models/breast-cancer:regress', { examples: [example] })).statusCode, 400);
  });

  test('two named inputs: objects keyed by input name, columnar by input name, labels route', async () => {
    const row = await post('/v1/models/two-inputs/labels/stable:predict', {
      instances: [
        { numeric: [3, 2, 1], color: 'blue' },
        { x1: 3, x2: 2, x3: 1, color: 'blue' },
      ],
    });
    assert.equal(row.statusCode, 200, row.body);
    const [a, b] = row.json().predictions;
    assert.deepEqual(a, b);
    // standardized numeric = [1, 0, -1]; logits = [1,-1,0.5]·… + onehot(blue)·2 → [1.5, -1.25, -0.5+2]
    assert.deepEqual(Object.keys(a), ['logits', 'score', 'probabilities', 'label', 'topk']);
    assert.deepEqual(a.logits, [1.5, -1.25, 1.5]);
    assert.deepEqual(a.score, [0]);
    assert.equal(a.label, 'a');
    assert.equal(a.topk.length, 2);
    const col = await post('/v1/models/two-inputs:predict', { inputs: { numeric: [[3, 2, 1]], color: [['blue']] } });
    assert.deepEqual(col.json().outputs.logits, [[1.5, -1.25, 1.5]]);
  });

  test('health report per model', async () => {
    const r = await get('/v1/models/breast-cancer/health');
    assert.equal(r.statusCode, 200);
    const h = r.json();
    assert.equal(h.model, 'breast-cancer');
    assert.equal(h.features.length, 30);
    assert.equal(h.reference.rows, 250);
    assert.equal(h.predictions.kind, 'classification');
    assert.deepEqual(h.predictions.expected, { malignant: 0.372, benign: 0.628 });
  });

  test('errors: unknown model, version, label, endpoint, bad name', async () => {
    const cases: [string, number, RegExp][] = [
      ['/v1/models/nope:predict', 404, /not served; served models: breast-cancer/],
      ['/v1/models/digits/versions/9.9.9:predict', 404, /no version 9\.9\.9; served versions: 1\.0\.0/],
      ['/v1/models/digits/labels/canary:predict', 404, /no version labelled "canary"/],
      ['/v1/models/digits:explain', 404, /no v1 endpoint/],
      ['/v1/models/..:predict', 400, /invalid model name/],
      ['/v1/models/..%2F..%2Fetc:predict', 404, /no v1 endpoint/],
      ['/v1/models/digits/versions/latest:predict', 400, /invalid version/],
    ];
    for (const [url, status, re] of cases) {
      const r = await post(url, { instances: [digitRows[0]] });
      assert.equal(r.statusCode, status, url);
      assert.match(r.json().error, re, url);
    }
  });
});

describe('Open Inference Protocol v2', () => {
  test('server metadata, liveness, readiness', async () => {
    assert.deepEqual((await get('/v2')).json(), {
      name: 'modelgate',
      version: 'test',
      extensions: ['binary_tensor_data', 'model_repository_list', 'modelgate_health'],
    });
    assert.deepEqual((await get('/v2/health/live')).json(), { live: true });
    assert.deepEqual((await get('/v2/health/ready')).json(), { ready: true });
  });

  test('model metadata and readiness, with and without version', async () => {
    const m = (await get('/v2/models/breast-cancer')).json();
    assert.equal(m.name, 'breast-cancer');
    assert.deepEqual(m.versions, ['1.0.0']);
    assert.equal(m.platform, 'onnxruntime_onnx');
    assert.deepEqual(m.inputs, [{ name: 'features', datatype: 'FP32', shape: [-1, 30] }]);
    assert.deepEqual(m.outputs, [
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      { name: 'label', datatype: 'BYTES', shape: [-1] },
    ]);
    assert.equal((await get('/v2/models/breast-cancer/versions/1.0.0')).statusCode, 200);
    assert.deepEqual((await get('/v2/models/digits/versions/1.0.0/ready')).json(), { name: 'digits', version: '1.0.0', ready: true });
    assert.equal((await get('/v2/models/digits/ready')).statusCode, 200);
    assert.deepEqual(
      (await get('/v2/models')).json().models.map((x: { name: string }) => x.name),
      ['breast-cancer', 'diabetes', 'digits', 'two-inputs'],
    );
  });

  test('infer: typed tensors in and out, id echoed, same numbers as v1', async () => {
    const r = await post('/v2/models/breast-cancer/infer', {
      id: 'req-7',
      inputs: [{ name: 'features', shape: [2, 30], datatype: 'FP32', data: bcRows.slice(0, 2).flat() }],
    });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.id, 'req-7');
    assert.equal(r.headers['x-request-id'], 'req-7');
    assert.equal(body.model_name, 'breast-cancer');
    assert.equal(body.model_version, '1.0.0');
    assert.deepEqual(body.outputs[0], { name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: bcExpected.slice(0, 2).flatMap((e) => e.probabilities) });
    assert.deepEqual(body.outputs[1], { name: 'label', datatype: 'BYTES', shape: [2], data: bcExpected.slice(0, 2).map((e) => e.label) });
  });

  test('infer: nested data, integer datatypes, output selection, versioned path', async () => {
    const flat = await post('/v2/models/digits/versions/1.0.0/infer', { inputs: [{ name: 'image', shape: [1, 64], datatype: 'INT32', data: digitRows[0] }] });
    assert.equal(flat.statusCode, 200, flat.body);
    const nested = await post('/v2/models/digits/infer', {
      inputs: [{ name: 'image', shape: [1, 1, 8, 8], datatype: 'FP64', data: [[[0, 1, 2, 3, 4, 5, 6, 7].map((r) => digitRows[0]!.slice(r * 8, r * 8 + 8))]] }],
      outputs: [{ name: 'label' }],
    });
    assert.equal(nested.statusCode, 200, nested.body);
    assert.deepEqual(nested.json().outputs, [flat.json().outputs[1]]);
    const two = await post('/v2/models/two-inputs/infer', {
      inputs: [
        { name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [3, 2, 1] },
        { name: 'color', shape: [1, 1], datatype: 'BYTES', data: ['blue'] },
      ],
      outputs: [{ name: 'topk_labels' }, { name: 'topk_scores' }],
    });
    assert.equal(two.statusCode, 200, two.body);
    assert.deepEqual(
      two.json().outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape]),
      [
        ['topk_labels', [1, 2]],
        ['topk_scores', [1, 2]],
      ],
    );
  });

  test('infer errors are 4xx {"error"} with a reason', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      [
        '/v2/models/digits/infer',
        { inputs: [{ name: 'pixels', shape: [1, 64], datatype: 'FP32', data: digitRows[0] }] },
        400,
        /not an input of model digits; its inputs are: image/,
      ],
      ['/v2/models/digits/infer', { inputs: [{ name: 'image', shape: [1, 63], datatype: 'FP32', data: digitRows[0]!.slice(1) }] }, 400, /takes 64/],
      [
        '/v2/models/digits/infer',
        { inputs: [{ name: 'image', shape: [1, 64], datatype: 'FP32', data: digitRows[0]!.slice(1) }] },
        400,
        /has 63 values but shape \[1, 64\] needs 64/,
      ],
      ['/v2/models/digits/infer', { inputs: [{ name: 'image', shape: [1, 64], datatype: 'FLOAT', data: digitRows[0] }] }, 400, /not a v2 datatype/],
      [
        '/v2/models/digits/infer',
        { inputs: [{ name: 'image', shape: [1, 64], datatype: 'INT8', data: digitRows[0]!.map((v) => v + 0.5) }] },
        400,
        /not a whole number in the INT8 range/,
      ],
      ['/v2/models/digits/infer', { inputs: [{ name: 'image', shape: [1, 64], datatype: 'BYTES', data: digitRows[0]!.map(String) }] }, 400, /BYTES/],
      [
        '/v2/models/digits/infer',
        { inputs: [{ name: 'image', shape: [1, 64], datatype: 'FP32', data: digitRows[0] }], outputs: [{ name: 'logits' }] },
        400,
        /serves: probabilities, label/,
      ],
      ['/v2/models/digits/infer', { inputs: [] }, 400, /non-empty list of tensors/],
      ['/v2/models/nope/infer', { inputs: [] }, 404, /not served/],
      ['/v2/models/two-inputs/infer', { inputs: [{ name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] }, 400, /missing input\(s\) color/],
    ];
    for (const [url, body, status, re] of cases) {
      const r = await post(url, body);
      assert.equal(r.statusCode, status, JSON.stringify(body).slice(0, 80));
      assert.match(r.json().error, re);
    }
  });
});

test('/metrics is Prometheus text with request, batch and health series', async () => {
  await post('/v1/models/breast-cancer:predict', { instances: bcRows });
  const r = await get('/metrics');
  assert.equal(r.statusCode, 200);
  assert.match(r.headers['content-type'] as string, /text\/plain/);
  const text = r.body;
  assert.match(text, /modelgate_requests_total\{model="breast-cancer",version="1.0.0",protocol="v1",status="200"\} \d+/);
  assert.match(text, /modelgate_batch_size_bucket\{le="8",model="breast-cancer",version="1.0.0"\} \d+/);
  assert.match(text, /modelgate_batch_releases_total\{model="breast-cancer",version="1.0.0",reason="idle"\} \d+/);
  assert.match(text, /modelgate_queue_wait_seconds_count\{model="breast-cancer",version="1.0.0"\} \d+/);
  assert.match(text, /modelgate_feature_psi\{model="breast-cancer",version="1.0.0",feature="mean radius"\} [\d.e+-]+/);
  assert.match(text, /modelgate_prediction_class_share\{model="breast-cancer",version="1.0.0",class="benign"\} [\d.]+/);
  assert.match(text, /modelgate_queue_depth\{model="digits",version="1.0.0"\} 0/);
  assert.match(text, /modelgate_inflight_requests\{model="digits",version="1.0.0"\} 0/);
});

test('unknown top-level paths answer 404 {"error"}', async () => {
  const r = await get('/nothing-here');
  assert.equal(r.statusCode, 404);
  assert.match(r.json().error, /\/v1, \/v2 and \/metrics/);
});

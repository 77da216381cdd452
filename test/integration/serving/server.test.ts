// A real server on an ephemeral loopback port with the real samples:
// malformed input, limits, batched vs unbatched, two named inputs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../../server/serving/server';
import { copySample, fixture, postJson, sample, validationRows } from './helpers';

describe('malformed input corpus', () => {
  let server: RunningServer;
  const good = validationRows('breast-cancer', 2, 30);
  let goodAnswer: string;
  before(async () => {
    server = await startServer({ manifests: [sample('breast-cancer'), sample('digits')], port: 0, bodyLimit: 256 * 1024, maxInstancesPerRequest: 100 });
    const r = await postJson(`${server.url}/v1/models/breast-cancer:predict`, { instances: good });
    assert.equal(r.status, 200);
    goodAnswer = r.text;
  });
  after(() => server.close());

  const row = (over: Record<number, unknown>) => good[0]!.map((v, i) => (i in over ? over[i] : v));
  const deep = (depth: number) => '{"instances": ' + '['.repeat(depth) + '1' + ']'.repeat(depth) + '}';

  const corpus: [string, string, unknown, number, RegExp][] = [
    ['invalid JSON', '/v1/models/breast-cancer:predict', '{"instances": [[1, 2,', 400, /not valid JSON/],
    ['empty body', '/v1/models/breast-cancer:predict', '', 400, /body is empty/],
    ['body is a list', '/v1/models/breast-cancer:predict', '[1, 2]', 400, /must be object/],
    ['body is a string', '/v1/models/breast-cancer:predict', '"hello"', 400, /must be object/],
    ['no instances or inputs', '/v1/models/breast-cancer:predict', {}, 400, /needs "instances"/],
    ['both instances and inputs', '/v1/models/breast-cancer:predict', { instances: [good[0]], inputs: [good[0]] }, 400, /not both/],
    ['instances not a list', '/v1/models/breast-cancer:predict', { instances: { a: 1 } }, 400, /instances must be array|"instances" must be a list/],
    ['empty instances', '/v1/models/breast-cancer:predict', { instances: [] }, 400, /empty; send at least one instance/],
    ['wrong shape: 29 values', '/v1/models/breast-cancer:predict', { instances: [good[0]!.slice(1)] }, 400, /shape \[29\].*takes 30 numbers/],
    ['wrong shape: nested too deep', '/v1/models/breast-cancer:predict', { instances: [[good[0]]] }, 400, /shape \[1, 30\]/],
    [
      'wrong dtype: a word',
      '/v1/models/breast-cancer:predict',
      { instances: [row({ 3: 'big' })] },
      400,
      /instances\[0\]\[3\] \(feature "mean area"\) is the string "big"/,
    ],
    ['wrong dtype: quoted number', '/v1/models/breast-cancer:predict', { instances: [row({ 3: '1001' })] }, 400, /without quotes/],
    ['wrong dtype: boolean', '/v1/models/breast-cancer:predict', { instances: [row({ 0: true })] }, 400, /boolean true/],
    ['"NaN" string', '/v1/models/breast-cancer:predict', { instances: [row({ 5: 'NaN' })] }, 400, /the string "NaN", a string where a number belongs/],
    [
      '"Infinity" string',
      '/v1/models/breast-cancer:predict',
      { instances: [row({ 5: '-Infinity' })] },
      400,
      /the string "-Infinity", a string where a number belongs/,
    ],
    [
      'number overflowing to Infinity',
      '/v1/models/breast-cancer:predict',
      `{"instances": [[${row({ 2: '1e999' }).join(',')}]]}`,
      400,
      /is Infinity: the model does not take NaN or Infinity/,
    ],
    ['null value', '/v1/models/breast-cancer:predict', { instances: [row({ 7: null })] }, 400, /is null: missing values/],
    ['deep nesting (50 levels)', '/v1/models/breast-cancer:predict', deep(50), 400, /shape \[1, 1, 1/],
    ['deep nesting (100000 levels)', '/v1/models/breast-cancer:predict', deep(100_000), 400, /instances\[0\]/],
    ['unknown feature name', '/v1/models/breast-cancer:predict', { instances: [{ 'mean radius': 1, radius: 2 }] }, 400, /missing feature|unknown/],
    ['too many instances', '/v1/models/breast-cancer:predict', { instances: Array(101).fill(good[0]) }, 413, /at most 100/],
    ['oversized body', '/v1/models/breast-cancer:predict', { instances: Array(2000).fill(good[0]) }, 413, /larger than the 256 KB limit/],
    ['unknown model', '/v1/models/lung-cancer:predict', { instances: [good[0]] }, 404, /not served/],
    ['unknown version', '/v1/models/breast-cancer/versions/2.0.0:predict', { instances: [good[0]] }, 404, /no version 2\.0\.0/],
    ['unknown label', '/v1/models/breast-cancer/labels/canary:predict', { instances: [good[0]] }, 404, /no version labelled "canary"/],
    [
      'v2 wrong shape',
      '/v2/models/breast-cancer/infer',
      { inputs: [{ name: 'features', shape: [1, 29], datatype: 'FP32', data: good[0]!.slice(1) }] },
      400,
      /takes 30/,
    ],
    [
      'v2 "NaN" in data',
      '/v2/models/breast-cancer/infer',
      { inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: row({ 1: 'NaN' }) }] },
      400,
      /a string where a number belongs/,
    ],
    [
      'v2 wrong dtype',
      '/v2/models/breast-cancer/infer',
      { inputs: [{ name: 'features', shape: [1, 30], datatype: 'BOOL', data: good[0] }] },
      400,
      /BOOL takes true or false/,
    ],
    ['v2 no inputs', '/v2/models/breast-cancer/infer', { id: 'x' }, 400, /inputs/],
    ['v2 unknown version', '/v2/models/breast-cancer/versions/3.0.0/infer', { inputs: [] }, 404, /no version 3\.0\.0/],
  ];

  for (const [name, path, body, status, re] of corpus) {
    test(`${name} → ${status} with a reason; valid requests keep succeeding`, async () => {
      const r = await postJson(server.url + path, body);
      assert.equal(r.status, status, r.text.slice(0, 300));
      assert.equal(typeof r.json?.error, 'string', r.text.slice(0, 300));
      assert.match(r.json.error, re);
      const ok = await postJson(`${server.url}/v1/models/breast-cancer:predict`, { instances: good });
      assert.equal(ok.status, 200);
      assert.equal(ok.text, goodAnswer);
    });
  }

  test('after the whole corpus the server still answers every endpoint and counted the 4xx', async () => {
    assert.equal((await fetch(`${server.url}/v2/health/ready`)).status, 200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /modelgate_requests_total\{model="breast-cancer",version="1.0.0",protocol="v1",status="400"\} \d+/);
    assert.doesNotMatch(metrics, /status="5\d\d"/);
  });
});

describe('batched and unbatched serving agree', () => {
  let batched: RunningServer;
  let direct: RunningServer;
  let copy: Awaited<ReturnType<typeof copySample>>;
  before(async () => {
    copy = await copySample('digits', (y) => y.replace(/batching:\n(\s+)enabled: true/, 'batching:\n$1enabled: false'));
    batched = await startServer({ manifests: [sample('digits')], port: 0 });
    direct = await startServer({ manifests: [copy.manifest], port: 0 });
  });
  after(async () => {
    await batched.close();
    await direct.close();
    await copy.cleanup();
  });

  test('60 concurrent requests: batched results equal one-at-a-time results within float tolerance', async () => {
    const rows = validationRows('digits', 60, 64);
    const send = (url: string) => Promise.all(rows.map((r, i) => postJson(`${url}/v1/models/digits:predict`, { instances: i % 3 === 0 ? [r, r] : [r] })));
    // a first round opens the keep-alive connections; in the second the 60
    // requests leave together and reach the server in the same few reads
    await Promise.all([send(batched.url), send(direct.url)]);
    const batchesBefore = Number(
      /modelgate_batch_size_count\{model="digits",version="1.0.0"\} (\d+)/.exec(await (await fetch(`${batched.url}/metrics`)).text())![1],
    );
    const [a, b] = await Promise.all([send(batched.url), send(direct.url)]);
    for (let i = 0; i < rows.length; i++) {
      assert.equal(a[i]!.status, 200);
      assert.equal(b[i]!.status, 200);
      const pa = a[i]!.json.predictions as { probabilities: number[]; label: string }[];
      const pb = b[i]!.json.predictions as { probabilities: number[]; label: string }[];
      assert.equal(pa.length, i % 3 === 0 ? 2 : 1);
      pa.forEach((p, k) => {
        assert.equal(p.label, pb[k]!.label);
        p.probabilities.forEach((v, c) => assert.ok(Math.abs(v - pb[k]!.probabilities[c]!) < 1e-5, `row ${i} class ${c}: ${v} vs ${pb[k]!.probabilities[c]}`));
      });
    }
    // the batched server really merged requests; the other ran one per request
    const m = await (await fetch(`${batched.url}/metrics`)).text();
    const batches = Number(/modelgate_batch_size_count\{model="digits",version="1.0.0"\} (\d+)/.exec(m)![1]) - batchesBefore;
    assert.ok(batches < rows.length, `${batches} batches for ${rows.length} requests`);
    const d = await (await fetch(`${direct.url}/metrics`)).text();
    assert.match(d, /modelgate_batch_releases_total\{model="digits",version="1.0.0",reason="direct"\} 120/);
  });
});

describe('a model with two named inputs over HTTP', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ manifests: [fixture('two-inputs')], port: 0 });
  });
  after(() => server.close());

  test('v1 row objects, v1 columnar and v2 tensors give the same logits', async () => {
    const v1 = await postJson(`${server.url}/v1/models/two-inputs:predict`, {
      instances: [
        { numeric: [1, 2, 3], color: 'green' },
        { numeric: [5, 6, 7], color: 'red' },
      ],
    });
    const col = await postJson(`${server.url}/v1/models/two-inputs:predict`, {
      inputs: {
        numeric: [
          [1, 2, 3],
          [5, 6, 7],
        ],
        color: [['green'], ['red']],
      },
    });
    const v2 = await postJson(`${server.url}/v2/models/two-inputs/infer`, {
      inputs: [
        { name: 'color', shape: [2, 1], datatype: 'BYTES', data: ['green', 'red'] },
        {
          name: 'numeric',
          shape: [2, 3],
          datatype: 'FP32',
          data: [
            [1, 2, 3],
            [5, 6, 7],
          ],
        },
      ],
      outputs: [{ name: 'logits' }],
    });
    assert.equal(v1.status, 200, v1.text);
    assert.equal(col.status, 200, col.text);
    assert.equal(v2.status, 200, v2.text);
    const logits = v1.json.predictions.map((p: { logits: number[] }) => p.logits);
    // numeric standardized: [0,0,0] and [2,2,2] → column sums of W × 2 = [1, 2.5, 1];
    // onehot green adds [0,2,0], red adds [2,0,0]
    assert.deepEqual(logits, [
      [0, 2, 0],
      [3, 2.5, 1],
    ]);
    assert.deepEqual(col.json.outputs.logits, logits);
    assert.deepEqual(v2.json.outputs, [{ name: 'logits', datatype: 'FP32', shape: [2, 3], data: logits.flat() }]);
    assert.deepEqual(
      v1.json.predictions.map((p: { label: string }) => p.label),
      ['b', 'a'],
    );
  });

  test('a missing input is a 400 naming it', async () => {
    const r = await postJson(`${server.url}/v1/models/two-inputs:predict`, { instances: [{ numeric: [1, 2, 3] }] });
    assert.equal(r.status, 400);
    assert.match(r.json.error, /no value for input "color"/);
  });
});

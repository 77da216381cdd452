// Conformance of the v2 binary tensor data extension: a JSON header whose
// length is in Inference-Header-Content-Length, then raw little-endian
// tensors; binary outputs on request. Predictions must equal the JSON form's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadManifest } from '../../../server/manifest/load';
import { readTable } from '../../../server/manifest/dataset';
import { tableInputs, createPredictor } from '../../../server/manifest/predict';
import { fixture, sample, testApp } from './helpers';

let app: FastifyInstance;
let close: () => Promise<void>;
let rows: Float64Array;
const N = 4;
const URL = '/v2/models/breast-cancer/infer';

before(async () => {
  ({ app, close } = await testApp([sample('breast-cancer'), fixture('two-inputs')]));
  const loaded = await loadManifest(sample('breast-cancer'));
  const p = await createPredictor(loaded);
  const table = await readTable(loaded.dir + '/data/validation.csv', { maxRows: N });
  rows = tableInputs(p.plan, table)[0]!;
  await p.close();
});
after(() => close());

function binaryBody(header: object, ...parts: Buffer[]): { payload: Buffer; headers: Record<string, string> } {
  const head = Buffer.from(JSON.stringify(header));
  return {
    payload: Buffer.concat([head, ...parts]),
    headers: { 'inference-header-content-length': String(head.length), 'content-type': 'application/octet-stream' },
  };
}

const f64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Splits a binary response into its JSON header and the bytes after it. */
function splitResponse(r: { rawPayload: Buffer; headers: Record<string, unknown> }): {
  json: { outputs: { name: string; datatype: string; shape: number[]; data?: unknown[]; parameters?: { binary_data_size: number } }[] };
  rest: Buffer;
} {
  const n = Number(r.headers['inference-header-content-length']);
  return { json: JSON.parse(r.rawPayload.subarray(0, n).toString('utf8')), rest: r.rawPayload.subarray(n) };
}

async function jsonAnswer(): Promise<{ probabilities: number[]; label: string[] }> {
  const r = await app.inject({
    method: 'POST',
    url: URL,
    payload: { inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', data: Array.from(rows) }] },
  });
  assert.equal(r.statusCode, 200);
  const outs = r.json().outputs as { name: string; data: unknown[] }[];
  return { probabilities: outs.find((o) => o.name === 'probabilities')!.data as number[], label: outs.find((o) => o.name === 'label')!.data as string[] };
}

describe('v2 binary tensor data', () => {
  test('server metadata lists the extension', async () => {
    const r = await app.inject({ method: 'GET', url: '/v2' });
    assert.ok((r.json().extensions as string[]).includes('binary_tensor_data'));
  });

  test('FP64 binary input with JSON outputs answers as the JSON form does', async () => {
    const expected = await jsonAnswer();
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody({ inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 } }] }, f64(rows)),
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(String(r.headers['content-type']), /application\/json/);
    const outs = r.json().outputs as { name: string; data: unknown[] }[];
    assert.deepEqual(outs.find((o) => o.name === 'probabilities')!.data, expected.probabilities);
    assert.deepEqual(outs.find((o) => o.name === 'label')!.data, expected.label);
  });

  test('binary_data_output: every output comes back binary, in the JSON order', async () => {
    const expected = await jsonAnswer();
    const head = Buffer.from(
      JSON.stringify({
        parameters: { binary_data_output: true },
        inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: rows.byteLength } }],
      }),
    );
    const r = await app.inject({
      method: 'POST',
      url: URL,
      payload: Buffer.concat([head, f64(rows)]),
      headers: { 'inference-header-content-length': String(head.length) },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
    const { json, rest } = splitResponse(r);
    let offset = 0;
    for (const o of json.outputs) {
      assert.equal(o.data, undefined, `${o.name} has no JSON data`);
      const size = o.parameters!.binary_data_size;
      const bytes = rest.subarray(offset, offset + size);
      offset += size;
      if (o.name === 'probabilities') {
        const probs = new Float32Array(new Uint8Array(bytes).buffer);
        assert.deepEqual(Array.from(probs), expected.probabilities);
      }
      if (o.name === 'label') {
        const labels: string[] = [];
        for (let p = 0; p < bytes.length;) {
          const len = bytes.readUInt32LE(p);
          labels.push(bytes.toString('utf8', p + 4, p + 4 + len));
          p += 4 + len;
        }
        assert.deepEqual(labels, expected.label);
      }
    }
    assert.equal(offset, rest.length, 'binary sizes add up to the body after the header');
  });

  test('binary_data per output: only the asked output is binary', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody(
        {
          inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 } }],
          outputs: [{ name: 'probabilities', parameters: { binary_data: true } }, { name: 'label' }],
        },
        f64(rows),
      ),
    });
    assert.equal(r.statusCode, 200, r.body);
    const { json, rest } = splitResponse(r);
    assert.deepEqual(
      json.outputs.map((o) => o.name),
      ['probabilities', 'label'],
    );
    assert.equal(json.outputs[0]!.parameters!.binary_data_size, N * 2 * 4);
    assert.equal(rest.length, N * 2 * 4);
    assert.equal(json.outputs[1]!.data!.length, N);
  });

  test('header length larger than the body → 400 naming both lengths', async () => {
    const body = binaryBody({ inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 } }] }, f64(rows));
    const r = await app.inject({
      method: 'POST',
      url: URL,
      payload: body.payload,
      headers: { ...body.headers, 'inference-header-content-length': String(body.payload.length + 10) },
    });
    assert.equal(r.statusCode, 400);
    assert.match(
      r.json().error,
      new RegExp(`Inference-Header-Content-Length is ${body.payload.length + 10} but the body has only ${body.payload.length} bytes`),
    );
  });

  test('header length that is not a number → 400', async () => {
    const body = binaryBody({ inputs: [] });
    const r = await app.inject({ method: 'POST', url: URL, payload: body.payload, headers: { ...body.headers, 'inference-header-content-length': 'abc' } });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /Inference-Header-Content-Length is "abc"/);
  });

  test('binary_data_size that does not match shape × datatype → 400 with both sizes', async () => {
    const part = f64(rows).subarray(0, (N * 30 - 1) * 8);
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody({ inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: part.length } }] }, part),
    });
    assert.equal(r.statusCode, 400);
    assert.match(
      r.json().error,
      new RegExp(`inputs\\[0\\]\\.parameters\\.binary_data_size is ${part.length} bytes, but shape × datatype needs ${N * 30} × 8 = ${N * 30 * 8}`),
    );
  });

  test('FP32 binary input is accepted and read as float32 values', async () => {
    const f32 = Float32Array.from(rows);
    const viaJson = await app.inject({
      method: 'POST',
      url: URL,
      payload: { inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP32', data: Array.from(f32) }] },
    });
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody(
        { inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP32', parameters: { binary_data_size: f32.byteLength } }] },
        Buffer.from(f32.buffer),
      ),
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().outputs, viaJson.json().outputs);
  });

  test('binary_data_size beyond the bytes sent → 400', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody({ inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 + 8 } }] }, f64(rows)),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /only \d+ bytes of binary data remain/);
  });

  test('bytes no input accounts for → 400', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody(
        { inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 } }] },
        f64(rows),
        Buffer.alloc(8),
      ),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /8 bytes of binary data follow the JSON header but no input's binary_data_size accounts for them/);
  });

  test('unknown input → 400 naming the model inputs', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody({ inputs: [{ name: 'pixels', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: N * 30 * 8 } }] }, f64(rows)),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /"pixels" is not an input of model breast-cancer; its inputs are: features/);
  });

  test('binary_data_size without the header-length header → 400', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      payload: { inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: 8 } }] },
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /no Inference-Header-Content-Length header/);
  });

  test('non-finite binary values are refused as in JSON', async () => {
    const bad = Float64Array.from(rows);
    bad[5] = Number.NaN;
    const r = await app.inject({
      method: 'POST',
      url: URL,
      ...binaryBody({ inputs: [{ name: 'features', shape: [N, 30], datatype: 'FP64', parameters: { binary_data_size: bad.byteLength } }] }, f64(bad)),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /inputs\[0\]\.data\[5\].* is NaN: the model does not take NaN/);
  });

  test('a multi-input model takes binary parts in header order, BYTES as length-prefixed strings', async () => {
    const numeric = new Float64Array([3, 2, 1, 0.5, 1.5, 2.5]);
    const colors = ['blue', 'red'];
    const bytes = Buffer.concat(
      colors.flatMap((c) => {
        const len = Buffer.alloc(4);
        len.writeUInt32LE(Buffer.byteLength(c));
        return [len, Buffer.from(c)];
      }),
    );
    const jsonForm = await app.inject({
      method: 'POST',
      url: '/v2/models/two-inputs/infer',
      payload: {
        inputs: [
          { name: 'numeric', shape: [2, 3], datatype: 'FP64', data: Array.from(numeric) },
          { name: 'color', shape: [2, 1], datatype: 'BYTES', data: colors },
        ],
      },
    });
    assert.equal(jsonForm.statusCode, 200, jsonForm.body);
    const r = await app.inject({
      method: 'POST',
      url: '/v2/models/two-inputs/infer',
      ...binaryBody(
        {
          inputs: [
            { name: 'color', shape: [2, 1], datatype: 'BYTES', parameters: { binary_data_size: bytes.length } },
            { name: 'numeric', shape: [2, 3], datatype: 'FP64', parameters: { binary_data_size: numeric.byteLength } },
          ],
        },
        bytes,
        f64(numeric),
      ),
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().outputs, jsonForm.json().outputs);
  });

  test('plain JSON without the header still works with an octet-stream content type', async () => {
    const r = await app.inject({
      method: 'POST',
      url: URL,
      payload: JSON.stringify({ inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP64', data: Array.from(rows.subarray(0, 30)) }] }),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().outputs.length > 0, true);
  });
});

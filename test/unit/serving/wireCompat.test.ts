// Wire compatibility with the published protocols, through app.inject with
// real models. Each test names the section of the spec it follows:
// TF Serving g3doc/api_rest.md and util/json_tensor.cc; the Open Inference
// Protocol's inference_rest.md; Triton's extension_binary_data.md; and the
// requests tritonclient and the KServe Python SDK build.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { v1VersionNumber } from '../../../server/serving/modelName';
import { publicPath, publicText } from '../../../server/serving/publicPath';
import { parseRequestJson } from '../../../server/serving/wire/json';
import { fixture, root, sample, testApp } from './helpers';

let app: FastifyInstance;
let close: () => Promise<void>;

before(async () => {
  ({ app, close } = await testApp([sample('breast-cancer'), fixture('two-inputs'), fixture('embedding'), fixture('lookup')]));
});
after(() => close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string) => app.inject({ method: 'GET', url });
const bcRow = (over: Record<number, unknown> = {}) => Array.from({ length: 30 }, (_, i) => (i in over ? over[i] : 1 + i / 10));
const b64 = (s: string) => ({ b64: Buffer.from(s, 'utf8').toString('base64') });
const two = (color: unknown, x = [1, 2, 3]) => ({ numeric: x, color });

describe('TF Serving v1: integer versions (api_rest.md "Model status API", get_model_status.proto: version is int64)', () => {
  test('the integer form of a semantic version is MAJOR×10⁶ + MINOR×10³ + PATCH, sorts as the versions do, and is absent where it cannot be exact', () => {
    assert.equal(v1VersionNumber('1.0.0'), '1000000');
    assert.equal(v1VersionNumber('1.2.3'), '1002003');
    assert.equal(v1VersionNumber('0.0.1'), '1');
    assert.equal(v1VersionNumber('2026.12.4'), '2026012004');
    assert.equal(v1VersionNumber('1.0.0+build.7'), '1000000');
    assert.equal(v1VersionNumber('1.0.0-rc.1'), undefined);
    assert.equal(v1VersionNumber('1.1000.0'), undefined);
    const ordered = ['0.0.9', '0.1.0', '0.9.999', '1.0.0', '1.0.10', '1.2.0', '10.0.0'];
    const numbers = ordered.map((v) => BigInt(v1VersionNumber(v)!));
    assert.deepEqual(
      [...numbers].sort((a, b) => (a < b ? -1 : 1)),
      numbers,
    );
  });

  test('status and metadata show the version as a digit string; /versions/{N} and /versions/{semver} select the same version', async () => {
    const status = (await get('/v1/models/breast-cancer')).json();
    assert.deepEqual(status.model_version_status, [{ version: '1000000', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }]);
    const meta = (await get('/v1/models/breast-cancer/versions/1000000/metadata')).json();
    assert.equal(meta.model_spec.version, '1000000');
    assert.equal(meta.modelgate.version, '1.0.0');
    const row = { instances: [bcRow()] };
    const byNumber = await post('/v1/models/breast-cancer/versions/1000000:predict', row);
    const bySemver = await post('/v1/models/breast-cancer/versions/1.0.0:predict', row);
    assert.equal(byNumber.statusCode, 200, byNumber.body);
    assert.equal(byNumber.body, bySemver.body);
    // leading zeros are the same int64
    assert.equal((await post('/v1/models/breast-cancer/versions/0001000000:predict', row)).statusCode, 200);
    const missing = await post('/v1/models/breast-cancer/versions/1:predict', row);
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error, /no version 1; served versions: 1\.0\.0 \(1000000\)/);
    // the v2 paths take the number too
    assert.equal((await get('/v2/models/breast-cancer/versions/1000000')).json().name, 'breast-cancer');
  });
});

describe('TF Serving v1: signature_name (api_rest.md "Predict API": optional, serving_default by default)', () => {
  test('serving_default, an empty name or none answer; any other name is 400 "signature … not found"', async () => {
    for (const name of [undefined, '', 'serving_default']) {
      const r = await post('/v1/models/breast-cancer:predict', { signature_name: name, instances: [bcRow()] });
      assert.equal(r.statusCode, 200, `${name}: ${r.body}`);
    }
    for (const url of ['/v1/models/breast-cancer:predict', '/v1/models/breast-cancer:classify']) {
      const r = await post(url, { signature_name: 'classify_x_to_y', instances: [bcRow()], examples: [{}] });
      assert.equal(r.statusCode, 400, url);
      assert.equal(r.headers['x-modelgate-error'], 'MG349');
      assert.match(r.json().error, /signature "classify_x_to_y" not found: model breast-cancer serves one signature, "serving_default"/);
    }
  });
});

describe('TF Serving v1: binary values (api_rest.md "Encoding binary values": {"b64": …})', () => {
  test('a one-hot string column takes {"b64": …} in row format, columnar format and classify, with the same answer as the plain string', async () => {
    const plain = await post('/v1/models/two-inputs:predict', { instances: [two('green')] });
    assert.equal(plain.statusCode, 200, plain.body);
    const row = await post('/v1/models/two-inputs:predict', { instances: [two(b64('green'))] });
    assert.equal(row.statusCode, 200, row.body);
    assert.equal(row.body, plain.body);
    const columnar = await post('/v1/models/two-inputs:predict', { inputs: { numeric: [[1, 2, 3]], color: [b64('green')] } });
    assert.equal(columnar.statusCode, 200, columnar.body);
    assert.deepEqual(
      columnar.json().outputs.label,
      plain.json().predictions.map((p: { label: string }) => p.label),
    );
    const classify = await post('/v1/models/two-inputs:classify', { examples: [{ x1: 1, x2: 2, x3: 3, color: b64('green') }] });
    const classifyPlain = await post('/v1/models/two-inputs:classify', { examples: [{ x1: 1, x2: 2, x3: 3, color: 'green' }] });
    assert.equal(classify.statusCode, 200, classify.body);
    assert.equal(classify.body, classifyPlain.body);
  });

  test('a b64 value that is not a category, is not base64, or stands where a number belongs is a 400 naming the place', async () => {
    const unknown = await post('/v1/models/two-inputs:predict', { instances: [two(b64('purple'))] });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error, /instances\[0\]\.color.*"purple", not one of its categories: "red", "green", "blue"/);
    const broken = await post('/v1/models/two-inputs:predict', { instances: [two({ b64: 'not base64!' })] });
    assert.equal(broken.statusCode, 400);
    assert.match(broken.json().error, /\.b64 is the string "not base64!", not base64 text/);
    const numeric = await post('/v1/models/breast-cancer:predict', { instances: [bcRow({ 4: b64('1.5') })] });
    assert.equal(numeric.statusCode, 400);
    assert.equal(numeric.headers['x-modelgate-error'], 'MG313');
    assert.match(numeric.json().error, /instances\[0\]\[4\] \(feature "mean smoothness"\) is a \{"b64": …\} binary value, but input "features" takes numbers/);
  });
});

describe('TF Serving v1: NaN and Infinity tokens (util/json_tensor.cc reads them; the model decides)', () => {
  test('bare NaN, Infinity, -Infinity and Inf parse; the default policy refuses them with MG312 naming the feature and the value', async () => {
    for (const [token, shown] of [
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['-Infinity', '-Infinity'],
      ['-Inf', '-Infinity'],
    ]) {
      const body = `{"instances": [[${bcRow({ 2: token }).join(', ')}]]}`;
      const r = await app.inject({ method: 'POST', url: '/v1/models/breast-cancer:predict', payload: body, headers: { 'content-type': 'application/json' } });
      assert.equal(r.statusCode, 400, token);
      assert.equal(r.headers['x-modelgate-error'], 'MG312', token);
      assert.match(r.json().error, new RegExp(`instances\\[0\\]\\[2\\] \\(feature "mean perimeter"\\) is ${shown}: the model does not take NaN or Infinity`));
      assert.match(r.json().error, /serving\.nonFinite: pass/);
    }
  });

  test('the tokens are read only outside strings and only as whole words; anything else stays a JSON syntax error', () => {
    assert.deepEqual(parseRequestJson('{"a": [NaN, -Infinity, Inf], "b": "NaN, Infinity", "c": "x\\" NaN"}'), {
      a: [NaN, -Infinity, Infinity],
      b: 'NaN, Infinity',
      c: 'x" NaN',
    });
    assert.throws(() => parseRequestJson('[NaNa]'), SyntaxError);
    assert.throws(() => parseRequestJson('[nan]'), SyntaxError);
    assert.throws(() => parseRequestJson('[1, NaN'), SyntaxError);
  });

  test('with serving.nonFinite: pass the value reaches the model; integer and one-hot inputs still refuse it; health and metrics keep answering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mg-nonfinite-'));
    try {
      await cp(join(root, 'test/fixtures/two-inputs'), dir, { recursive: true });
      const manifest = join(dir, 'model.yaml');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^serving:\n/m, 'serving:\n  nonFinite: pass\n'));
      const t = await testApp([manifest, fixture('embedding')]);
      try {
        const body = '{"instances": [{"numeric": [NaN, 2, 3], "color": "red"}, {"numeric": [1, 2, 3], "color": "red"}]}';
        const r = await t.app.inject({ method: 'POST', url: '/v1/models/two-inputs:predict', payload: body, headers: { 'content-type': 'application/json' } });
        assert.equal(r.statusCode, 200, r.body);
        const [first, second] = r.json().predictions;
        // NaN went through the model: its scores are not numbers (written as null, JSON has no NaN)
        assert.equal(first.logits[0], null);
        assert.ok(second.logits.every((v: unknown) => typeof v === 'number'));
        const inf = await t.app.inject({
          method: 'POST',
          url: '/v1/models/embedding:predict',
          payload: '{"instances": [{"numeric": [1, 2, 3], "category": NaN}]}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(inf.statusCode, 400);
        assert.match(inf.json().error, /category.* is NaN, not a whole number/);
        assert.equal((await t.app.inject({ url: '/v1/models/two-inputs/health' })).statusCode, 200);
        assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 200);
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('TF Serving v1: classify and regress (api_rest.md "Classify and Regress API": <value>|<list>, context)', () => {
  test('a feature may be a value or a one-element list; context values apply to every example; a one-hot string column is keyed by its feature name', async () => {
    const plain = await post('/v1/models/two-inputs:classify', { examples: [{ x1: 1, x2: 2, x3: 3, color: 'blue' }] });
    assert.equal(plain.statusCode, 200, plain.body);
    const lists = await post('/v1/models/two-inputs:classify', { examples: [{ x1: [1], x2: [2], x3: 3, color: ['blue'] }] });
    assert.equal(lists.body, plain.body);
    const context = await post('/v1/models/two-inputs:classify', { context: { color: 'blue', x3: 3 }, examples: [{ x1: 1, x2: 2 }] });
    assert.equal(context.body, plain.body);
    const results = plain.json().results[0];
    assert.deepEqual(
      results.map((r: [string, number]) => r[0]),
      ['a', 'b', 'c'],
    );
    const many = await post('/v1/models/two-inputs:classify', { examples: [{ x1: [1, 2], x2: 2, x3: 3, color: 'blue' }] });
    assert.equal(many.statusCode, 400);
    assert.match(many.json().error, /examples\[0\]\["x1"\] is a list of 2 values, but feature "x1" holds one value per example/);
  });

  test('instances mixing objects and lists are a 400, as TF Serving answers them', async () => {
    const r = await post('/v1/models/two-inputs:predict', { instances: [two('red'), [1, 2, 3, 'red']] });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error, /instances\[1\] is a list of 4, but instances\[0\] is an object: every instance must have the same form/);
  });
});

describe('no silent coercion: what the model cannot take is a 400 that names it', () => {
  test('a fraction for an integer input is refused in v1 and in v2 whatever the declared datatype', async () => {
    const v1 = await post('/v1/models/embedding:predict', { instances: [{ numeric: [1, 2, 3], category: 2.5 }] });
    assert.equal(v1.statusCode, 400);
    assert.equal(v1.headers['x-modelgate-error'], 'MG313');
    assert.match(v1.json().error, /instances\[0\]\.category \(feature "category"\) is 2\.5, not a whole number/);
    const v2 = await post('/v2/models/embedding/infer', {
      inputs: [
        { name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
        { name: 'category', shape: [1, 1], datatype: 'FP32', data: [3.7] },
      ],
    });
    assert.equal(v2.statusCode, 400);
    assert.match(v2.json().error, /inputs\[1\]\.data\[0\] \(feature "category"\) is 3\.7, not a whole number/);
    // an integer sent as FP32 is fine
    const whole = await post('/v2/models/embedding/infer', {
      inputs: [
        { name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
        { name: 'category', shape: [1, 1], datatype: 'FP32', data: [3] },
      ],
    });
    assert.equal(whole.statusCode, 200, whole.body);
  });

  test('an id outside the table the model looks it up in is refused before the model runs, naming the input and the range read from the ONNX graph', async () => {
    for (const id of [4, -1]) {
      const r = await post('/v1/models/embedding:predict', { instances: [{ numeric: [1, 2, 3], category: id }] });
      assert.equal(r.statusCode, 400);
      assert.equal(r.headers['x-modelgate-error'], 'MG313', r.body);
      assert.match(
        r.json().error,
        new RegExp(
          `category \\(feature "category"\\) is ${id}, out of range: it takes whole numbers from 0 to 3 \\(the model looks it up in a table of 4 rows`,
        ),
      );
    }
    const meta = (await get('/v2/models/embedding')).json();
    assert.deepEqual(meta.modelgate.inputs.find((i: { name: string }) => i.name === 'category').range, {
      min: 0,
      max: 3,
      why: 'the model looks it up in a table of 4 rows, Gather',
    });
    // where the graph computes its table, nothing bounds the id before the model: onnxruntime's refusal is still a 400 for that request only
    const opaque = await post('/v1/models/lookup:predict', { instances: [{ numeric: [1, 2, 3], category: 4 }] });
    assert.equal(opaque.statusCode, 400);
    assert.equal(opaque.headers['x-modelgate-error'], 'MG332');
  });

  test('an integer beyond the input dtype is refused; an unknown extra key is named', async () => {
    const big = await post('/v2/models/lookup/infer', {
      inputs: [
        { name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
        { name: 'category', shape: [1, 1], datatype: 'FP64', data: [2 ** 60] },
      ],
    });
    assert.equal(big.statusCode, 400);
    assert.match(
      big.json().error,
      /is 1152921504606847000, out of range: it takes whole numbers from -9007199254740991 to 9007199254740991 \(input "category" is int64\)/,
    );
    const extraInput = await post('/v1/models/two-inputs:predict', { instances: [{ ...two('red'), colour: 'red' }] });
    assert.equal(extraInput.statusCode, 400);
    assert.match(extraInput.json().error, /instances\[0\] has unknown key\(s\) "colour"/);
    const extraFeature = await post('/v1/models/two-inputs:classify', { examples: [{ x1: 1, x2: 2, x3: 3, color: 'red', x4: 0 }] });
    assert.equal(extraFeature.statusCode, 400);
    assert.match(extraFeature.json().error, /examples\[0\] has unknown feature\(s\) "x4"/);
  });
});

describe('metadata advertises what infer accepts (inference_rest.md "Model Metadata"; api_rest.md "Model Metadata API")', () => {
  test('an input fed by a one-hot string column is BYTES in v2 and DT_STRING in v1', async () => {
    const v2 = (await get('/v2/models/two-inputs')).json();
    assert.deepEqual(v2.inputs, [
      { name: 'numeric', datatype: 'FP32', shape: [-1, 3] },
      { name: 'color', datatype: 'BYTES', shape: [-1, 1] },
    ]);
    const v1 = (await get('/v1/models/two-inputs/metadata')).json();
    const inputs = v1.metadata.signature_def.signature_def.serving_default.inputs;
    assert.equal(inputs.color.dtype, 'DT_STRING');
    assert.equal(inputs.numeric.dtype, 'DT_FLOAT');
    // and infer takes what metadata says: BYTES for color
    const r = await post('/v2/models/two-inputs/infer', {
      inputs: [
        { name: 'numeric', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] },
        { name: 'color', shape: [1, 1], datatype: 'BYTES', data: ['red'] },
      ],
    });
    assert.equal(r.statusCode, 200, r.body);
  });

  test('v2 parameters hold only strings, numbers and booleans (the protocol\'s $parameters); the rest is under "modelgate"', async () => {
    for (const name of ['breast-cancer', 'two-inputs', 'embedding']) {
      const meta = (await get(`/v2/models/${name}`)).json();
      for (const [k, v] of Object.entries(meta.parameters))
        assert.ok(['string', 'number', 'boolean'].includes(typeof v), `${name}: parameters.${k} is ${JSON.stringify(v)}`);
      assert.equal(meta.parameters.version, '1.0.0');
      assert.equal(meta.parameters.version_number, '1000000');
      assert.ok(Array.isArray(meta.modelgate.outputs), name);
      assert.equal(meta.modelgate.task, 'classification');
    }
  });

  test('no metadata or listing answer holds an absolute path of the machine', async () => {
    const home = homedir();
    for (const url of ['/v1/models', '/v2/models', '/v1/models/breast-cancer/metadata', '/v2/models/breast-cancer', '/v1/models/two-inputs', '/']) {
      const body = (await get(url)).body;
      assert.ok(!body.includes(root), `${url} shows ${root}`);
      assert.ok(!body.includes(home + '/'), `${url} shows the home directory`);
    }
    const listed = (await get('/v1/models')).json().models.find((m: { name: string }) => m.name === 'breast-cancer');
    assert.equal(listed.versions[0].manifest, 'samples/breast-cancer/model.yaml');
    assert.equal(publicPath('/srv/models/fraud/model.yaml', '/home/me'), '…/fraud/model.yaml');
    assert.equal(
      publicText('cannot read /home/me/work/m/model.onnx or /home/me/.cache/x', '/home/me/work', '/home/me'),
      'cannot read m/model.onnx or ~/.cache/x',
    );
  });
});

describe('both protocols: HTTP', () => {
  test('every error answer has Content-Type application/json exactly (the KServe SDK reads the message only then)', async () => {
    const answers = [
      await post('/v1/models/nope:predict', { instances: [[1]] }),
      await post('/v1/models/breast-cancer:predict', { instances: [[1]] }),
      await post('/v2/models/breast-cancer/infer', { inputs: [] }),
      await app.inject({ method: 'POST', url: '/v2/models/breast-cancer/infer', payload: '{"inputs": [', headers: { 'content-type': 'application/json' } }),
      await get('/v2/models/nope'),
      await get('/nowhere'),
      await get('/v1/models/breast-cancer:predict'),
      await app.inject({ method: 'DELETE', url: '/metrics' }),
    ];
    for (const r of answers) {
      assert.ok(r.statusCode >= 400, `${r.statusCode} ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/json', r.body);
      assert.equal(typeof r.json().error, 'string');
    }
    // and the answers that succeed say the same
    assert.equal((await get('/v2/models/breast-cancer')).headers['content-type'], 'application/json');
    assert.equal((await post('/v1/models/breast-cancer:predict', { instances: [bcRow()] })).headers['content-type'], 'application/json');
  });

  test('a gzip or deflate body is decoded (tritonclient request_compression_algorithm); an unknown encoding is 415; a broken one is 400', async () => {
    const body = JSON.stringify({ instances: [bcRow()] });
    const plain = await post('/v1/models/breast-cancer:predict', body, { 'content-type': 'application/json' });
    for (const [encoding, payload] of [
      ['gzip', gzipSync(body)],
      ['deflate', deflateSync(body)],
    ] as const) {
      const r = await app.inject({
        method: 'POST',
        url: '/v1/models/breast-cancer:predict',
        payload,
        headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      });
      assert.equal(r.statusCode, 200, `${encoding}: ${r.body}`);
      assert.equal(r.body, plain.body);
    }
    const unknown = await app.inject({ method: 'POST', url: '/v2/models/breast-cancer/infer', payload: body, headers: { 'content-encoding': 'compress' } });
    assert.equal(unknown.statusCode, 415);
    assert.equal(unknown.headers['x-modelgate-error'], 'MG348');
    assert.match(unknown.json().error, /unsupported Content-Encoding "compress"; send the body as is, or compressed with gzip or deflate/);
    const broken = await app.inject({ method: 'POST', url: '/v1/models/breast-cancer:predict', payload: body, headers: { 'content-encoding': 'gzip' } });
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.headers['x-modelgate-error'], 'MG348');
    assert.match(broken.json().error, /not valid data of its Content-Encoding; check that Content-Encoding says how the body was compressed/);
  });

  test('a decompression bomb is refused at the body limit with 413, before it is decompressed whole', async () => {
    const t = await testApp([sample('breast-cancer')], { bodyLimit: 1024 * 1024 });
    try {
      // 64 MB of spaces inside a JSON body: 64 KB on the wire
      const bomb = gzipSync(Buffer.concat([Buffer.from('{"instances": [['), Buffer.alloc(64 * 1024 * 1024, 0x20), Buffer.from('1]]}')]));
      assert.ok(bomb.length < 128 * 1024);
      const before = process.memoryUsage().rss;
      const r = await t.app.inject({ method: 'POST', url: '/v1/models/breast-cancer:predict', payload: bomb, headers: { 'content-encoding': 'gzip' } });
      assert.equal(r.statusCode, 413);
      assert.match(r.json().error, /larger than the 1 MB limit/);
      assert.ok(process.memoryUsage().rss - before < 48 * 1024 * 1024, 'the bomb was not decompressed whole');
    } finally {
      await t.close();
    }
  });

  test('a wrong method on a known path is 405 with Allow; an unknown verb stays 404', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/v1/models/breast-cancer:predict', 'POST'],
      ['GET', '/v1/models/breast-cancer/versions/1.0.0:classify', 'POST'],
      ['POST', '/v1/models/breast-cancer', 'GET, HEAD'],
      ['PUT', '/v1/models/breast-cancer/metadata', 'GET, HEAD'],
      ['GET', '/v2/models/breast-cancer/infer', 'POST'],
      ['POST', '/v2/models/breast-cancer', 'GET, HEAD'],
      ['POST', '/v2/health/ready', 'GET, HEAD'],
      ['DELETE', '/metrics', 'GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await app.inject({ method: method as 'GET', url });
      assert.equal(r.statusCode, 405, `${method} ${url}: ${r.body}`);
      assert.equal(r.headers.allow, allow, `${method} ${url}`);
      assert.equal(r.headers['x-modelgate-error'], 'MG347');
      assert.match(r.json().error, new RegExp(`${method} is not allowed on ${url.replace(/[.]/g, '\\.')}; this endpoint answers ${allow}`));
    }
    const verb = await post('/v1/models/breast-cancer:explain', {});
    assert.equal(verb.statusCode, 404);
    assert.match(verb.json().error, /no v1 endpoint POST \/v1\/models\/breast-cancer:explain/);
  });
});

describe('requests as clients build them', () => {
  test('tritonclient: binary FP32 input, binary output, gzip body (extension_binary_data.md "HTTP/REST")', async () => {
    const row = new Float32Array(bcRow() as number[]);
    const header = Buffer.from(
      JSON.stringify({
        inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', parameters: { binary_data_size: row.byteLength } }],
        outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
      }),
    );
    const body = Buffer.concat([header, Buffer.from(row.buffer)]);
    const r = await app.inject({
      method: 'POST',
      url: '/v2/models/breast-cancer/infer',
      payload: gzipSync(body),
      headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip', 'inference-header-content-length': String(header.length) },
    });
    assert.equal(r.statusCode, 200, r.body);
    const headLength = Number(r.headers['inference-header-content-length']);
    const json = JSON.parse(r.rawPayload.subarray(0, headLength).toString('utf8'));
    assert.equal(json.outputs[0].name, 'probabilities');
    assert.equal(json.outputs[0].parameters.binary_data_size, 8);
    const probs = new Float32Array(r.rawPayload.buffer.slice(r.rawPayload.byteOffset + headLength, r.rawPayload.byteOffset + headLength + 8));
    assert.ok(Math.abs(probs[0]! + probs[1]! - 1) < 1e-5);
  });

  test('KServe Python SDK InferRequest.to_rest(): id, parameters, typed inputs; error messages readable', async () => {
    const request = {
      id: 'kserve-1',
      parameters: { content_type: 'pd' },
      inputs: [
        { name: 'numeric', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] },
        { name: 'color', shape: [2, 1], datatype: 'BYTES', data: ['red', 'blue'] },
      ],
    };
    const r = await post('/v2/models/two-inputs/infer', request);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().id, 'kserve-1');
    assert.equal(r.json().model_version, '1.0.0');
    const bad = await post('/v2/models/two-inputs/infer', { ...request, inputs: [request.inputs[0]] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers['content-type'], 'application/json');
    assert.match(bad.json().error, /missing input\(s\) color/);
  });

  test('the Open Inference Protocol\'s own infer example shape (inference_rest.md "Inference Request Examples")', async () => {
    const r = await post('/v2/models/embedding/infer', {
      id: '42',
      inputs: [
        { name: 'numeric', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6] },
        { name: 'category', shape: [2, 1], datatype: 'INT64', data: [[0], [3]] },
      ],
      outputs: [{ name: 'probabilities' }],
    });
    assert.equal(r.statusCode, 200, r.body);
    const out = r.json();
    assert.equal(out.id, '42');
    assert.deepEqual(
      out.outputs.map((o: { name: string; shape: number[] }) => [o.name, o.shape]),
      [['probabilities', [2, 3]]],
    );
  });
});

// The admin API through app.inject: authentication, and load / activate /
// canary / rollback / unload with a local "pull" that copies the sample.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/serving/app';
import { ModelLifecycle } from '../../../server/serving/lifecycle';
import { ServingMetrics } from '../../../server/serving/metrics';
import { ModelRepository } from '../../../server/serving/repository';
import { AdminToken, readTokenFile } from '../../../server/serving/admin/adminToken';
import { TrafficTable } from '../../../server/serving/admin/trafficTable';
import { root, sample } from './helpers';

const quiet = { info() {}, warn() {}, error() {} };
const TOKEN = 'unit-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

let app: FastifyInstance;
let plain: FastifyInstance;
let lifecycle: ModelLifecycle;
let tmp: string;
let draws: number[] = [];

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mg-admin-unit-'));
  const repository = new ModelRepository();
  const metrics = new ServingMetrics({ defaultMetrics: false });
  metrics.setSources(() => repository.all());
  lifecycle = new ModelLifecycle(repository, { metrics, maxInstancesPerRequest: 1000 }, quiet);
  await lifecycle.loadAll([sample('breast-cancer')]);
  const traffic = new TrafficTable(() => draws.shift() ?? 0.5);
  repository.traffic = traffic;
  // "oci://local/<version>" → a copy of the sample with that metadata.version
  const pull = async (reference: string, dir: string) => {
    const version = /^oci:\/\/local\/(.+)$/.exec(reference)?.[1];
    if (!version) throw new Error(`unknown reference ${reference}`);
    await cp(resolve(root, 'samples/breast-cancer'), dir, { recursive: true });
    const yaml = await readFile(join(dir, 'model.yaml'), 'utf8');
    await writeFile(join(dir, 'model.yaml'), yaml.replace(/^(\s+version:) 1\.0\.0$/m, `$1 ${version}`));
    return { dir, reference, digest: 'sha256:' + '0'.repeat(64) };
  };
  const core = { repository, metrics, serverName: 'modelgate', serverVersion: 'test', ready: () => true };
  app = buildApp(core, { admin: { token: new AdminToken(TOKEN), traffic, pull, cacheDir: tmp, lifecycle: () => lifecycle } });
  await app.ready();
  plain = buildApp({ ...core, metrics: new ServingMetrics({ defaultMetrics: false }) });
  await plain.ready();
});

after(async () => {
  await app.close();
  await plain.close();
  await lifecycle.close();
  await rm(tmp, { recursive: true, force: true });
});

const models = async () => (await app.inject({ method: 'GET', url: '/admin/models', headers: auth })).json().models as any[];
const predictVersion = async () => {
  const r = await app.inject({ method: 'POST', url: '/v1/models/breast-cancer:predict', payload: { instances: [new Array(30).fill(1)] } });
  assert.equal(r.statusCode, 200, r.body);
  return r;
};

test('without admin options the /admin routes do not exist', async () => {
  const r = await plain.inject({ method: 'GET', url: '/admin/models', headers: auth });
  assert.equal(r.statusCode, 404);
});

test('missing header, wrong scheme and wrong token → 401 with a hint; right token → 200', async () => {
  const missing = await app.inject({ method: 'GET', url: '/admin/models' });
  assert.equal(missing.statusCode, 401);
  assert.match(missing.json().error, /Authorization: Bearer/);
  assert.equal(missing.headers['www-authenticate'], 'Bearer realm="modelgate-admin"');
  const basic = await app.inject({ method: 'GET', url: '/admin/models', headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
  assert.equal(basic.statusCode, 401);
  assert.match(basic.json().error, /Bearer scheme/);
  const wrong = await app.inject({ method: 'GET', url: '/admin/models', headers: { authorization: `Bearer ${TOKEN}x` } });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.json().error, /token is wrong/);
  const hidden = await app.inject({ method: 'GET', url: '/admin/unknown' });
  assert.equal(hidden.statusCode, 401, 'unknown admin paths are behind the token too');
  const unknown = await app.inject({ method: 'GET', url: '/admin/unknown', headers: auth });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.json().error, /no admin endpoint GET \/admin\/unknown/);
  const ok = await app.inject({ method: 'GET', url: '/admin/models', headers: auth });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().models[0].name, 'breast-cancer');
});

test('a refused mutation changes nothing', async () => {
  const r = await app.inject({
    method: 'POST',
    url: '/admin/models/breast-cancer/load',
    headers: { authorization: 'Bearer nope' },
    payload: { reference: 'oci://local/9.0.0' },
  });
  assert.equal(r.statusCode, 401);
  assert.deepEqual(
    (await models())[0].versions.map((v: any) => v.version),
    ['1.0.0'],
  );
});

test('load adds a version without moving traffic; canary splits; rollback restores', async () => {
  const load = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/load', headers: auth, payload: { reference: 'oci://local/2.0.0' } });
  assert.equal(load.statusCode, 201, load.body);
  assert.equal(load.json().loaded.version, '2.0.0');
  const m = (await models())[0];
  assert.deepEqual(
    m.versions.map((v: any) => v.version),
    ['2.0.0', '1.0.0'],
  );
  assert.equal(m.defaultVersion, '1.0.0');
  assert.deepEqual(m.traffic.weights, { '2.0.0': 0, '1.0.0': 100 });
  assert.equal((await predictVersion()).json().model_version ?? '1.0.0', '1.0.0');

  const dup = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/load', headers: auth, payload: { reference: 'oci://local/2.0.0' } });
  assert.equal(dup.statusCode, 409);

  const c = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/canary', headers: auth, payload: { version: '2.0.0', weight: 10 } });
  assert.equal(c.statusCode, 200, c.body);
  assert.deepEqual(c.json().model.traffic.weights, { '2.0.0': 10, '1.0.0': 90 });

  // draws below 0.1 go to the canary: two requests → one each
  draws = [0.05, 0.5];
  await predictVersion();
  await predictVersion();
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /modelgate_requests_total\{model="breast-cancer",version="2.0.0",protocol="v1",status="200"\} 1\b/);
  assert.match(metrics, /modelgate_traffic_weight\{model="breast-cancer",version="2.0.0"\} 10\b/);
  assert.match(metrics, /modelgate_traffic_weight\{model="breast-cancer",version="1.0.0"\} 90\b/);

  // a named version is served exactly, whatever the split says
  draws = [0.99];
  const named = await app.inject({ method: 'POST', url: '/v1/models/breast-cancer/versions/2.0.0:predict', payload: { instances: [new Array(30).fill(1)] } });
  assert.equal(named.statusCode, 200);

  const del = await app.inject({ method: 'DELETE', url: '/admin/models/breast-cancer/versions/2.0.0', headers: auth });
  assert.equal(del.statusCode, 409, 'the canary with weight > 0 cannot be unloaded');

  const rb = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/rollback', headers: auth });
  assert.equal(rb.statusCode, 200, rb.body);
  assert.deepEqual(rb.json().rolledBack, { from: '2.0.0', to: '1.0.0' });
  assert.deepEqual(rb.json().model.traffic.weights, { '2.0.0': 0, '1.0.0': 100 });
});

test('activate moves all traffic; rollback returns to the previous default; the default cannot be unloaded', async () => {
  const a = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/activate', headers: auth, payload: { version: '2.0.0' } });
  assert.equal(a.statusCode, 200, a.body);
  assert.equal(a.json().model.defaultVersion, '2.0.0');
  const refuse = await app.inject({ method: 'DELETE', url: '/admin/models/breast-cancer/versions/2.0.0', headers: auth });
  assert.equal(refuse.statusCode, 409);
  assert.match(refuse.json().error, /activate another version first/);
  const rb = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/rollback', headers: auth });
  assert.deepEqual(rb.json().rolledBack, { from: '2.0.0', to: '1.0.0' });
  const del = await app.inject({ method: 'DELETE', url: '/admin/models/breast-cancer/versions/2.0.0', headers: auth });
  assert.equal(del.statusCode, 200, del.body);
  assert.deepEqual(
    (await models())[0].versions.map((v: any) => v.version),
    ['1.0.0'],
  );
  const none = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/rollback', headers: auth });
  assert.equal(none.statusCode, 409);
  assert.match(none.json().error, /no earlier version to roll back to/);
  assert.equal((await models())[0].defaultVersion, '1.0.0');
});

test('bad requests: unknown version, weight out of range, pull failure, wrong model name', async () => {
  const unknown = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/activate', headers: auth, payload: { version: '7.0.0' } });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.json().error, /no loaded version 7\.0\.0/);
  const weight = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/canary', headers: auth, payload: { version: '1.0.0', weight: 150 } });
  assert.equal(weight.statusCode, 400);
  const pull = await app.inject({ method: 'POST', url: '/admin/models/breast-cancer/load', headers: auth, payload: { reference: 'oci://elsewhere/x' } });
  assert.equal(pull.statusCode, 422);
  assert.match(pull.json().error, /cannot pull oci:\/\/elsewhere\/x/);
  const other = await app.inject({ method: 'POST', url: '/admin/models/digits/load', headers: auth, payload: { reference: 'oci://local/3.0.0' } });
  assert.equal(other.statusCode, 409);
  assert.match(other.json().error, /holds model "breast-cancer"/);
  assert.deepEqual(
    (await models()).map((m) => m.name),
    ['breast-cancer'],
  );
});

test('readTokenFile: trims, refuses an empty file, warns when others can read it', async () => {
  const f = join(tmp, 'token');
  await writeFile(f, '  abc123\n', { mode: 0o600 });
  const warnings: string[] = [];
  assert.equal(await readTokenFile(f, (m) => warnings.push(m)), 'abc123');
  assert.equal(warnings.length, 0);
  await chmod(f, 0o644);
  await readTokenFile(f, (m) => warnings.push(m));
  assert.match(warnings[0] ?? '', /chmod 600/);
  await writeFile(f, '\n');
  await assert.rejects(readTokenFile(f), /is empty/);
  await assert.rejects(readTokenFile(join(tmp, 'missing')), /cannot read the admin token file/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedManifest } from '../../../server/manifest/load';
import { checkRemoteUrl, resolveRemote } from '../../../server/pipeline/remote';

const manifest = (deploy: Record<string, unknown> | undefined) =>
  ({ path: '/m/model.yaml', dir: '/m', manifest: { metadata: { name: 'm', version: '1.0.0' }, deploy } }) as unknown as LoadedManifest;

test('checkRemoteUrl: https anywhere, http only to loopback', () => {
  assert.equal(checkRemoteUrl('https://node.example.com:8500', 'x').host, 'node.example.com:8500');
  assert.equal(checkRemoteUrl('http://127.0.0.1:8500', 'x').port, '8500');
  assert.equal(checkRemoteUrl('http://localhost:1', 'x').hostname, 'localhost');
  assert.equal(checkRemoteUrl('http://[::1]:1', 'x').hostname, '[::1]');
  assert.throws(() => checkRemoteUrl('http://node.example.com', '--remote'), /--remote: .* must use https/);
  assert.throws(() => checkRemoteUrl('ftp://127.0.0.1', '--remote'), /must use https/);
  assert.throws(() => checkRemoteUrl('node:8500', '--remote'), /must use https|not a URL/);
  assert.throws(() => checkRemoteUrl('not a url', 'deploy.remote'), /deploy.remote: "not a url" is not a URL/);
});

test('resolveRemote: nothing without a URL; token from option, file, then env; canary only for 1–99', async () => {
  assert.equal(await resolveRemote(manifest(undefined), {}), undefined);
  assert.equal(await resolveRemote(manifest({ oci: 'x' }), { env: { MODELGATE_ADMIN_TOKEN: 't' } }), undefined);
  await assert.rejects(
    resolveRemote(manifest({ remote: 'https://n' }), { env: {} }),
    /needs the node's admin token: set MODELGATE_ADMIN_TOKEN or pass --admin-token-file/,
  );
  const fromEnv = await resolveRemote(manifest({ remote: 'https://n', canaryPercent: 10 }), { env: { MODELGATE_ADMIN_TOKEN: ' env-token\n' } });
  assert.equal(fromEnv?.token, 'env-token');
  assert.equal(fromEnv?.canaryPercent, 10);
  assert.equal(fromEnv?.url.hostname, 'n');
  const flagWins = await resolveRemote(manifest({ remote: 'https://n' }), {
    remote: 'http://127.0.0.1:9',
    adminToken: 'opt',
    env: { MODELGATE_ADMIN_TOKEN: 'env' },
  });
  assert.equal(flagWins?.url.port, '9');
  assert.equal(flagWins?.token, 'opt');
  assert.equal(flagWins?.canaryPercent, undefined, 'no canaryPercent: activate');
  const full = await resolveRemote(manifest({ remote: 'https://n', canaryPercent: 100 }), { env: { MODELGATE_ADMIN_TOKEN: 't' } });
  assert.equal(full?.canaryPercent, undefined, '100 % is an activation');
  await assert.rejects(resolveRemote(manifest({ remote: 'https://n', canaryPercent: 120 }), { env: { MODELGATE_ADMIN_TOKEN: 't' } }), /canaryPercent 120/);
  await assert.rejects(
    resolveRemote(manifest({ remote: 'http://10.0.0.5:8500' }), { env: { MODELGATE_ADMIN_TOKEN: 't' } }),
    /\/m\/model.yaml: deploy.remote: .* must use https/,
  );
  const dir = await mkdtemp(join(tmpdir(), 'mg-remote-unit-'));
  try {
    await writeFile(join(dir, 'tok'), 'file-token\n');
    assert.equal(
      (await resolveRemote(manifest({ remote: 'https://n' }), { adminTokenFile: join(dir, 'tok'), env: { MODELGATE_ADMIN_TOKEN: 'env' } }))?.token,
      'file-token',
    );
    await writeFile(join(dir, 'empty'), '\n');
    await assert.rejects(resolveRemote(manifest({ remote: 'https://n' }), { adminTokenFile: join(dir, 'empty'), env: {} }), /is empty/);
    await assert.rejects(resolveRemote(manifest({ remote: 'https://n' }), { adminTokenFile: join(dir, 'nope'), env: {} }), /--admin-token-file .*nope/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

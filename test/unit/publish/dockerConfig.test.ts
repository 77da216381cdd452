import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { defaultCredentials } from '../../../server/publish/credentials';
import { decodeAuthField, dockerCredentials, normaliseRegistryKey } from '../../../server/publish/dockerConfig';

function withConfig(config: unknown, helpers: Record<string, string> = {}): { dir: string; env: NodeJS.ProcessEnv; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mg-dockercfg-'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  // real executables on PATH, spawned the way docker spawns credential helpers
  for (const [name, script] of Object.entries(helpers)) {
    const p = join(dir, `docker-credential-${name}`);
    writeFileSync(p, `#!/bin/sh\n${script}\n`);
    chmodSync(p, 0o755);
  }
  const env = { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`, DOCKER_CONFIG: dir };
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

test('registry keys are compared without scheme and path; Docker Hub aliases are one registry', () => {
  assert.equal(normaliseRegistryKey('https://index.docker.io/v1/'), 'docker.io');
  assert.equal(normaliseRegistryKey('registry-1.docker.io'), 'docker.io');
  assert.equal(normaliseRegistryKey('http://127.0.0.1:5000/'), '127.0.0.1:5000');
  assert.equal(normaliseRegistryKey('GHCR.io'), 'ghcr.io');
});

test('auths: the base64 auth field decodes to user and password (the password may contain colons)', async () => {
  assert.deepEqual(decodeAuthField(b64('alice:pa:ss')), { username: 'alice', password: 'pa:ss' });
  const c = withConfig({ auths: { 'https://127.0.0.1:5000/v2/': { auth: b64('alice:s3cret') }, 'ghcr.io': { username: 'bob', password: 'pw' } } });
  try {
    const a = await dockerCredentials('127.0.0.1:5000', { env: c.env });
    assert.equal(a?.username, 'alice');
    assert.equal(a?.password, 's3cret');
    assert.match(a?.source ?? '', /config\.json/);
    assert.equal((await dockerCredentials('ghcr.io', { env: c.env }))?.username, 'bob');
    assert.equal(await dockerCredentials('quay.io', { env: c.env }), undefined);
  } finally {
    c.cleanup();
  }
});

test('credHelpers: the per-host helper is spawned with the server on stdin', async () => {
  const c = withConfig(
    { credHelpers: { 'ghcr.io': 'fake' }, auths: { 'ghcr.io': { auth: b64('fromauths:x') } } },
    {
      fake: 'read server; [ "$1" = get ] || exit 3; printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret-for-%s"}\' "$server" "$server"',
    },
  );
  try {
    const a = await dockerCredentials('ghcr.io', { env: c.env });
    assert.deepEqual([a?.username, a?.password, a?.source], ['helper-user', 'helper-secret-for-ghcr.io', 'docker-credential-fake']);
  } finally {
    c.cleanup();
  }
});

test('credsStore: used for every host; "credentials not found" falls back to auths', async () => {
  const c = withConfig(
    { credsStore: 'store', auths: { 'quay.io': { auth: b64('q:w') } } },
    {
      store:
        'read server; if [ "$server" = "ghcr.io" ]; then echo \'{"Username":"u","Secret":"s"}\'; else echo "credentials not found in native keychain"; exit 1; fi',
    },
  );
  try {
    assert.equal((await dockerCredentials('ghcr.io', { env: c.env }))?.password, 's');
    assert.deepEqual([(await dockerCredentials('quay.io', { env: c.env }))?.username], ['q']);
  } finally {
    c.cleanup();
  }
});

test('a helper that is not installed means no credentials from it, not a crash', async () => {
  const c = withConfig({ credHelpers: { 'ghcr.io': 'not-installed-anywhere' }, auths: { 'ghcr.io': { auth: b64('x:y') } } });
  try {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    assert.equal((await dockerCredentials('ghcr.io', { env: c.env }))?.username, 'x');
    // nothing left behind that would keep `modelgate publish` from exiting
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, timersBefore);
  } finally {
    c.cleanup();
  }
});

test('a failing helper is an error that names the helper and how to fix it', async () => {
  const c = withConfig({ credHelpers: { 'ghcr.io': 'broken' } }, { broken: 'echo "keychain locked" >&2; exit 2' });
  try {
    await assert.rejects(dockerCredentials('ghcr.io', { env: c.env }), /docker-credential-broken exited with code 2: keychain locked.*docker login/);
  } finally {
    c.cleanup();
  }
});

test('an identity token becomes the <token> user (OAuth2 refresh-token grant)', async () => {
  const c = withConfig({ auths: { 'example.com': { identitytoken: 'refresh-me' } } });
  try {
    assert.deepEqual([(await dockerCredentials('example.com', { env: c.env }))?.username], ['<token>']);
  } finally {
    c.cleanup();
  }
});

test('invalid config.json is reported with its path', async () => {
  const c = withConfig('{ not json');
  try {
    await assert.rejects(
      dockerCredentials('ghcr.io', { env: c.env }),
      (e: Error) => e.message.includes(join(c.dir, 'config.json')) && /not valid JSON/.test(e.message),
    );
  } finally {
    c.cleanup();
  }
});

test('precedence: injected provider, then MODELGATE_REGISTRY_* env, then docker config', async () => {
  const c = withConfig({ auths: { 'ghcr.io': { auth: b64('docker:d') } } });
  try {
    const env = { ...c.env, MODELGATE_REGISTRY_USERNAME: 'envuser', MODELGATE_REGISTRY_PASSWORD: 'envpass' };
    assert.equal((await defaultCredentials(undefined, { env })('ghcr.io'))?.username, 'envuser');
    assert.equal((await defaultCredentials(async () => ({ username: 'editor', password: 'p' }), { env })('ghcr.io'))?.username, 'editor');
    assert.equal((await defaultCredentials(async () => undefined, { env: c.env })('ghcr.io'))?.username, 'docker');
    assert.equal(await defaultCredentials(undefined, { env: { DOCKER_CONFIG: join(c.dir, 'none') } })('ghcr.io'), undefined);
  } finally {
    c.cleanup();
  }
});

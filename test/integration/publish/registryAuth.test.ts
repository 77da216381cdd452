// Authentication against the real docker-registry: htpasswd Basic auth,
// and `auth: token` with an RS256 token service (the Bearer flow of GHCR
// and Docker Hub). Credentials come from the caller, from
// MODELGATE_REGISTRY_* and from Docker's config.json.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { digestOf } from '../../../server/publish/digest';
import { listVersions } from '../../../server/publish/listVersions';
import { publishModel } from '../../../server/publish/publishModel';
import { pullModel } from '../../../server/publish/pullModel';
import { RegistryError } from '../../../server/publish/registryErrors';
import { requireTool, skopeoRaw, startRegistry, type RunningRegistry } from '../../helpers/registry';
import { runCli } from '../../unit/publish/cliHarness';
import { copySample, makeModelFixture, randomName, report } from '../../unit/publish/modelFixture';

const haveTools = requireTool('docker-registry') && requireTool('skopeo') && requireTool('htpasswd') && requireTool('openssl');
const fast = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 };

for (const mode of ['htpasswd', 'token'] as const) {
  describe(`docker-registry with ${mode === 'htpasswd' ? 'htpasswd Basic' : 'token (Bearer, RS256 JWT)'} auth`, () => {
    let reg: RunningRegistry;
    let work: string;
    // no stray credentials from the machine running the tests
    const isolated: Record<string, string | null> = { DOCKER_CONFIG: '', MODELGATE_REGISTRY_USERNAME: null, MODELGATE_REGISTRY_PASSWORD: null };

    before(async () => {
      if (!haveTools) return;
      reg = await startRegistry({ auth: mode });
      work = mkdtempSync(join(tmpdir(), `mg-auth-${mode}-`));
      isolated.DOCKER_CONFIG = join(work, 'no-docker-config');
      process.env.DOCKER_CONFIG = isolated.DOCKER_CONFIG;
      delete process.env.MODELGATE_REGISTRY_USERNAME;
      delete process.env.MODELGATE_REGISTRY_PASSWORD;
    });
    after(async () => {
      await reg?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('anonymous: 401 with how to log in, and nothing is published', async (t) => {
      if (!haveTools) return t.skip('docker-registry, skopeo, htpasswd or openssl not installed');
      const f = makeModelFixture({ name: randomName() });
      try {
        await assert.rejects(publishModel({ loaded: await f.load(), target: reg.ref('ml/anon'), gated: false, retry: fast }), (e: unknown) => {
          assert.ok(e instanceof RegistryError, String(e));
          assert.equal(e.status, 401);
          assert.match(e.message, new RegExp(`docker login ${reg.host.replace(/\./g, '\\.')}`));
          assert.match(e.message, /MODELGATE_REGISTRY_USERNAME\/MODELGATE_REGISTRY_PASSWORD/);
          return true;
        });
      } finally {
        f.cleanup();
      }
    });

    test('wrong password: a clear 401 naming where the credentials came from, never the password', async (t) => {
      if (!haveTools) return t.skip('docker-registry, skopeo, htpasswd or openssl not installed');
      const f = makeModelFixture({ name: randomName() });
      try {
        await assert.rejects(
          publishModel({
            loaded: await f.load(),
            target: reg.ref('ml/wrong'),
            gated: false,
            retry: fast,
            credentials: { username: reg.username, password: 'not-the-password-xyz' },
          }),
          (e: unknown) => {
            assert.ok(e instanceof RegistryError, String(e));
            assert.equal(e.status, 401);
            assert.match(e.message, /rejected the credentials from the caller/);
            assert.doesNotMatch(e.message, /not-the-password-xyz/);
            return true;
          },
        );
      } finally {
        f.cleanup();
      }
    });

    test('right credentials: publish, list, pull; skopeo with --creds reads the same manifest', async (t) => {
      if (!haveTools) return t.skip('docker-registry, skopeo, htpasswd or openssl not installed');
      const f = makeModelFixture({ name: randomName() });
      try {
        const loaded = await f.load();
        const repo = `ml/${loaded.manifest.metadata.name}`;
        const credentials = async () => ({ username: reg.username, password: reg.password });
        const r = await publishModel({
          loaded,
          target: reg.ref(repo),
          gated: true,
          report: { json: f.passingReport },
          tags: ['stable'],
          retry: fast,
          credentials,
        });
        assert.deepEqual(
          (await listVersions(reg.ref(repo), { credentials, retry: fast })).versions.map((v) => v.tag),
          ['1.2.3', 'stable'],
        );
        await pullModel(r.reference, join(work, 'pulled'), { credentials, retry: fast });
        assert.deepEqual(readFileSync(join(work, 'pulled', 'model.onnx')), readFileSync(f.modelPath));
        const raw = await skopeoRaw([
          'inspect',
          '--raw',
          '--tls-verify=false',
          '--creds',
          `${reg.username}:${reg.password}`,
          `docker://${reg.host}/${repo}:1.2.3`,
        ]);
        assert.equal(digestOf(raw), r.digest);
        if (mode === 'token') {
          const seen = reg.tokenService!.requests.filter((q) => q.authorized);
          assert.ok(
            seen.some((q) => q.scopes.includes(`repository:${repo}:pull,push`)),
            'push token asked with pull,push scope',
          );
          assert.ok(seen.some((q) => q.account === reg.username));
        }
      } finally {
        f.cleanup();
      }
    });

    test('CLI: credentials from Docker config.json publish (exit 0); a wrong MODELGATE_REGISTRY_PASSWORD fails with exit 2 and a 401 message', async (t) => {
      if (!haveTools) return t.skip('docker-registry, skopeo, htpasswd or openssl not installed');
      const sample = copySample('breast-cancer');
      try {
        const manifest = join(sample.dir, 'model.yaml');
        const meta = (parse(readFileSync(manifest, 'utf8')) as { metadata: { name: string; version: string } }).metadata;
        const reportPath = join(sample.dir, 'report.json');
        writeFileSync(reportPath, report(true, meta));
        const dockerDir = join(work, 'docker');
        mkdirSync(dockerDir, { recursive: true });
        writeFileSync(
          join(dockerDir, 'config.json'),
          JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${reg.username}:${reg.password}`).toString('base64') } } }),
        );
        const target = reg.ref(`cli/${meta.name}`);
        const [ok, bad, good] = await runCli([
          { args: ['publish', manifest, '--to', target, '--report', reportPath], env: { ...isolated, DOCKER_CONFIG: dockerDir } },
          { args: ['versions', target], env: { ...isolated, MODELGATE_REGISTRY_USERNAME: reg.username, MODELGATE_REGISTRY_PASSWORD: 'wrong-password-123' } },
          { args: ['versions', target], env: { ...isolated, MODELGATE_REGISTRY_USERNAME: reg.username, MODELGATE_REGISTRY_PASSWORD: reg.password } },
        ]);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, new RegExp(`^${target.replace(/[.:/]/g, '\\$&')}:${meta.version.replace(/\./g, '\\.')}@sha256:[a-f0-9]{64}`));
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /HTTP 401/);
        assert.match(bad.stderr, /MODELGATE_REGISTRY_USERNAME\/PASSWORD/);
        assert.doesNotMatch(bad.stderr + bad.stdout, /wrong-password-123/);
        assert.equal(good.code, 0, good.stderr);
        assert.match(good.stdout, /3\/3 passed\s+gated/);
      } finally {
        sample.cleanup();
      }
    });
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReference, isLoopbackHost, parseReference, versionTag } from '../../../server/publish/reference';

const D = 'sha256:' + 'a'.repeat(64);

test('oci:// references split into registry, repository, tag and digest', () => {
  assert.deepEqual(parseReference('oci://ghcr.io/acme/ml/breast-cancer:1.0.0'), {
    kind: 'registry',
    registry: 'ghcr.io',
    repository: 'acme/ml/breast-cancer',
    tag: '1.0.0',
    plainHttp: false,
  });
  assert.deepEqual(parseReference(`oci://127.0.0.1:5000/ml/x@${D}`), {
    kind: 'registry',
    registry: '127.0.0.1:5000',
    repository: 'ml/x',
    digest: D,
    plainHttp: true,
  });
  const both = parseReference(`oci://[::1]:5000/ml/x:stable@${D}`);
  assert.equal(both.kind === 'registry' && both.registry, '[::1]:5000');
  assert.equal(both.tag, 'stable');
  assert.equal(both.digest, D);
});

test('TLS by default; plain http only for loopback hosts or when asked', () => {
  assert.equal((parseReference('oci://registry.example.com:5000/ml/x') as { plainHttp: boolean }).plainHttp, false);
  assert.equal((parseReference('oci://registry.example.com:5000/ml/x', { plainHttp: true }) as { plainHttp: boolean }).plainHttp, true);
  for (const h of ['localhost:5000', '127.0.0.1', '127.3.4.5:80', '[::1]:5000']) assert.equal(isLoopbackHost(h), true, h);
  for (const h of ['10.0.0.1:5000', '128.0.0.1', 'localhost.example.com', '[::2]:5000', 'ghcr.io']) assert.equal(isLoopbackHost(h), false, h);
});

test('invalid references say what is wrong and give an example', () => {
  assert.throws(() => parseReference('oci://ghcr.io'), /names no repository.*oci:\/\/HOST/);
  assert.throws(() => parseReference('oci://ghcr.io/ML/Upper'), /not a valid repository name/);
  assert.throws(() => parseReference('oci://ghcr.io/ml/x:bad/tag!'), /not a valid repository name|not a valid tag/);
  assert.throws(() => parseReference('oci://ghcr.io/ml/x@sha256:123'), /not a sha256 digest/);
});

test("layout paths, with skopeo's oci: prefix and an optional tag", () => {
  assert.deepEqual(parseReference('out/layout', { cwd: '/w' }), { kind: 'layout', dir: '/w/out/layout' });
  assert.deepEqual(parseReference('oci:/abs/layout:1.0.0'), { kind: 'layout', dir: '/abs/layout', tag: '1.0.0' });
  assert.deepEqual(parseReference(`./l@${D}`, { cwd: '/w' }), { kind: 'layout', dir: '/w/l', digest: D });
});

test('formatReference round-trips and can point at another tag or digest', () => {
  const t = parseReference('oci://127.0.0.1:5000/ml/x');
  assert.equal(formatReference(t, { tag: '1.0.0' }), 'oci://127.0.0.1:5000/ml/x:1.0.0');
  assert.equal(formatReference(t, { digest: D }), `oci://127.0.0.1:5000/ml/x@${D}`);
  assert.equal(formatReference(parseReference('/l:2.0.0')), '/l:2.0.0');
});

test('a semver version becomes a tag; build metadata + becomes _', () => {
  assert.equal(versionTag('1.2.3'), '1.2.3');
  assert.equal(versionTag('1.2.3-rc.1+build.5'), '1.2.3-rc.1_build.5');
  assert.throws(() => versionTag('1.0 beta'), /cannot be an OCI tag.*metadata\.version/);
});

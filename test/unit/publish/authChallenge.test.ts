import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthChallenges } from '../../../server/publish/authChallenge';

test('a Bearer challenge keeps realm, service and a scope that contains commas', () => {
  const [c, ...rest] = parseAuthChallenges(
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:ml/breast-cancer:pull,push"',
  );
  assert.equal(rest.length, 0);
  assert.equal(c!.scheme, 'bearer');
  assert.deepEqual(c!.params, { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:ml/breast-cancer:pull,push' });
});

test('a Basic challenge and the scheme is case-insensitive', () => {
  assert.deepEqual(parseAuthChallenges('basic realm="modelgate-test"'), [{ scheme: 'basic', params: { realm: 'modelgate-test' } }]);
});

test('several challenges in one header are split at the scheme, not at parameter commas', () => {
  const cs = parseAuthChallenges('Basic realm="a, b", Bearer realm="https://t/token", service=reg, error="insufficient_scope"');
  assert.deepEqual(
    cs.map((c) => c.scheme),
    ['basic', 'bearer'],
  );
  assert.equal(cs[0]!.params.realm, 'a, b');
  assert.deepEqual(cs[1]!.params, { realm: 'https://t/token', service: 'reg', error: 'insufficient_scope' });
});

test('escaped quotes inside quoted values and spaces around = are handled', () => {
  const [c] = parseAuthChallenges('Bearer realm = "https://x/t?a=\\"b\\"" , scope="x"');
  assert.equal(c!.params.realm, 'https://x/t?a="b"');
  assert.equal(c!.params.scope, 'x');
});

test('an empty or junk header gives no usable challenge', () => {
  assert.deepEqual(parseAuthChallenges(''), []);
  assert.deepEqual(parseAuthChallenges('realm="x"'), []);
});

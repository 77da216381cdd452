// Kubernetes naming and quantity rules, one test per rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDns1123Label,
  isDns1123Subdomain,
  isInferenceServiceName,
  isLabelValue,
  isQualifiedName,
  isQuantity,
  parseQuantity,
  toLabelValue,
} from '../../../server/publish/kserve';

test('DNS-1123 label: lowercase alphanumerics and "-", alphanumeric ends, at most 63', () => {
  for (const ok of ['models', 'a', 'a-1', '0ab', 'x'.repeat(63)]) assert.equal(isDns1123Label(ok), true, ok);
  for (const bad of ['Models', '-a', 'a-', 'a_b', 'a.b', '', 'x'.repeat(64)]) assert.equal(isDns1123Label(bad), false, bad);
});

test('DNS-1123 subdomain: dot-separated labels, at most 253', () => {
  for (const ok of ['modelgate', 'a.b-c.d', 'kserve-tritonserver', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`]) {
    assert.equal(isDns1123Subdomain(ok), true, ok);
  }
  for (const bad of ['a..b', '.a', 'a.', 'A.b', '', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`]) {
    assert.equal(isDns1123Subdomain(bad), false, bad);
  }
});

test('label and annotation keys: [DNS-subdomain prefix/]name, name at most 63', () => {
  for (const ok of ['app.kubernetes.io/name', 'modelgate.dev/artifact-digest', 'serving.kserve.io/deploymentMode', 'name', 'a_b.c-d', 'x'.repeat(63)]) {
    assert.equal(isQualifiedName(ok), true, ok);
  }
  for (const bad of ['/name', 'Example.com/x', 'a/b/c', 'ex.com/', 'ex.com/-x', 'x'.repeat(64), `ex.com/${'x'.repeat(64)}`, 'a b']) {
    assert.equal(isQualifiedName(bad), false, bad);
  }
});

test('label values: empty, or at most 63 of [A-Za-z0-9-_.] with alphanumeric ends', () => {
  for (const ok of ['', '1.2.0', 'breast-cancer', 'v1_2', 'x'.repeat(63)]) assert.equal(isLabelValue(ok), true, ok);
  for (const bad of ['1.2.0+build', '-a', 'a.', 'a b', 'x'.repeat(64)]) assert.equal(isLabelValue(bad), false, bad);
});

test('toLabelValue turns any text into a valid label value', () => {
  assert.equal(toLabelValue('1.2.0+build.5'), '1.2.0_build.5');
  assert.equal(toLabelValue('+x+'), 'x');
  assert.equal(toLabelValue('1.0.0-rc.1'), '1.0.0-rc.1');
  for (const s of ['a'.repeat(100), '1.2.3+' + 'b'.repeat(70) + '-', '--__..', 'ünïcode', 'x y/z']) {
    assert.equal(isLabelValue(toLabelValue(s)), true, s);
  }
});

test('InferenceService names must start with a letter (KServe IsvcNameFmt)', () => {
  assert.equal(isInferenceServiceName('breast-cancer'), true);
  assert.equal(isInferenceServiceName('m3'), true);
  assert.equal(isInferenceServiceName('3d-model'), false);
  assert.equal(isInferenceServiceName('a'.repeat(64)), false);
});

test('quantity format: the CRD pattern for int-or-string quantities', () => {
  for (const ok of ['1', '500m', '2Gi', '1.5', '.5', '1e3', '+1', '128Mi', '1k', 2]) assert.equal(isQuantity(ok), true, String(ok));
  for (const bad of ['2GB', '1.5.1', 'Gi', '', ' 1', '1 Gi', '1Ki1', 1.5]) assert.equal(isQuantity(bad), false, String(bad));
});

test('parseQuantity gives base units for comparisons', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('2Gi'), 2 * 2 ** 30);
  assert.equal(parseQuantity('128Mi'), 134217728);
  assert.equal(parseQuantity('1k'), 1000);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity(3), 3);
  assert.ok(Number.isNaN(parseQuantity('2GB')));
});

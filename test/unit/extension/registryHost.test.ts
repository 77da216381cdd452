import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryHost, secretKey } from '../../../extension/registryHost';

test('registryHost finds the registry of a repository reference', () => {
  assert.equal(registryHost('ghcr.io/acme/churn'), 'ghcr.io');
  assert.equal(registryHost('oci://Registry.Example.com:8443/a/b'), 'registry.example.com:8443');
  assert.equal(registryHost('localhost:5000/models/x'), 'localhost:5000');
  assert.equal(registryHost('localhost/models'), 'localhost');
});

test('layout paths, bare names and empty targets have no registry', () => {
  assert.equal(registryHost(''), undefined);
  assert.equal(registryHost(undefined), undefined);
  assert.equal(registryHost('./.modelgate/oci'), undefined);
  assert.equal(registryHost('/var/oci/layout'), undefined);
  assert.equal(registryHost('C:\\oci\\layout'), undefined);
  assert.equal(registryHost('acme/churn'), undefined);
  assert.equal(registryHost('ghcr.io'), undefined);
});

test('secrets are keyed per host', () => {
  assert.equal(secretKey('ghcr.io'), 'modelgate.registry.ghcr.io');
});

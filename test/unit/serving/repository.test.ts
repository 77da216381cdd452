import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelRepository } from '../../../server/serving/repository';
import type { Servable } from '../../../server/serving/servable';
import { ServingError } from '../../../server/serving/errors';
import { checkModelName } from '../../../server/serving/modelName';

const fake = (name: string, version: string, labels: string[] = []) =>
  ({
    name,
    version,
    labels,
    state: 'AVAILABLE',
    manifestPath: `/m/${name}-${version}.yaml`,
    task: 'classification',
    loadedAt: new Date(0),
    workerChoice: { workers: 0, reason: 'serving.workers: inline' },
  }) as unknown as Servable;

test('the default version is the highest semantic version, not the last loaded', () => {
  const r = new ModelRepository();
  r.put(fake('m', '1.10.0'));
  r.put(fake('m', '1.2.0'));
  r.put(fake('m', '1.9.9'));
  assert.equal(r.resolve('m').version, '1.10.0');
  assert.deepEqual(
    r.versionsOf('m').map((s) => s.version),
    ['1.10.0', '1.9.9', '1.2.0'],
  );
});

test('labels select versions; a label claimed twice points at the higher version', () => {
  const r = new ModelRepository();
  r.put(fake('m', '1.0.0', ['stable']));
  r.put(fake('m', '2.0.0-rc.1', ['canary', 'stable']));
  assert.equal(r.resolve('m', { label: 'canary' }).version, '2.0.0-rc.1');
  assert.equal(r.resolve('m', { label: 'stable' }).version, '2.0.0-rc.1');
  assert.equal(r.resolve('m').version, '2.0.0-rc.1');
  assert.deepEqual(r.status('m')!.labels, { stable: '2.0.0-rc.1', canary: '2.0.0-rc.1' });
});

test('unknown model, version and label are 404s that list what exists', () => {
  const r = new ModelRepository();
  r.put(fake('m', '1.0.0', ['stable']));
  const is404 = (re: RegExp) => (e: unknown) => e instanceof ServingError && e.statusCode === 404 && re.test(e.message);
  assert.throws(() => r.resolve('x'), is404(/served models: m/));
  assert.throws(() => r.resolve('m', { version: '9.0.0' }), is404(/served versions: 1\.0\.0/));
  assert.throws(() => r.resolve('m', { label: 'canary' }), is404(/stable → 1\.0\.0/));
});

test('put replaces the same version atomically; remove only removes the registered instance', () => {
  const r = new ModelRepository();
  const a = fake('m', '1.0.0');
  const b = fake('m', '1.0.0');
  r.put(a);
  assert.equal(r.put(b), a);
  assert.equal(r.resolve('m'), b);
  r.remove(a);
  assert.equal(r.resolve('m'), b);
  r.remove(b);
  assert.equal(r.has('m'), false);
});

test('model names from URLs are checked before any lookup', () => {
  for (const bad of ['../etc', 'A', 'a/b', '-a', 'a'.repeat(64), 'a..b', '']) {
    assert.throws(
      () => checkModelName(bad),
      (e: unknown) => e instanceof ServingError && e.statusCode === 400,
      bad,
    );
  }
  assert.equal(checkModelName('breast-cancer'), 'breast-cancer');
});

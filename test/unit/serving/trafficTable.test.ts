import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficError, TrafficTable } from '../../../server/serving/admin/trafficTable';
import { AdminToken } from '../../../server/serving/admin/adminToken';

/** A random source that replays the given values in a loop. */
const replay = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

test('no split: pick defers to the repository (undefined)', () => {
  const t = new TrafficTable();
  assert.equal(t.pick('m'), undefined);
  assert.equal(t.stable('m'), undefined);
});

test('canary weight decides by the random draw: below weight% → canary', () => {
  const t = new TrafficTable(replay([0, 0.099, 0.1, 0.5, 0.999]));
  t.pin('m', '1.0.0');
  t.canary('m', '2.0.0', 10);
  assert.deepEqual([t.pick('m'), t.pick('m'), t.pick('m'), t.pick('m'), t.pick('m')], ['2.0.0', '2.0.0', '1.0.0', '1.0.0', '1.0.0']);
});

test('weight 0 never and weight 100 always picks the canary', () => {
  const t = new TrafficTable(replay([0, 0.5, 0.9999]));
  t.pin('m', '1.0.0');
  t.canary('m', '2.0.0', 0);
  assert.deepEqual([t.pick('m'), t.pick('m'), t.pick('m')], ['1.0.0', '1.0.0', '1.0.0']);
  t.canary('m', '2.0.0', 100);
  assert.deepEqual([t.pick('m'), t.pick('m'), t.pick('m')], ['2.0.0', '2.0.0', '2.0.0']);
});

test('a seeded split over many draws lands near the weight', () => {
  let x = 12345;
  const lcg = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const t = new TrafficTable(lcg);
  t.pin('m', '1.0.0');
  t.canary('m', '2.0.0', 10);
  let canary = 0;
  for (let i = 0; i < 10_000; i++) if (t.pick('m') === '2.0.0') canary++;
  assert.ok(canary > 900 && canary < 1100, `canary share ${canary}/10000`);
});

test('rollback drops a canary first, then returns to the previous stable', () => {
  const t = new TrafficTable(() => 0);
  t.pin('m', '1.0.0');
  t.activate('m', '2.0.0');
  t.canary('m', '3.0.0', 50);
  assert.deepEqual(t.rollback('m'), { from: '3.0.0', to: '2.0.0' });
  assert.equal(t.pick('m'), '2.0.0');
  assert.deepEqual(t.rollback('m'), { from: '2.0.0', to: '1.0.0' });
  assert.equal(t.pick('m'), '1.0.0');
  assert.throws(() => t.rollback('m'), TrafficError);
});

test('canary refuses the stable version and out-of-range weights', () => {
  const t = new TrafficTable();
  assert.throws(() => t.canary('m', '2.0.0', 10), /activate one first/);
  t.pin('m', '1.0.0');
  assert.throws(() => t.canary('m', '1.0.0', 10), /already the stable/);
  assert.throws(() => t.canary('m', '2.0.0', 101), /0 to 100/);
  assert.throws(() => t.canary('m', '2.0.0', -1), /0 to 100/);
});

test('weights: stable and canary shares, others 0; fallback without a split', () => {
  const t = new TrafficTable();
  assert.deepEqual(t.weights('m', ['2.0.0', '1.0.0'], '2.0.0'), { '2.0.0': 100, '1.0.0': 0 });
  t.pin('m', '1.0.0');
  t.canary('m', '2.0.0', 25);
  assert.deepEqual(t.weights('m', ['3.0.0', '2.0.0', '1.0.0'], '3.0.0'), { '3.0.0': 0, '2.0.0': 25, '1.0.0': 75 });
});

test('AdminToken: missing header, wrong scheme, wrong token, right token', () => {
  const tok = new AdminToken('s3cret-token');
  assert.equal(tok.check(undefined), 'missing');
  assert.equal(tok.check(''), 'missing');
  assert.equal(tok.check('Basic czNjcmV0LXRva2Vu'), 'scheme');
  assert.equal(tok.check('s3cret-token'), 'scheme');
  assert.equal(tok.check('Bearer s3cret-toke'), 'wrong');
  assert.equal(tok.check('Bearer s3cret-token-and-more'), 'wrong');
  assert.equal(tok.check('Bearer s3cret-token'), 'ok');
  assert.equal(tok.check('bearer  s3cret-token '), 'ok');
  assert.throws(() => new AdminToken(''), /empty/);
});

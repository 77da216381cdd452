import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverStatusText } from '../../../extension/serverStatusText';

test('the status bar item is hidden while no server runs', () => {
  assert.equal(serverStatusText({ running: false }), undefined);
  assert.equal(serverStatusText({ running: true }), undefined);
});

test('the status bar shows the address and the request rate, thousands abbreviated', () => {
  const base = { running: true, url: 'http://127.0.0.1:8500', models: [{ name: 'breast-cancer', version: '1.0.0' }] };
  assert.equal(serverStatusText(base)?.text, '$(server-process) 127.0.0.1:8500 · 0 req/s');
  assert.equal(serverStatusText({ ...base, requestsPerSecond: 42 })?.text, '$(server-process) 127.0.0.1:8500 · 42 req/s');
  assert.equal(serverStatusText({ ...base, requestsPerSecond: 12_345 })?.text, '$(server-process) 127.0.0.1:8500 · 12.3k req/s');
  const tip = serverStatusText({ ...base, requestsPerSecond: 42 })!.tooltip;
  assert.match(tip, /breast-cancer 1\.0\.0 at http:\/\/127\.0\.0\.1:8500/);
  assert.match(tip, /42 requests\/s/);
  assert.match(tip, /Stop server/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sample, testApp } from './helpers';

test('no CORS headers unless asked', async () => {
  const { app, close } = await testApp([sample('diabetes')]);
  try {
    const r = await app.inject({ method: 'GET', url: '/v1/models', headers: { origin: 'http://example.com' } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.equal((await app.inject({ method: 'OPTIONS', url: '/v1/models/diabetes:predict' })).statusCode, 404);
  } finally {
    await close();
  }
});

test('--cors answers preflight and marks every response', async () => {
  const { app, close } = await testApp([sample('diabetes')], { cors: true });
  try {
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/v1/models/diabetes:predict',
      headers: { origin: 'http://example.com', 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
    // a browser sending binary v2 tensors needs the header-length header allowed
    assert.match(String(pre.headers['access-control-allow-headers']), /inference-header-content-length/);
    const r = await app.inject({ method: 'POST', url: '/v1/models/diabetes:predict', payload: { instances: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    // and a browser client may read the error code and request id of an answer
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/models/diabetes:predict',
      headers: { origin: 'http://example.com' },
      payload: { instances: 'x' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(String(bad.headers['access-control-expose-headers']), /x-modelgate-error/);
  } finally {
    await close();
  }
});

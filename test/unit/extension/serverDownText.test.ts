import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RETRY, serverDownMessage, serverFailedStatus, serverStartFailure, SHOW_LOG } from '../../../extension/serverDownText';

test('a missing server module says which file, who chose it and how to fix it', () => {
  const fromSetting = serverStartFailure({ path: '/opt/mg/server.js', fromSetting: true }, false);
  assert.equal(
    fromSetting,
    'the language server "/opt/mg/server.js" set in modelgate.server.path does not exist; correct the setting, or clear it to use the bundled server',
  );
  const bundled = serverStartFailure({ path: '/ext/dist/server.js', fromSetting: false }, false);
  assert.match(bundled, /^the bundled language server "\/ext\/dist\/server\.js" is missing; reinstall the ModelGate extension/);
  assert.doesNotMatch(bundled, /modelgate\.server\.path/);
});

test("a server that exists but does not start carries the client's error text", () => {
  assert.equal(
    serverStartFailure({ path: '/ext/dist/server.js', fromSetting: false }, true, new Error('Connection to server got closed. Server will not be restarted. ')),
    'the language server did not start: Connection to server got closed. Server will not be restarted.',
  );
  assert.equal(
    serverStartFailure({ path: '/dev/server.js', fromSetting: true }, true, 'exit code 1'),
    'the language server (modelgate.server.path: /dev/server.js) did not start: exit code 1',
  );
  assert.match(serverStartFailure({ path: '/x.js', fromSetting: false }, true), /did not start: it ended before it answered$/);
});

test('a command names itself and the reason, and points at the two actions it offers', () => {
  const m = serverDownMessage('Serve model', { kind: 'failed', reason: 'the bundled language server "/e/dist/server.js" is missing' });
  assert.equal(
    m,
    `ModelGate: "Serve model" needs the ModelGate language server, but it failed to start: the bundled language server "/e/dist/server.js" is missing. Fix the cause, then choose "${RETRY}" (or run "ModelGate: Restart language server"); "${SHOW_LOG}" has the details.`,
  );
  assert.match(serverDownMessage('Publish', { kind: 'starting' }), /"Publish" needs the ModelGate language server, but it is not running\./);
});

test('the status bar warns that the server failed and keeps the reason for the tooltip', () => {
  const s = serverFailedStatus('the language server did not start: boom');
  assert.equal(s.text, '$(warning) ModelGate: server failed');
  assert.match(s.tooltip, /failed to start: the language server did not start: boom\./);
  assert.match(s.tooltip, /Click to retry/);
});

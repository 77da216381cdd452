import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorDataOf, publishFailureActions, SET_CREDENTIALS, SHOW_LOGS } from '../../../extension/publishFailure';

test('credentials are offered only when the registry refused the login (MG402)', () => {
  const responseError = (data: unknown) => Object.assign(new Error('registry 127.0.0.1:5000: … failed with HTTP 401'), { code: -32803, data });
  assert.deepEqual(publishFailureActions(responseError({ code: 'MG402', exitCode: 2, status: 401 })), [SET_CREDENTIALS, SHOW_LOGS]);
  assert.deepEqual(publishFailureActions(responseError({ code: 'MG401', exitCode: 2, status: 500 })), [SHOW_LOGS]);
  assert.deepEqual(publishFailureActions(responseError({ code: 'MG405', exitCode: 3 })), [SHOW_LOGS], 'a refused gate is not a login problem');
  assert.deepEqual(publishFailureActions(new Error('something broke')), [SHOW_LOGS], 'an internal error has no code');
  assert.equal(errorDataOf(responseError('text')), undefined);
  assert.equal(errorDataOf(undefined), undefined);
});

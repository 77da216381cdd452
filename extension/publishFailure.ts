// What the editor offers after a failed publish, from the error's code (the
// language server sends a ModelGate error's code in the ResponseError data):
// registry credentials only when the registry refused the login.
import { ERROR_CODES, type ErrorData } from '../server/protocol/errors';

export const SET_CREDENTIALS = 'Set registry credentials';
export const SHOW_LOGS = 'Show logs';

/** The ModelGate error data of a failed request, if the server sent any. */
export function errorDataOf(err: unknown): ErrorData | undefined {
  const data = (err as { data?: unknown } | undefined)?.data;
  return data && typeof data === 'object' && typeof (data as ErrorData).code === 'string' ? (data as ErrorData) : undefined;
}

export function publishFailureActions(err: unknown): string[] {
  return errorDataOf(err)?.code === ERROR_CODES.registryLogin ? [SET_CREDENTIALS, SHOW_LOGS] : [SHOW_LOGS];
}

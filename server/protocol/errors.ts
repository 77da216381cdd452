// The one error model of the engine: every error a user can act on carries a
// stable code (MGxxx, listed in docs/diagnostic-codes.md), the CLI exit code
// that fits it, and, where one exists, what to do. The doors read these
// fields instead of class names: the CLI exits with `exitCode`, the language
// server sends `errorData()` in its ResponseError, and the editor offers the
// action that fits the code (credentials only for a refused login).
// Anything that is not a ModelGateError is a bug and is reported as one.

/** What crosses a door with an error (the `data` of an LSP ResponseError). */
export interface ErrorData {
  code: string;
  exitCode: number;
  hint?: string;
  /** HTTP status, for registry and remote-node errors. */
  status?: number;
}

export class ModelGateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = 2,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The data of a ModelGate error, or undefined for anything else (a bug, not a user error). */
export function errorData(err: unknown): ErrorData | undefined {
  if (!(err instanceof ModelGateError)) return undefined;
  const data: ErrorData = { code: err.code, exitCode: err.exitCode };
  if (err.hint) data.hint = err.hint;
  // registry and remote-node errors carry the HTTP status that caused them
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') data.status = status;
  return data;
}

/** Codes of the publish and deploy errors (registered with the others in manifest/codes.ts). */
export const ERROR_CODES = {
  registryRefused: 'MG401',
  registryLogin: 'MG402',
  registryUnreachable: 'MG403',
  badReference: 'MG404',
  publishRefused: 'MG405',
  reportUnusable: 'MG406',
  digestMismatch: 'MG407',
  artifactInput: 'MG408',
  layout: 'MG409',
  pull: 'MG410',
  attach: 'MG411',
  cancelled: 'MG412',
  deploy: 'MG420',
  remoteDeploy: 'MG421',
  kserve: 'MG422',
  pulledManifest: 'MG423',
} as const;

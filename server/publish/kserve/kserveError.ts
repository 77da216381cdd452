import { ERROR_CODES, ModelGateError } from '../../protocol/errors';
// A deployment that cannot be generated as asked. The message says what is
// wrong, where (the model and the manifest field) and how to fix it; `field`
// lets the CLI or editor point at the manifest line.

export class KServeError extends ModelGateError {
  constructor(
    message: string,
    /** Manifest path the problem comes from, e.g. `deploy.kubernetes.canaryPercent`. */
    readonly field?: string,
    /** The manifest linter's code when it reports the same problem, else the KServe code. */
    code?: string,
  ) {
    super(code ?? ERROR_CODES.kserve, message);
  }
}

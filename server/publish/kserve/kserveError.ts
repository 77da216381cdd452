// A deployment that cannot be generated as asked. The message says what is
// wrong, where (the model and the manifest field) and how to fix it; `field`
// lets the CLI or editor point at the manifest line.

export class KServeError extends Error {
  constructor(
    message: string,
    /** Manifest path the problem comes from, e.g. `deploy.kubernetes.canaryPercent`. */
    readonly field?: string,
    /** Stable diagnostic code when the manifest linter reports the same problem. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'KServeError';
  }
}

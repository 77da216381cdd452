import { ERROR_CODES, ModelGateError } from '../protocol/errors';
// Registry failures in words a user can act on. The distribution spec's
// error codes are explained; authentication failures say how to log in.
// Messages never contain credentials or Authorization headers.

export interface DistributionError {
  code: string;
  message?: string;
  detail?: unknown;
}

const CODE_EXPLANATIONS: Record<string, string> = {
  BLOB_UNKNOWN: 'the registry does not have a blob the request refers to',
  BLOB_UPLOAD_INVALID: 'the blob upload was rejected (the upload session is broken)',
  BLOB_UPLOAD_UNKNOWN: 'the upload session expired or was cancelled by the registry',
  DIGEST_INVALID: 'the uploaded content does not match its digest',
  MANIFEST_BLOB_UNKNOWN: 'the manifest refers to a blob that was not uploaded first',
  MANIFEST_INVALID: 'the registry rejected the manifest (unsupported media type or malformed JSON)',
  MANIFEST_UNKNOWN: 'no manifest with that tag or digest exists',
  MANIFEST_UNVERIFIED: 'the manifest signature could not be verified',
  NAME_INVALID: 'the repository name is not valid for this registry',
  NAME_UNKNOWN: 'the repository does not exist in this registry',
  SIZE_INVALID: 'the uploaded size does not match the declared size',
  TAG_INVALID: 'the tag is not valid',
  UNAUTHORIZED: 'authentication is required',
  DENIED: 'the credentials are valid but do not grant this access',
  UNSUPPORTED: 'the registry does not support this operation',
  TOOMANYREQUESTS: 'the registry is rate limiting requests',
  PAGINATION_NUMBER_INVALID: 'the page size is not accepted',
  RANGE_INVALID: 'the chunk range is not accepted',
};

export function explainCode(code: string): string {
  return CODE_EXPLANATIONS[code] ?? 'an error the registry did not explain';
}

export function parseErrorBody(text: string): DistributionError[] {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors)) {
      return body.errors.filter((e): e is DistributionError => !!e && typeof (e as DistributionError).code === 'string');
    }
  } catch {
    // not JSON: plain-text 404s and proxy pages
  }
  return [];
}

export function loginHint(registry: string): string {
  return `run \`docker login ${registry}\` or set MODELGATE_REGISTRY_USERNAME/MODELGATE_REGISTRY_PASSWORD`;
}

/** An HTTP-level failure from the registry. */
export class RegistryError extends ModelGateError {
  constructor(
    readonly registry: string,
    /** e.g. `PUT manifest ml/breast-cancer:1.0.0` */
    readonly operation: string,
    readonly status: number,
    readonly errors: DistributionError[],
    message: string,
  ) {
    // a refused login is its own code: the editor offers to set credentials for it, and only for it
    super(status === 401 || status === 403 ? ERROR_CODES.registryLogin : ERROR_CODES.registryRefused, message);
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export function registryError(registry: string, operation: string, status: number, bodyText: string, credentialSource?: string): RegistryError {
  const errors = parseErrorBody(bodyText);
  const codes = errors.length
    ? errors.map((e) => `${e.code} (${explainCode(e.code)}${e.message && e.message !== explainCode(e.code) ? `: ${e.message}` : ''})`).join('; ')
    : bodyText.trim().split('\n')[0]?.slice(0, 200) || 'no details';
  let fix: string;
  switch (status) {
    case 401:
      fix = credentialSource
        ? `the registry rejected the credentials from ${credentialSource}; check the username and password, then ${loginHint(registry)}`
        : `the registry needs credentials; ${loginHint(registry)}`;
      break;
    case 403:
      fix = `the account${credentialSource ? ` from ${credentialSource}` : ''} lacks permission for this repository; ask the registry owner for push/pull access or use another repository`;
      break;
    case 404:
      fix = 'check the repository name, tag and digest (list tags with `modelgate versions oci://HOST/REPO`)';
      break;
    case 400:
      fix = errors.some((e) => e.code === 'MANIFEST_INVALID')
        ? 'the registry may not accept OCI image manifests with custom media types; use a registry that follows the OCI distribution spec 1.1'
        : errors.some((e) => e.code === 'DIGEST_INVALID')
          ? 'the file changed while it was uploaded or was corrupted on the way; publish again'
          : 'the request was malformed for this registry; please report it with the registry name and version';
      break;
    case 429:
      fix = 'wait and retry later, or authenticate to get a higher rate limit';
      break;
    default:
      fix = status >= 500 ? 'the registry failed internally; retry later or check its logs' : 'check the registry logs';
  }
  return new RegistryError(registry, operation, status, errors, `registry ${registry}: ${operation} failed with HTTP ${status}: ${codes}. Fix: ${fix}.`);
}

/** The caller cancelled (Ctrl-C, Cancel in the editor) before the publish finished: no tag was written. */
export class PublishCancelledError extends ModelGateError {
  constructor(operation: string) {
    super(
      ERROR_CODES.cancelled,
      `publish cancelled during ${operation}; no version tag was written, and running the publish again finishes it (stored blobs are skipped)`,
      130,
    );
  }
}

/** The registry could not be reached at all (refused, reset, DNS, TLS). */
export class RegistryUnreachableError extends ModelGateError {
  constructor(
    readonly registry: string,
    readonly operation: string,
    override readonly cause: unknown,
    attempts: number,
  ) {
    super(
      ERROR_CODES.registryUnreachable,
      `registry ${registry}: ${operation} failed: ${describeNetworkError(cause)}${attempts > 1 ? ` (after ${attempts} attempts)` : ''}. Fix: ${networkFix(registry, cause)}.`,
    );
  }
}

export function networkErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function describeNetworkError(err: unknown): string {
  const code = networkErrorCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens at that address)';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed by the registry';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the request timed out';
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return 'TLS handshake failed (the server may speak plain http)';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the registry's TLS certificate is not trusted (${code})`;
    default: {
      const msg = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      return code ? `${msg} (${code})` : msg;
    }
  }
}

function networkFix(registry: string, err: unknown): string {
  const code = networkErrorCode(err) ?? '';
  if (/CERT|SELF_SIGNED|VERIFY/.test(code))
    return 'add the CA to NODE_EXTRA_CA_CERTS, or for a test registry on a trusted network pass --plain-http if it serves plain http';
  if (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER')
    return `if ${registry} serves plain http, pass --plain-http (loopback hosts use http automatically)`;
  return `check that the registry at ${registry} is running and reachable, then try again (a publish resumes: blobs already uploaded are skipped)`;
}

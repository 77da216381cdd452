// sha256 digests of what we upload and what we pull. Every blob is hashed
// before it leaves and again as it arrives; a mismatch is never ignored.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function digestOf(data: Uint8Array | string): string {
  return 'sha256:' + sha256Hex(data);
}

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

/** Hex part of a sha256 digest; throws on anything else (we only write sha256). */
export function digestHex(digest: string): string {
  if (!isDigest(digest)) throw new Error(`unsupported digest "${digest}": expected sha256:<64 lowercase hex digits>`);
  return digest.slice('sha256:'.length);
}

/** Streams a file through sha256 without holding it in memory. */
export async function digestFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: 'sha256:' + hash.digest('hex'), size };
}

export class DigestMismatchError extends ModelGateError {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      ERROR_CODES.digestMismatch,
      `${what}: content digest ${actual} does not match the expected ${expected}. ` +
        'The data changed or was corrupted in transit; retry, and if it persists check the source file and the registry storage.',
    );
  }
}

export function verifyDigest(what: string, data: Uint8Array, expected: string): void {
  const actual = digestOf(data);
  if (actual !== expected) throw new DigestMismatchError(what, expected, actual);
}

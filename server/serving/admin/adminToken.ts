// The admin API's bearer token: read from a file, compared in constant time.
// Both sides are hashed to SHA-256 first, so timingSafeEqual always compares
// 32 bytes and neither the content nor the length of the token leaks.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

export type TokenCheck = 'ok' | 'missing' | 'scheme' | 'wrong';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export class AdminToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    if (!token) throw new Error('the admin token is empty');
    this.expected = digest(token);
  }

  /** Checks an Authorization header value. */
  check(header: string | undefined): TokenCheck {
    if (header === undefined || header.trim() === '') return 'missing';
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) return 'scheme';
    return timingSafeEqual(digest(m[1]!.trim()), this.expected) ? 'ok' : 'wrong';
  }
}

/** Reads a token file: its trimmed content; refuses an empty file and warns when others may read it. */
export async function readTokenFile(path: string, warn: (msg: string) => void = () => undefined): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read the admin token file ${path}: ${(err as Error).message}; create it with e.g. \`openssl rand -hex 32 > ${path} && chmod 600 ${path}\``,
      { cause: err },
    );
  }
  const token = text.trim();
  if (!token) throw new Error(`the admin token file ${path} is empty; write a long random token into it, e.g. \`openssl rand -hex 32 > ${path}\``);
  if (process.platform !== 'win32') {
    const mode = (await stat(path)).mode;
    if (mode & 0o077)
      warn(`the admin token file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); restrict it with \`chmod 600 ${path}\``);
  }
  return token;
}

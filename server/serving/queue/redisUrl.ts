// Redis URLs for the queue: redis://[user[:password]@]host[:port][/db] and
// rediss:// for TLS. The password never leaves this module in a message:
// every text about a connection goes through `redact`, which masks it in the
// URL form and wherever else it appears (a client library may echo it).
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { ServingError } from '../errors';

export interface RedisTarget {
  /** The URL with its password masked, for every log line and error. */
  safe: string;
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username: string | undefined;
  password: string | undefined;
}

/** Name of the variable that gives the password when the URL has none (so it stays out of manifests and shell history). */
export const PASSWORD_ENV = 'MODELGATE_REDIS_PASSWORD';

export class QueueConfigError extends ServingError {
  constructor(message: string) {
    super(400, message, 'MG360');
    this.name = 'QueueConfigError';
  }
}

/** Masks the password of any URL in `text` (redis://user:password@… and the like), and each secret given, wherever it appears. */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*:)[^@/\s"]+@/gi, '$1***@');
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
  }
  return out;
}

/** Parses a queue URL; a malformed one is a QueueConfigError that names the field and shows the form. */
export function parseRedisUrl(text: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const shown = redact(text);
  const form = 'write redis://host:port, redis://user:password@host:port/db, or rediss://… for TLS';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueConfigError(`queue URL ${JSON.stringify(shown)} is not a URL; ${form}`);
  }
  const tls = url.protocol === 'rediss:';
  if (url.protocol !== 'redis:' && !tls)
    throw new QueueConfigError(`queue URL ${JSON.stringify(shown)} has scheme ${url.protocol.replace(/:$/, '')}; the queue is Redis: ${form}`);
  if (!url.hostname) throw new QueueConfigError(`queue URL ${JSON.stringify(shown)} names no host; ${form}`);
  const port = url.port ? Number(url.port) : 6379;
  const path = url.pathname.replace(/^\/+/, '');
  if (path !== '' && !/^\d{1,5}$/.test(path))
    throw new QueueConfigError(`queue URL ${JSON.stringify(shown)} ends in /${path}; the path is the database number (e.g. /0), or nothing`);
  if (url.search || url.hash) throw new QueueConfigError(`queue URL ${JSON.stringify(shown)} has a query or fragment, which the queue does not read; ${form}`);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : env[PASSWORD_ENV] || undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const auth = username ? encodeURIComponent(username) + (url.password ? ':***' : '') + '@' : url.password ? ':***@' : '';
  const safe = `${url.protocol}//${auth}${url.host}${path ? '/' + path : ''}`;
  return { safe, host, port, db: path ? Number(path) : 0, tls, username, password };
}

/**
 * ioredis options for a target. No retries until the first connection has
 * succeeded, so a wrong address or password fails at start with its reason;
 * after that a lost connection is retried (a Redis restart is waited out) and
 * commands wait for it in the offline queue.
 */
export function redisOptions(t: RedisTarget, name: string): RedisOptions & { connectedOnce: () => void } {
  let connected = false;
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    // SNI takes a host name, never an address (RFC 6066); the certificate is checked against either
    ...(t.tls ? { tls: isIP(t.host) ? {} : { servername: t.host } } : {}),
    connectionName: name,
    // RESP2: replies in the flat shapes the queue parses, on any Redis from 5.0
    protocol: 2,
    lazyConnect: true,
    maxRetriesPerRequest: null,
    // the ready check runs INFO, which a user limited to the queue's commands may not (a loading server answers LOADING, retried)
    enableReadyCheck: false,
    connectTimeout: 5_000,
    retryStrategy: (times) => (connected ? Math.min(50 * 2 ** Math.min(times, 6), 2_000) : null),
    connectedOnce: () => {
      connected = true;
    },
  };
}

/** What a failed connection means for the user: wrong password, refused, unknown host, TLS. */
export function connectionProblem(err: unknown, t: RedisTarget): string {
  const raw = err instanceof Error ? err.message : String(err);
  const msg = redact(raw, [t.password]);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (/WRONGPASS|invalid password|invalid username-password/i.test(raw))
    return `Redis at ${t.safe} refused the login (${msg}); check the user name and password in the URL (or ${PASSWORD_ENV}) against the server's ACL`;
  if (/NOAUTH/i.test(raw)) return `Redis at ${t.safe} needs a password (${msg}); give it in the URL (redis://user:password@host:port) or in ${PASSWORD_ENV}`;
  if (/NOPERM/i.test(raw))
    return `the Redis user of ${t.safe} may not run a command the queue needs (${msg}); allow it, e.g. ACL SETUSER <user> ~modelgate:* +@stream +@hash +@keyspace +@transaction +@connection`;
  if (code === 'ECONNREFUSED') return `nothing answers at ${t.safe} (connection refused); start redis-server there, or fix the host and port of the queue URL`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of ${t.safe} is unknown (${code}); fix the queue URL`;
  if (/ETIMEDOUT|connect timeout/i.test(raw)) return `Redis at ${t.safe} did not answer within 5 s; check the address and any firewall`;
  if (t.tls && /certificate|SSL|TLS|self.signed|wrong version/i.test(raw))
    return `the TLS handshake with ${t.safe} failed (${msg}); check the server's certificate (NODE_EXTRA_CA_CERTS=ca.pem for a private CA), or use redis:// if the server does not speak TLS`;
  return `cannot use Redis at ${t.safe}: ${msg}`;
}

export class QueueConnectionError extends ServingError {
  constructor(message: string) {
    super(503, message, 'MG361');
    this.name = 'QueueConnectionError';
  }
}

/**
 * A connected client. `onError` hears later connection trouble (already
 * redacted); the first connection failing throws QueueConnectionError.
 */
export async function openRedis(t: RedisTarget, name: string, onError: (message: string) => void = () => undefined): Promise<Redis> {
  const { connectedOnce, ...options } = redisOptions(t, name);
  const client = new Redis(options);
  let first: unknown;
  client.on('error', (err: unknown) => {
    first ??= err;
    onError(connectionProblem(err, t));
  });
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new QueueConnectionError(connectionProblem(first ?? err, t));
  }
  connectedOnce();
  return client;
}

// The client side of the queue: enqueue v2 infer requests on a model's
// request stream and read their replies from a reply stream of its own.
// Used by `modelgate score --queue`, the benchmark and the tests. Waits for
// room while the stream holds maxLength requests (back-pressure), and says
// plainly when nothing answers: no node in the group, or none for too long.
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { ModelGateError } from '../../protocol/errors';
import { QUEUE_DEFAULTS } from './settings';
import { connectionProblem, openRedis, parseRedisUrl, type RedisTarget } from './redisUrl';
import { decodeReply, DEFAULT_REPLY_TTL, fieldMap, GROUP, requestFields, streamNames, type QueueReply } from './streams';

/** The queue could not be used: its URL, Redis, or no answer in time (the message says which, and what to do). */
export class QueueError extends ModelGateError {
  constructor(code: string, message: string, hint?: string) {
    super(code, message, 2, hint);
  }
}

export interface QueueClientOptions {
  url: string;
  model: string;
  /** Names the reply stream (modelgate:{model}:replies:{run}); a new one by default. Reuse it to pick up the replies of an earlier run. */
  run?: string;
  /** Most requests waiting in the request stream; enqueue waits while it is this full (default 100000). */
  maxLength?: number;
  /** How long enqueue waits for room, and nextReplies for any reply, before failing (default 60 s). */
  timeoutMs?: number;
  /** Seconds the reply stream lives after its last reply (default 1 day). */
  replyTtl?: number;
  /** Told about connection trouble while it is retried (already redacted). */
  onProblem?: (message: string) => void;
}

export interface OutgoingRequest {
  id: string;
  /** The v2 infer body: JSON, or a JSON header followed by binary tensors. */
  body: Buffer | string;
  /** Bytes of JSON header at the start of body, for binary tensors. */
  headerLength?: number;
  version?: string;
  /** Milliseconds since the epoch after which the request is answered with MG364 instead of computed. */
  deadline?: number;
}

/** Errors of a connection being re-established, or of Redis loading its data after a restart. */
const TRANSIENT = /Connection is closed|ECONNRESET|ECONNREFUSED|EPIPE|LOADING|Stream isn't writeable|connection lost|socket closed/i;

export class QueueClient {
  readonly names: ReturnType<typeof streamNames>;
  readonly replyStream: string;
  readonly run: string;
  private cursor = '0-0';
  private readonly maxLength: number;
  private readonly timeoutMs: number;
  private readonly replyTtl: number;

  private constructor(
    private readonly redis: Redis,
    /** Blocking reads of the reply stream get a connection of their own, so enqueueing never waits behind them. */
    private readonly reader: Redis,
    readonly target: RedisTarget,
    readonly model: string,
    opts: QueueClientOptions,
  ) {
    this.names = streamNames(model);
    this.run = opts.run ?? randomBytes(6).toString('hex');
    this.replyStream = this.names.replies(this.run);
    this.maxLength = opts.maxLength ?? QUEUE_DEFAULTS.maxLength;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.replyTtl = opts.replyTtl ?? DEFAULT_REPLY_TTL;
  }

  static async connect(opts: QueueClientOptions): Promise<QueueClient> {
    let target: RedisTarget;
    try {
      target = parseRedisUrl(opts.url);
    } catch (err) {
      throw new QueueError('MG360', (err as Error).message);
    }
    let redis: Redis;
    let reader: Redis;
    try {
      redis = await openRedis(target, 'modelgate-client', opts.onProblem);
      reader = await openRedis(target, 'modelgate-client-read', opts.onProblem).catch((err: unknown) => {
        redis.disconnect();
        throw err;
      });
    } catch (err) {
      throw new QueueError('MG361', (err as Error).message);
    }
    const client = new QueueClient(redis, reader, target, opts.model, opts);
    try {
      // the group may not exist before the first node starts; created here, requests sent now are answered when one does
      await redis.call('XGROUP', 'CREATE', client.names.requests, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) {
        redis.disconnect();
        reader.disconnect();
        throw new QueueError('MG361', connectionProblem(err, target));
      }
    }
    return client;
  }

  /** Requests in the stream not yet answered (read or not), and the group's consumers. */
  async status(): Promise<{ waiting: number; pending: number; consumers: number }> {
    const r = (await this.redis.multi().xlen(this.names.requests).call('XINFO', 'GROUPS', this.names.requests).exec()) as [Error | null, unknown][];
    const waiting = Number(r[0]?.[1] ?? 0);
    const groups = (r[1]?.[1] ?? []) as (string | number)[][];
    let consumers = 0;
    let pending = 0;
    for (const g of groups) {
      const m = new Map<string, string | number>();
      for (let i = 0; i + 1 < g.length; i += 2) m.set(String(g[i]), g[i + 1]!);
      if (m.get('name') === GROUP) {
        consumers = Number(m.get('consumers') ?? 0);
        pending = Number(m.get('pending') ?? 0);
      }
    }
    return { waiting, pending, consumers };
  }

  /** The reason nothing answers, for a timeout message. */
  async diagnose(): Promise<string> {
    try {
      const s = await this.status();
      if (s.consumers === 0)
        return `no ModelGate node has joined ${this.names.requests}; start one with: modelgate serve <manifest> --queue ${this.target.safe}`;
      return `${s.consumers} consumer(s) have joined ${this.names.requests} (${s.waiting} request(s) in the stream, ${s.pending} read and unanswered); the nodes may be stopped or overloaded — check their logs and /metrics (modelgate_stream_*)`;
    } catch (err) {
      return connectionProblem(err, this.target);
    }
  }

  /** Adds requests to the stream, first waiting while it holds maxLength requests. */
  async enqueue(requests: OutgoingRequest[]): Promise<string[]> {
    if (requests.length === 0) return [];
    const started = Date.now();
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      const len = await this.guard(() => this.redis.xlen(this.names.requests));
      // wait at 90%: the rest is headroom for clients adding at the same moment, so MAXLEN ~ never trims an unanswered request
      if (len + requests.length <= Math.floor(this.maxLength * 0.9) || len === 0) break;
      if (Date.now() - started > this.timeoutMs)
        throw new QueueError(
          'MG365',
          `the request stream ${this.names.requests} stayed full (${len} of at most ${this.maxLength} requests) for ${Math.round(this.timeoutMs / 1000)} s; ${await this.diagnose()}`,
          'Add nodes (modelgate serve --queue …), or raise serving.queue.maxLength.',
        );
      await new Promise((r) => setTimeout(r, wait));
    }
    const multi = this.redis.multi();
    for (const r of requests) {
      const fields = requestFields({
        id: r.id,
        replyTo: this.replyStream,
        replyType: 'stream',
        replyTtl: this.replyTtl,
        body: typeof r.body === 'string' ? Buffer.from(r.body) : r.body,
        ...(r.version !== undefined ? { version: r.version } : {}),
        ...(r.headerLength !== undefined ? { headerLength: String(r.headerLength) } : {}),
        ...(r.deadline !== undefined ? { deadline: r.deadline } : {}),
      });
      // ~: trimming is a last resort cap; the wait above keeps the stream below it
      multi.xadd(this.names.requests, 'MAXLEN', '~', this.maxLength, '*', ...fields);
    }
    const res = (await this.guard(() => multi.exec())) as [Error | null, unknown][];
    return res.map(([err, id]) => {
      if (err) throw new QueueError('MG361', connectionProblem(err, this.target));
      return String(id);
    });
  }

  /** Reads from `since` again (e.g. '0-0' to see every reply of this run once more). */
  rewind(since = '0-0'): void {
    this.cursor = since;
  }

  /** The next replies on the reply stream, waiting up to `blockMs` for one (0: not at all); [] when none came. */
  async nextReplies(blockMs = 1_000, count = 1_000): Promise<QueueReply[]> {
    const block = blockMs > 0 ? ['BLOCK', blockMs] : [];
    const answer = (await this.guard(
      () => this.reader.xreadBuffer('COUNT', count, ...(block as ['BLOCK', number]), 'STREAMS', this.replyStream, this.cursor),
      blockMs,
    )) as [Buffer, [Buffer, Buffer[]][]][] | null;
    const entries = answer?.[0]?.[1] ?? [];
    if (entries.length) this.cursor = entries.at(-1)![0].toString();
    return entries.map(([, fields]) => decodeReply(fieldMap(fields)));
  }

  /**
   * Waits for one reply per id (duplicates after a claim are dropped). Fails
   * with MG364 when no new reply arrives for timeoutMs, saying why.
   */
  async waitFor(ids: Iterable<string>): Promise<Map<string, QueueReply>> {
    const want = new Set(ids);
    const got = new Map<string, QueueReply>();
    let last = Date.now();
    while (got.size < want.size) {
      const replies = await this.nextReplies(Math.min(1_000, this.timeoutMs));
      for (const r of replies)
        if (want.has(r.id) && !got.has(r.id)) {
          got.set(r.id, r);
          last = Date.now();
        }
      if (Date.now() - last > this.timeoutMs) throw await this.timeout(want.size - got.size);
    }
    return got;
  }

  async timeout(missing: number): Promise<QueueError> {
    return new QueueError(
      'MG364',
      `no reply for ${Math.round(this.timeoutMs / 1000)} s on ${this.replyStream} (${missing} request(s) unanswered); ${await this.diagnose()}`,
      'Start or fix the serving nodes, then run the same command again: it resumes where it stopped.',
    );
  }

  /**
   * Runs a command, again while the connection is down or Redis is loading
   * its data after a restart (ioredis reconnects meanwhile), for at most
   * timeoutMs; then, or on any other error, a QueueError that says why.
   */
  private async guard<T>(fn: () => Promise<T>, blockMs = 0): Promise<T> {
    const deadline = Date.now() + this.timeoutMs + blockMs;
    let lastErr: unknown;
    for (let wait = 50; Date.now() < deadline; wait = Math.min(wait * 2, 1_000)) {
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          fn(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('ETIMEDOUT')), Math.max(1, deadline - Date.now()));
          }),
        ]);
      } catch (err) {
        lastErr = err;
        if (!TRANSIENT.test((err as Error).message)) break;
        await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(0, deadline - Date.now()))));
      } finally {
        clearTimeout(timer);
      }
    }
    if (lastErr instanceof Error && lastErr.message === 'ETIMEDOUT')
      throw new QueueError('MG361', `Redis at ${this.target.safe} did not answer for ${Math.round(this.timeoutMs / 1000)} s; is it running?`);
    throw new QueueError('MG361', connectionProblem(lastErr, this.target));
  }

  /** Deletes this run's reply stream (once its replies are used). */
  async removeReplies(): Promise<void> {
    await this.guard(() => this.redis.del(this.replyStream));
  }

  async close(): Promise<void> {
    await Promise.all([this.redis, this.reader].map((r) => r.quit().catch(() => r.disconnect())));
  }
}

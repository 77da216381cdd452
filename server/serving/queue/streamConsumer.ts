// One model's queue front end: a member of the consumer group `modelgate` on
// the model's request stream. It reads requests in batches (XREADGROUP) and
// hands each to the same servable as HTTP (so they join the same adaptive
// batches), writes each answer to the reply destination the request names,
// and acknowledges the entry in the same MULTI. Entries another node read
// and never answered are claimed after claimIdleMs (XAUTOCLAIM); one
// delivered more than maxDeliveries times goes to the dead-letter stream
// with the reason instead. A request that cannot be read or computed gets
// an error reply and is acknowledged: only a node that dies (or a 5xx such
// as an unloading version) leaves it to be delivered again (entryAnswerer.ts).
import type { Redis } from 'ioredis';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ServingCore } from '../core';
import { fieldMap, GROUP, streamNames } from './streams';
import { EntryAnswerer, type Entry, type QueueLogger } from './entryAnswerer';
import { connectionProblem, openRedis, parseRedisUrl, QueueConnectionError, redact, type RedisTarget } from './redisUrl';
import type { QueueSettings } from './settings';
import type { QueueMetrics } from './queueMetrics';

/** Dead-letter stream cap: old dead letters make room for new ones. */
const DEAD_LETTER_MAX = 10_000;
const BLOCK_MS = 1_000;
/** Longest a stopping node waits for Redis (to end a read, to acknowledge answers) before it lets go. */
const STOP_GRACE_MS = 1_000;
const DRAIN_MS = 10_000;
/** Consumers idle this long with nothing pending are removed from the group (looked for once a minute). */
const FORGET_AFTER_MS = 3_600_000;
const SWEEP_EVERY_MS = 60_000;

/** Stream entries of an XREADGROUP / XAUTOCLAIM answer (RESP2 arrays of Buffers); deleted entries (nil fields) left out. */
function entriesOf(list: unknown): Entry[] {
  if (!Array.isArray(list)) return [];
  const out: Entry[] = [];
  for (const e of list as [Buffer, (Buffer | string)[] | null][]) if (Array.isArray(e) && e[1]) out.push({ id: e[0].toString(), fields: fieldMap(e[1]) });
  return out;
}

export function consumerName(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export class StreamConsumer {
  readonly names: ReturnType<typeof streamNames>;
  private reader!: Redis;
  private cmd!: Redis;
  private inflight = 0;
  private stopping = false;
  private room: (() => void) | undefined;
  private drained: (() => void) | undefined;
  /** Wakes the loops' pauses when stopping. */
  private readonly stopWaits = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private lastProblem = '';
  private readonly target: RedisTarget;
  private readonly answerer: EntryAnswerer;

  constructor(
    core: ServingCore,
    readonly model: string,
    readonly settings: QueueSettings,
    private readonly metrics: QueueMetrics,
    private readonly log: QueueLogger,
    readonly consumer = consumerName(),
  ) {
    this.names = streamNames(model);
    this.target = parseRedisUrl(settings.url);
    this.answerer = new EntryAnswerer(core, model, this.names, settings, metrics, log, consumer);
  }

  /** Where the queue is, with the password masked. */
  get where(): string {
    return this.target.safe;
  }

  /** Connects, joins the group (creating stream and group when missing), and starts reading and claiming. */
  async start(): Promise<void> {
    const onError = (message: string) => this.problem(message);
    this.cmd = await openRedis(this.target, `modelgate-${this.consumer}`, onError);
    try {
      this.reader = await openRedis(this.target, `modelgate-${this.consumer}-read`, onError);
      await this.ensureGroup();
    } catch (err) {
      this.cmd.disconnect();
      this.reader?.disconnect();
      throw err instanceof QueueConnectionError ? err : new QueueConnectionError(connectionProblem(err, this.target));
    }
    this.metrics.watch(this);
    this.loops = [this.readLoop(), this.claimLoop()];
  }

  private async ensureGroup(): Promise<void> {
    try {
      // from the start of the stream: requests sent before any node joined are answered too
      await this.cmd.call('XGROUP', 'CREATE', this.names.requests, GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) throw err;
    }
  }

  /** Logs a connection problem once per streak, redacted. */
  private problem(message: string): void {
    if (this.stopping || message === this.lastProblem) return;
    this.lastProblem = message;
    this.log.warn({ model: this.model, queue: this.target.safe }, `queue ${this.names.requests}: ${message}; retrying`);
  }

  private recovered(): void {
    if (!this.lastProblem) return;
    this.lastProblem = '';
    this.log.info({ model: this.model, queue: this.target.safe }, `queue ${this.names.requests}: connection back`);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        this.stopWaits.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      this.stopWaits.add(wake);
    });
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const room = this.settings.maxInflight - this.inflight;
      if (room <= 0) {
        await new Promise<void>((resolve) => (this.room = resolve));
        continue;
      }
      let answer: unknown;
      try {
        answer = await this.reader.callBuffer(
          'XREADGROUP',
          'GROUP',
          GROUP,
          this.consumer,
          'COUNT',
          Math.min(this.settings.readCount, room),
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          this.names.requests,
          '>',
        );
        failures = 0;
        this.recovered();
      } catch (err) {
        if (this.stopping) break;
        const message = (err as Error).message;
        // the stream was deleted (or Redis restarted without persistence): join again
        if (/NOGROUP/.test(message)) await this.ensureGroup().catch(() => undefined);
        else this.problem(redact(message, [this.target.password]));
        await this.pause(Math.min(100 * 2 ** failures++, 2_000));
        continue;
      }
      const streams = answer as [Buffer, unknown][] | null;
      if (!streams) continue;
      const entries = entriesOf(streams[0]?.[1]);
      if (entries.length) void this.handle(entries, new Map());
    }
  }

  private async claimLoop(): Promise<void> {
    const every = Math.max(50, Math.min(this.settings.claimIdleMs / 2, 5_000));
    let lastSweep = Date.now();
    while (!this.stopping) {
      await this.pause(every);
      if (this.stopping) break;
      try {
        await this.claimIdle();
        if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
          lastSweep = Date.now();
          await this.forgetDeadConsumers();
        }
      } catch (err) {
        if (!this.stopping) this.problem(redact((err as Error).message, [this.target.password]));
      }
    }
  }

  /**
   * Claims entries left unanswered for claimIdleMs by another consumer (or
   * this one), one at a time, each answered before the next is claimed: a
   * request that crashes nodes then crashes them alone, so only its delivery
   * count grows, not those of the requests read together with it.
   */
  private async claimIdle(): Promise<void> {
    let cursor = '0-0';
    let claimed = 0;
    do {
      const answer = (await this.cmd.callBuffer('XAUTOCLAIM', this.names.requests, GROUP, this.consumer, this.settings.claimIdleMs, cursor, 'COUNT', 1)) as [
        Buffer,
        unknown,
        unknown?,
      ];
      cursor = answer[0].toString();
      const entries = entriesOf(answer[1]);
      if (entries.length === 0) continue;
      if (claimed++ === 0)
        this.log.info(
          { model: this.model },
          `queue ${this.names.requests}: claiming requests left unanswered for ${this.settings.claimIdleMs} ms (a node stopped)`,
        );
      this.metrics.claimed(this.model, entries.length);
      await this.handle(entries, await this.deliveries(entries));
    } while (cursor !== '0-0' && !this.stopping);
  }

  /**
   * Removes consumers of the group that hold nothing and have not read for
   * an hour (nodes that died, whose requests were claimed): a live node
   * reads every second, and one with pending requests is never removed.
   */
  private async forgetDeadConsumers(): Promise<void> {
    const list = (await this.cmd.call('XINFO', 'CONSUMERS', this.names.requests, GROUP)) as (string | number)[][];
    for (const c of list) {
      const m = new Map<string, string | number>();
      for (let i = 0; i + 1 < c.length; i += 2) m.set(String(c[i]), c[i + 1]!);
      const name = String(m.get('name'));
      if (name !== this.consumer && Number(m.get('pending')) === 0 && Number(m.get('idle')) > Math.max(FORGET_AFTER_MS, this.settings.claimIdleMs * 10))
        await this.cmd.call('XGROUP', 'DELCONSUMER', this.names.requests, GROUP, name);
    }
  }

  /** Delivery counts of entries this consumer now owns (XPENDING over their id range). */
  private async deliveries(entries: Entry[]): Promise<Map<string, { count: number }>> {
    const rows = (await this.cmd.call('XPENDING', this.names.requests, GROUP, entries[0]!.id, entries.at(-1)!.id, entries.length * 2 + 10, this.consumer)) as [
      string,
      string,
      number,
      number,
    ][];
    return new Map(rows.map((r) => [r[0], { count: Number(r[3]) }]));
  }

  private async handle(entries: Entry[], deliveries: Map<string, { count: number }>): Promise<void> {
    this.inflight += entries.length;
    try {
      const outcomes = await Promise.all(entries.map((e) => this.answerer.answer(e, deliveries.get(e.id)?.count ?? 1)));
      const multi = this.cmd.multi();
      const done: string[] = [];
      outcomes.forEach((o, i) => {
        const entry = entries[i]!;
        if (o.dead) multi.xadd(this.names.deadLetters, 'MAXLEN', '~', DEAD_LETTER_MAX, '*', ...o.dead);
        if (o.reply) {
          if (o.reply.type === 'stream') multi.xadd(o.reply.key, '*', ...o.reply.fields);
          else multi.hset(o.reply.key, ...o.reply.fields);
          multi.expire(o.reply.key, o.reply.ttl);
        }
        if (o.ack) done.push(entry.id);
      });
      // acknowledged and deleted: the stream holds only requests not yet answered, so its length is the backlog
      if (done.length) multi.xack(this.names.requests, GROUP, ...done).xdel(this.names.requests, ...done);
      await multi.exec();
    } catch (err) {
      // not acknowledged: the entries stay pending and are claimed again after claimIdleMs
      if (!this.stopping) this.problem(`could not write ${entries.length} answer(s): ${redact((err as Error).message, [this.target.password])}`);
    } finally {
      this.inflight -= entries.length;
      const room = this.room;
      this.room = undefined;
      room?.();
      if (this.inflight === 0) this.drained?.();
    }
  }

  /** Backlog (entries not yet read by the group) and pending (read, not answered) of the request stream. */
  async depth(): Promise<{ backlog: number; pending: number }> {
    // a scrape never waits for a reconnect
    if (this.cmd.status !== 'ready') throw new Error(`Redis at ${this.target.safe} is not connected`);
    const [len, pend] = (await this.cmd.multi().xlen(this.names.requests).call('XPENDING', this.names.requests, GROUP).exec()) as [Error | null, unknown][];
    const length = Number(len?.[1] ?? 0);
    const pending = Number((pend?.[1] as unknown[] | undefined)?.[0] ?? 0);
    return { backlog: Math.max(0, length - pending), pending };
  }

  /**
   * Stops reading and claiming, answers and acknowledges what it has read,
   * then disconnects. With Redis unreachable it waits a bounded time: what
   * it could not acknowledge stays pending and is claimed by another node.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.metrics.unwatch(this);
    for (const wake of [...this.stopWaits]) wake();
    this.room?.();
    const bounded = (p: Promise<unknown>, ms: number) => Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);
    // a blocked XREADGROUP returns within BLOCK_MS; entries it brings are still answered
    await bounded(Promise.all(this.loops), BLOCK_MS + STOP_GRACE_MS);
    if (this.inflight > 0) await bounded(new Promise<void>((resolve) => (this.drained = resolve)), DRAIN_MS);
    this.reader.disconnect();
    // leave the group when nothing of ours is pending (DELCONSUMER would drop pending entries, so only then)
    await bounded(
      (async () => {
        const pending = (await this.cmd.call('XPENDING', this.names.requests, GROUP, '-', '+', 1, this.consumer)) as unknown[];
        if (pending.length === 0) await this.cmd.call('XGROUP', 'DELCONSUMER', this.names.requests, GROUP, this.consumer);
      })().catch(() => undefined),
      STOP_GRACE_MS,
    );
    await bounded(
      this.cmd.quit().catch(() => undefined),
      STOP_GRACE_MS,
    );
    this.cmd.disconnect();
  }
}

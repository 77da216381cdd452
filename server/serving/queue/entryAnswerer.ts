// What one request entry gets: its reply (or its dead letter) and whether it
// is acknowledged. The v2 body is decoded and computed exactly as POST
// /v2/models/{name}/infer does it (the same servable, batcher and encoder);
// a request that cannot be read or computed gets an error reply and is
// acknowledged; a 5xx (the node cannot answer now) leaves it unacknowledged
// for another delivery; one delivered more than maxDeliveries times is
// dead-lettered with the reason.
import { servableFor, type ServingCore } from '../core';
import { ServingError } from '../errors';
import { decodeInfer, encodeInfer } from '../wire/v2';
import { splitInferBody } from '../wire/binary';
import { decodeRequest, EnvelopeError, replyFields, type QueueReply, type ReplyType, type streamNames } from './streams';
import type { QueueMetrics } from './queueMetrics';
import type { QueueSettings } from './settings';

export interface QueueLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Entry {
  id: string;
  fields: Map<string, Buffer>;
}

export interface Outcome {
  reply?: { key: string; type: ReplyType; ttl: number; fields: (string | Buffer)[] };
  dead?: (string | Buffer)[];
  ack: boolean;
}

export class EntryAnswerer {
  /** Test hook (MODELGATE_TEST=1 only): the node dies, as a crash would, on reading the request with this id. */
  private readonly crashOn = process.env.MODELGATE_TEST === '1' ? process.env.MODELGATE_TEST_QUEUE_CRASH_ID : undefined;

  constructor(
    private readonly core: ServingCore,
    private readonly model: string,
    private readonly names: ReturnType<typeof streamNames>,
    private readonly settings: QueueSettings,
    private readonly metrics: QueueMetrics,
    private readonly log: QueueLogger,
    private readonly consumer: string,
  ) {}

  private reply(id: string, entry: string, rest: Omit<QueueReply, 'id' | 'entry' | 'model' | 'node'>): (string | Buffer)[] {
    return replyFields({ id, entry, model: this.model, node: this.consumer, ...rest });
  }

  private deadLetter(e: Entry, reason: string, deliveries: number): (string | Buffer)[] {
    const out: (string | Buffer)[] = [];
    for (const [k, v] of e.fields) out.push(k, v);
    out.push('dead_entry', e.id, 'dead_reason', reason, 'dead_deliveries', String(deliveries), 'dead_node', this.consumer, 'dead_at', new Date().toISOString());
    return out;
  }

  async answer(e: Entry, deliveries: number): Promise<Outcome> {
    let req;
    try {
      req = decodeRequest(e.fields);
    } catch (err) {
      const env = err as EnvelopeError;
      this.metrics.entry(this.model, 'invalid');
      if (!env.replyTo) return { dead: this.deadLetter(e, `unreadable request: ${env.message}`, deliveries), ack: true };
      return {
        reply: { ...env.replyTo, fields: this.reply(env.id, e.id, { status: 400, code: env.code, error: env.message }) },
        ack: true,
      };
    }
    const replyTo = { key: req.replyTo, type: req.replyType, ttl: req.replyTtl };
    if (deliveries > this.settings.maxDeliveries) {
      const reason = `delivered ${deliveries} times and never answered: each node that read it stopped before answering (maxDeliveries ${this.settings.maxDeliveries}); it may crash the model, or have been read together with one that does`;
      this.metrics.deadLetter(this.model);
      this.log.warn(
        { model: this.model, id: req.id, entry: e.id },
        `queue ${this.names.requests}: request ${JSON.stringify(req.id)} → ${this.names.deadLetters}: ${reason}`,
      );
      return {
        dead: this.deadLetter(e, reason, deliveries),
        reply: { ...replyTo, fields: this.reply(req.id, e.id, { status: 500, code: 'MG363', error: `request moved to ${this.names.deadLetters}: ${reason}` }) },
        ack: true,
      };
    }
    if (req.deadline !== undefined && Date.now() > req.deadline) {
      this.metrics.entry(this.model, 'expired');
      return {
        reply: {
          ...replyTo,
          fields: this.reply(req.id, e.id, { status: 504, code: 'MG364', error: 'the request passed its deadline before a node read it; it was not computed' }),
        },
        ack: true,
      };
    }
    if (this.crashOn !== undefined && req.id === this.crashOn) process.kill(process.pid, 'SIGKILL');
    const started = performance.now();
    try {
      const s = servableFor(this.core, { name: this.model, ...(req.version !== undefined ? { version: req.version } : {}) });
      const r = decodeInfer(s, splitInferBody(req.body, req.headerLength));
      const slice = await s.predict(r.raw, r.rows);
      const bins: Buffer[] = [];
      const json = encodeInfer(s, slice, r, bins);
      this.core.metrics.request(s.name, s.version, 'queue', 200, (performance.now() - started) / 1000);
      this.metrics.entry(this.model, 'ok');
      const head = Buffer.from(json, 'utf8');
      const body = bins.length ? Buffer.concat([head, ...bins]) : head;
      return {
        reply: {
          ...replyTo,
          fields: this.reply(req.id, e.id, { status: 200, version: s.version, body, ...(bins.length ? { headerLength: head.length } : {}) }),
        },
        ack: true,
      };
    } catch (err) {
      const se = err instanceof ServingError ? err : undefined;
      if (se && se.statusCode >= 500) {
        // the node cannot answer now (a version unloading, a worker replaced): another delivery will
        this.metrics.entry(this.model, 'retry');
        return { ack: false };
      }
      const status = se?.statusCode ?? 500;
      const message = se ? se.message : `internal error: ${(err as Error).message}`;
      this.metrics.entry(this.model, 'error');
      this.core.metrics.request(this.model, req.version ?? '', 'queue', status, (performance.now() - started) / 1000);
      return { reply: { ...replyTo, fields: this.reply(req.id, e.id, { status, code: se?.code ?? 'MG399', error: message }) }, ack: true };
    }
  }
}

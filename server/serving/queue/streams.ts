// The queue's names and entry formats, shared by the serving nodes and the
// client (docs/queue.md). A request is one stream entry whose `body` is a v2
// infer request exactly as POSTed to /v2/models/{name}/infer (JSON, or a JSON
// header followed by binary tensors when `header_length` is set); a reply is
// one entry (or hash) whose `body` is the v2 infer response, or an error.
import { ServingError } from '../errors';

/** The consumer group every node of a model joins. */
export const GROUP = 'modelgate';

export const streamNames = (model: string) => ({
  requests: `modelgate:${model}:requests`,
  deadLetters: `modelgate:${model}:dead`,
  /** A reply stream for one client run. */
  replies: (run: string) => `modelgate:${model}:replies:${run}`,
});

export type ReplyType = 'stream' | 'key';

export interface QueueRequest {
  /** The caller's id, echoed in the reply so duplicates (after a claim) can be dropped. */
  id: string;
  /** Stream (XADD) or hash key (HSET + EXPIRE) that receives the reply. */
  replyTo: string;
  replyType: ReplyType;
  /** Seconds the reply key or stream lives after the last reply written to it. */
  replyTtl: number;
  /** A model version; the default version answers when absent. */
  version?: string;
  body: Buffer;
  /** Bytes of JSON header at the start of `body` (the v2 binary extension's Inference-Header-Content-Length). */
  headerLength?: string;
  /** Milliseconds since the epoch after which the caller no longer waits: answered with an error, not computed. */
  deadline?: number;
}

export interface QueueReply {
  id: string;
  /** The request's entry id in the request stream. */
  entry: string;
  /** 200, or the HTTP status the same request would get from /v2 infer. */
  status: number;
  body?: Buffer;
  headerLength?: number;
  code?: string;
  error?: string;
  model: string;
  version?: string;
  /** Consumer name of the node that answered. */
  node: string;
}

export const DEFAULT_REPLY_TTL = 86_400;
const MAX_ID = 200;

/** A request entry that cannot be read; `replyTo` is set when an error reply can still be sent. */
export class EnvelopeError extends ServingError {
  constructor(
    message: string,
    readonly id: string,
    readonly replyTo?: { key: string; type: ReplyType; ttl: number },
  ) {
    super(400, message, 'MG362');
    this.name = 'EnvelopeError';
  }
}

/** Field list of a stream entry (RESP2 flat array of buffers) → field map. */
export function fieldMap(flat: readonly (Buffer | string)[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const v = flat[i + 1]!;
    m.set(flat[i]!.toString(), typeof v === 'string' ? Buffer.from(v) : v);
  }
  return m;
}

/** The fields of a request entry, in XADD order. */
export function requestFields(r: QueueRequest): (string | Buffer)[] {
  const f: (string | Buffer)[] = ['id', r.id, 'reply_to', r.replyTo];
  if (r.replyType !== 'stream') f.push('reply_type', r.replyType);
  if (r.replyTtl !== DEFAULT_REPLY_TTL) f.push('reply_ttl', String(r.replyTtl));
  if (r.version !== undefined) f.push('version', r.version);
  if (r.headerLength !== undefined) f.push('header_length', r.headerLength);
  if (r.deadline !== undefined) f.push('deadline', String(r.deadline));
  f.push('body', r.body);
  return f;
}

/** Reads a request entry; EnvelopeError says which field is wrong and what it should hold. */
export function decodeRequest(fields: Map<string, Buffer>): QueueRequest {
  const text = (k: string) => fields.get(k)?.toString('utf8');
  const id = text('id') ?? '';
  const replyTo = text('reply_to');
  const typeText = text('reply_type') ?? 'stream';
  const ttlText = text('reply_ttl');
  const ttl = ttlText === undefined ? DEFAULT_REPLY_TTL : Number(ttlText);
  const validTtl = Number.isInteger(ttl) && ttl >= 1 && ttl <= 30 * 86_400;
  const validType = typeText === 'stream' || typeText === 'key';
  const replyOk = replyTo !== undefined && replyTo !== '' && validType && validTtl;
  const fail = (message: string): never => {
    throw new EnvelopeError(message, id.slice(0, MAX_ID), replyOk ? { key: replyTo!, type: typeText as ReplyType, ttl } : undefined);
  };
  if (replyTo === undefined || replyTo === '') fail('the entry has no reply_to field: name the stream (or key) that should receive the reply');
  if (!validType) fail(`reply_type is ${JSON.stringify(typeText)}; write stream (XADD to reply_to) or key (a hash with a TTL)`);
  if (!validTtl) fail(`reply_ttl is ${JSON.stringify(ttlText)}; write a whole number of seconds from 1 to 2592000`);
  if (id === '') fail('the entry has no id field: give each request an id, echoed in its reply so duplicates can be dropped');
  if (id.length > MAX_ID) fail(`the id is ${id.length} characters long; at most ${MAX_ID}`);
  const body = fields.get('body');
  if (!body || body.length === 0) fail('the entry has no body field: put the v2 infer request there, e.g. {"inputs": [...]}');
  const deadlineText = text('deadline');
  const deadline = deadlineText === undefined ? undefined : Number(deadlineText);
  if (deadline !== undefined && !Number.isFinite(deadline)) fail(`deadline is ${JSON.stringify(deadlineText)}; write milliseconds since the epoch`);
  const version = text('version');
  const headerLength = text('header_length');
  return {
    id,
    replyTo: replyTo!,
    replyType: typeText as ReplyType,
    replyTtl: ttl,
    body: body!,
    ...(version !== undefined ? { version } : {}),
    ...(headerLength !== undefined ? { headerLength } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  };
}

/** The fields of a reply, for XADD or HSET. */
export function replyFields(r: QueueReply): (string | Buffer)[] {
  const f: (string | Buffer)[] = ['id', r.id, 'entry', r.entry, 'status', String(r.status), 'model', r.model, 'node', r.node];
  if (r.version !== undefined) f.push('version', r.version);
  if (r.code !== undefined) f.push('code', r.code);
  if (r.error !== undefined) f.push('error', r.error);
  if (r.headerLength !== undefined) f.push('header_length', String(r.headerLength));
  if (r.body !== undefined) f.push('body', r.body);
  return f;
}

export function decodeReply(fields: Map<string, Buffer>): QueueReply {
  const text = (k: string) => fields.get(k)?.toString('utf8');
  const version = text('version');
  const code = text('code');
  const error = text('error');
  const hl = text('header_length');
  const body = fields.get('body');
  return {
    id: text('id') ?? '',
    entry: text('entry') ?? '',
    status: Number(text('status') ?? 0),
    model: text('model') ?? '',
    node: text('node') ?? '',
    ...(version !== undefined ? { version } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(hl !== undefined ? { headerLength: Number(hl) } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}

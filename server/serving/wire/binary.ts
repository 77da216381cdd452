// The Open Inference Protocol's binary tensor data extension: a request body
// is a JSON inference header (its byte length in the
// Inference-Header-Content-Length HTTP header) followed by raw tensor bytes,
// little-endian, row-major, one input after another in the order the header
// lists the inputs that carry `parameters.binary_data_size`. Outputs come
// back the same way when asked for. Skipping JSON for the numbers is what
// makes large batches cheap: the bytes are read in place, not parsed.
import { parseRequestJson } from './json';
import { badRequest } from '../errors';
import { describeValue } from './cells';

export const HEADER_LENGTH = 'inference-header-content-length';

/** Bytes per element of the fixed-size v2 datatypes (BYTES is length-prefixed). */
export const V2_ELEMENT_SIZE: Record<string, number> = {
  BOOL: 1,
  INT8: 1,
  UINT8: 1,
  INT16: 2,
  UINT16: 2,
  FP16: 2,
  INT32: 4,
  UINT32: 4,
  FP32: 4,
  INT64: 8,
  UINT64: 8,
  FP64: 8,
};

/** The raw tensor bytes that followed a request's JSON header. */
const binaryOf = new WeakMap<object, Buffer>();

export function binarySection(body: unknown): Buffer | undefined {
  return typeof body === 'object' && body !== null ? binaryOf.get(body) : undefined;
}

/**
 * Splits a request body into its JSON header and binary part. Without the
 * header-length header the whole body is JSON, as in the plain protocol.
 */
export function splitInferBody(body: Buffer, headerLength: string | string[] | undefined): unknown {
  if (headerLength === undefined) return parseJson(body.toString('utf8'));
  const text = Array.isArray(headerLength) ? headerLength[0]! : headerLength;
  const n = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw badRequest(
      `Inference-Header-Content-Length is ${JSON.stringify(text)}; it must be the byte length of the JSON header at the start of the body`,
      'MG346',
    );
  if (n > body.length) {
    throw badRequest(
      `Inference-Header-Content-Length is ${n} but the body has only ${body.length} bytes; it must be the byte length of the JSON header at the start of the body, not the whole body`,
      'MG346',
    );
  }
  const header = parseJson(body.toString('utf8', 0, n));
  if (typeof header === 'object' && header !== null) binaryOf.set(header, body.subarray(n));
  return header;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') throw badRequest('request body is empty; send a JSON object such as {"inputs": [...]}', 'MG341');
  try {
    return parseRequestJson(text);
  } catch (err) {
    throw badRequest(
      `request body is not valid JSON: ${(err as Error).message}; check brackets, commas and quotes (with binary tensors, Inference-Header-Content-Length must cover exactly the JSON header)`,
      'MG344',
    );
  }
}

/** Reads binary tensor parts in header order; checks the sizes add up to the binary section. */
export class BinaryReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  /** The next `size` bytes, or a 400 naming the input when the body is short. */
  take(size: number, where: string): Buffer {
    if (this.pos + size > this.buf.length) {
      throw badRequest(
        `${where}.parameters.binary_data_size is ${size}, but only ${this.buf.length - this.pos} bytes of binary data remain after the JSON header; each binary input's size must match the bytes sent for it`,
        'MG346',
      );
    }
    const part = this.buf.subarray(this.pos, this.pos + size);
    this.pos += size;
    return part;
  }

  finish(): void {
    const left = this.buf.length - this.pos;
    if (left !== 0)
      throw badRequest(
        `${left} bytes of binary data follow the JSON header but no input's binary_data_size accounts for them; the sizes must add up to the body length minus Inference-Header-Content-Length`,
        'MG346',
      );
  }
}

/** `parameters.binary_data_size` of a tensor, if it has one. */
export function binaryDataSize(params: unknown, where: string): number | undefined {
  if (params === undefined) return undefined;
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw badRequest(`${where}.parameters must be an object, not ${describeValue(params)}`, 'MG314');
  const size = (params as Record<string, unknown>).binary_data_size;
  if (size === undefined) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw badRequest(`${where}.parameters.binary_data_size must be a whole number of bytes, not ${describeValue(size)}`, 'MG346');
  return size;
}

function aligned(part: Buffer, bytes: number): ArrayBuffer | SharedArrayBuffer {
  // Typed views need aligned offsets; pooled buffers may not be.
  if (part.byteOffset % bytes === 0) return part.buffer;
  return new Uint8Array(part).buffer;
}

function offsetOf(part: Buffer, bytes: number): number {
  return part.byteOffset % bytes === 0 ? part.byteOffset : 0;
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? Number.NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Binary tensor bytes → numbers (or strings for BYTES), `count` elements. */
export function decodeBinaryValues(part: Buffer, datatype: string, count: number, where: string): ArrayLike<number | boolean | string> {
  if (datatype === 'BYTES') {
    const out: string[] = [];
    let p = 0;
    while (p < part.length) {
      if (p + 4 > part.length) break;
      const len = part.readUInt32LE(p);
      if (p + 4 + len > part.length) break;
      out.push(part.toString('utf8', p + 4, p + 4 + len));
      p += 4 + len;
    }
    if (p !== part.length || out.length !== count) {
      throw badRequest(
        `${where} is BYTES binary data that does not hold ${count} length-prefixed elements (each a 4-byte little-endian length, then the bytes); check binary_data_size and the shape`,
        'MG346',
      );
    }
    return out;
  }
  const size = V2_ELEMENT_SIZE[datatype]!;
  if (part.length !== count * size) {
    throw badRequest(
      `${where}.parameters.binary_data_size is ${part.length} bytes, but shape × datatype needs ${count} × ${size} = ${count * size} bytes of ${datatype}`,
      'MG346',
    );
  }
  const buf = aligned(part, size);
  const off = offsetOf(part, size);
  switch (datatype) {
    case 'FP32':
      return new Float32Array(buf, off, count);
    case 'FP64':
      return new Float64Array(buf, off, count);
    case 'INT8':
      return new Int8Array(buf, off, count);
    case 'UINT8':
      return new Uint8Array(buf, off, count);
    case 'INT16':
      return new Int16Array(buf, off, count);
    case 'UINT16':
      return new Uint16Array(buf, off, count);
    case 'INT32':
      return new Int32Array(buf, off, count);
    case 'UINT32':
      return new Uint32Array(buf, off, count);
    case 'BOOL': {
      const out = new Array<boolean>(count);
      for (let i = 0; i < count; i++) out[i] = part[i] !== 0;
      return out;
    }
    case 'FP16': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = half(part.readUInt16LE(i * 2));
      return out;
    }
    case 'INT64':
    case 'UINT64': {
      const big = datatype === 'INT64' ? new BigInt64Array(buf, off, count) : new BigUint64Array(buf, off, count);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = big[i]!;
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
          throw badRequest(`${where} element ${i} is ${v}, outside the range a float64 holds exactly`, 'MG313');
        out[i] = Number(v);
      }
      return out;
    }
    default:
      throw badRequest(`${where}.datatype ${datatype} cannot be sent as binary data`, 'MG313');
  }
}

/** Strings as BYTES binary data: each a 4-byte little-endian length, then its UTF-8 bytes. */
export function encodeBytes(values: readonly string[]): Buffer {
  const parts = values.map((v) => Buffer.from(v, 'utf8'));
  const out = Buffer.allocUnsafe(parts.reduce((a, p) => a + 4 + p.length, 0));
  let p = 0;
  for (const b of parts) {
    out.writeUInt32LE(b.length, p);
    b.copy(out, p + 4);
    p += 4 + b.length;
  }
  return out;
}

/** The bytes of a typed array's elements [from, to). */
export function typedBytes(data: ArrayBufferView & { BYTES_PER_ELEMENT: number }, from: number, to: number): Buffer {
  const size = data.BYTES_PER_ELEMENT;
  return Buffer.from(data.buffer, data.byteOffset + from * size, (to - from) * size);
}

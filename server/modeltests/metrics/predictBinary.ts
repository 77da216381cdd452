// Scoring over the Open Inference Protocol's binary tensor data extension:
// each request is a small JSON header followed by the feature rows as raw
// little-endian floats, and the answer carries the probabilities and labels
// as raw bytes too — no number is printed or parsed on either side.
import type { InputPlan, ProcessingPlan } from '../../manifest/processing';
import { HttpScoringError, inFlight, type HttpScoringOptions } from './inFlight';
import type { ServedPredictions } from './predictOverHttp';

/** Binary requests are cheap to build and read, so they carry more rows. */
export const DEFAULT_BINARY_ROWS_PER_REQUEST = 4096;
/** Bytes of tensor data per request at most: half the server's default 8 MB body limit, for wide inputs. */
export const MAX_BINARY_REQUEST_BYTES = 4 * 1024 * 1024;

export function inferUrl(baseUrl: string, model: { name: string; version: string }): string {
  return `${baseUrl.replace(/\/+$/, '')}/v2/models/${encodeURIComponent(model.name)}/versions/${encodeURIComponent(model.version)}/infer`;
}

/**
 * FP32 only when the server would round the values to float32 before any
 * arithmetic (a float32 input without preprocessing); otherwise FP64, so the
 * served path sees exactly the doubles the in-process path sees and the
 * training-serving skew measures the server, not the wire.
 */
export function wireDatatype(input: InputPlan): 'FP32' | 'FP64' {
  return input.dtype === 'float32' && input.steps.length === 0 ? 'FP32' : 'FP64';
}

/** Rows per request: the asked or default number, fewer for wide rows so a body stays under MAX_BINARY_REQUEST_BYTES. */
export function binaryRowsPerRequest(plan: ProcessingPlan, requested: number | undefined): number {
  const rowBytes = plan.inputs.reduce((a, input) => a + input.rawWidth * (wireDatatype(input) === 'FP32' ? 4 : 8), 0);
  return Math.max(1, Math.min(requested ?? DEFAULT_BINARY_ROWS_PER_REQUEST, Math.floor(MAX_BINARY_REQUEST_BYTES / Math.max(1, rowBytes))));
}

interface OutputHeader {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: { binary_data_size?: number };
  data?: unknown[];
}

export async function predictBinary(
  baseUrl: string,
  model: { name: string; version: string },
  plan: ProcessingPlan,
  inputs: Float64Array[],
  rows: number,
  opts: HttpScoringOptions,
): Promise<ServedPredictions> {
  const endpoint = inferUrl(baseUrl, model);
  const types = plan.inputs.map(wireDatatype);
  const rowsPerRequest = binaryRowsPerRequest(plan, opts.rowsPerRequest);
  const labelName = plan.post.find((s) => s.op === 'argmax')?.as;
  const main = plan.task === 'classification' ? plan.probabilityOutput : plan.primaryOutput;
  const wanted = [main, ...(labelName && plan.task === 'classification' ? [labelName] : [])];
  const outputs = wanted.map((name) => ({ name, parameters: { binary_data: true } }));
  let width: number | undefined;
  let values: Float64Array | undefined;
  let labels: string[] | undefined;

  const request = (from: number, to: number) => {
    const n = to - from;
    const parts = plan.inputs.map((input, k) => {
      const src = inputs[k]!.subarray(from * input.rawWidth, to * input.rawWidth);
      const typed = types[k] === 'FP32' ? Float32Array.from(src) : src;
      return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
    });
    const header = JSON.stringify({
      inputs: plan.inputs.map((input, k) => ({
        name: input.name,
        shape: [n, input.rawWidth],
        datatype: types[k],
        parameters: { binary_data_size: parts[k]!.byteLength },
      })),
      outputs,
    });
    const head = Buffer.from(header, 'utf8');
    const body = Buffer.concat([head, ...parts]);
    return { headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(head.length) }, body };
  };

  const read = async (res: Response, from: number, to: number) => {
    const n = to - from;
    const bytes = Buffer.from(await res.arrayBuffer());
    const lengthHeader = res.headers.get('inference-header-content-length');
    const headLen = lengthHeader === null ? bytes.length : Number(lengthHeader);
    const header = JSON.parse(bytes.toString('utf8', 0, headLen)) as { outputs?: OutputHeader[] };
    let offset = headLen;
    for (const o of header.outputs ?? []) {
      const size = o.parameters?.binary_data_size;
      const part = size === undefined ? undefined : bytes.subarray(offset, offset + size);
      if (size !== undefined) offset += size;
      if (o.name === main) {
        const got = numbers(o, part);
        const w = got.length / n;
        if (!Number.isInteger(w) || (width !== undefined && w !== width))
          throw new HttpScoringError(`POST ${endpoint} (rows ${from}–${to - 1}) answered "${o.name}" with ${got.length} values for ${n} rows`);
        width = w;
        values ??= new Float64Array(rows * w);
        values.set(got, from * w);
      } else if (o.name === labelName) {
        const got = strings(o, part);
        if (got.length !== n) throw new HttpScoringError(`POST ${endpoint} (rows ${from}–${to - 1}) answered ${got.length} labels for ${n} rows`);
        labels ??= new Array<string>(rows);
        for (let i = 0; i < n; i++) labels[from + i] = got[i]!;
      }
    }
    if (!header.outputs?.some((o) => o.name === main)) throw new HttpScoringError(`POST ${endpoint} answered without output "${main}"`);
  };

  const { requests, elapsedMs, concurrency } = await inFlight(endpoint, rows, rowsPerRequest, opts, request, read);
  const out: ServedPredictions = {
    rows,
    requests,
    rowsPerRequest,
    concurrency,
    elapsedMs,
    endpoint,
    wire: 'v2-binary',
    wireNote: 'served over v2 binary tensors',
  };
  if (values) {
    if (plan.task === 'classification') {
      out.probabilities = values;
      out.classes = width!;
    } else {
      out.values = values;
    }
  }
  if (labels) out.labels = labels;
  return out;
}

/** A numeric output as doubles, from its binary part or its JSON data. */
function numbers(o: OutputHeader, part: Buffer | undefined): ArrayLike<number> {
  if (!part) return (o.data ?? []).map((v) => (typeof v === 'number' ? v : Number.NaN));
  const copy = new Uint8Array(part).buffer; // aligned for the typed view
  switch (o.datatype) {
    case 'FP32':
      return new Float32Array(copy);
    case 'FP64':
      return new Float64Array(copy);
    case 'INT32':
      return new Int32Array(copy);
    case 'INT64':
      return Array.from(new BigInt64Array(copy), Number);
    default:
      throw new HttpScoringError(`output "${o.name}" came back as ${o.datatype}, which the metrics suite does not read as scores`);
  }
}

/** A BYTES output: 4-byte little-endian length, then the UTF-8 bytes, per element. */
function strings(o: OutputHeader, part: Buffer | undefined): string[] {
  if (!part) return (o.data ?? []).map(String);
  const out: string[] = [];
  for (let p = 0; p + 4 <= part.length;) {
    const len = part.readUInt32LE(p);
    out.push(part.toString('utf8', p + 4, p + 4 + len));
    p += 4 + len;
  }
  return out;
}

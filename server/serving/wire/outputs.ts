// The outputs a request gets back: the model's raw outputs, then the
// postprocessing results (softmax probabilities, argmax label, top-k), and
// how to write one row of each as JSON text. Responses are built as strings:
// measured faster than JSON.stringify on objects of typed-array copies, and
// NaN/Infinity (which JSON cannot carry) become null explicitly.
import type { BatchOutput } from '../../manifest/predict';
import type { ProcessingPlan } from '../../manifest/processing';
import type { Tensor } from '../../runtime/onnx';

export type ServedOutput =
  | { kind: 'tensor'; name: string; key: string; dtype: string; rowDims: number[]; width: number; data: ArrayLike<unknown> }
  | { kind: 'labels'; name: string; key: string; values: string[] }
  | { kind: 'topk'; name: string; key: string; k: number; labels: string[]; scores: Float32Array };

const cache = new WeakMap<BatchOutput, ServedOutput[]>();

function tensorOutput(name: string, t: Tensor): ServedOutput {
  const rowDims = t.dims.slice(1);
  return {
    kind: 'tensor',
    name,
    key: JSON.stringify(name),
    dtype: t.dtype,
    rowDims,
    width: rowDims.reduce((a, b) => a * b, 1),
    data: t.data as ArrayLike<unknown>,
  };
}

/** Every output of a batch, raw first (in signature order), computed once per batch. */
export function servedOutputs(plan: ProcessingPlan, out: BatchOutput): ServedOutput[] {
  let list = cache.get(out);
  if (list) return list;
  list = [];
  const seen = new Set<string>();
  for (const o of plan.outputs) {
    const t = out.raw[o.name];
    if (t) {
      list.push(tensorOutput(o.name, t));
      seen.add(o.name);
    }
  }
  for (const [name, t] of Object.entries(out.raw)) if (!seen.has(name)) list.push(tensorOutput(name, t));
  for (const d of out.derived) {
    const key = JSON.stringify(d.name);
    if (d.kind === 'tensor')
      list.push({ kind: 'tensor', name: d.name, key, dtype: 'float32', rowDims: d.dims, width: d.dims.reduce((a, b) => a * b, 1), data: d.data });
    else if (d.kind === 'labels') list.push({ kind: 'labels', name: d.name, key, values: d.values });
    else list.push({ kind: 'topk', name: d.name, key, k: d.k, labels: d.labels, scores: d.scores });
  }
  cache.set(out, list);
  return list;
}

export function num(v: unknown): string {
  if (typeof v === 'number') return v - v === 0 ? '' + v : 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  return 'null';
}

const quoted = new Map<string, string>();
export function str(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quoted.size < 10000) quoted.set(s, q);
  }
  return q;
}

function nested(data: ArrayLike<unknown>, dims: number[], level: number, start: number): string {
  const size = dims[level]!;
  if (level === dims.length - 1) {
    let s = '[';
    for (let i = 0; i < size; i++) s += (i ? ',' : '') + num(data[start + i]);
    return s + ']';
  }
  const stride = dims.slice(level + 1).reduce((a, b) => a * b, 1);
  let s = '[';
  for (let i = 0; i < size; i++) s += (i ? ',' : '') + nested(data, dims, level + 1, start + i * stride);
  return s + ']';
}

/** Row `r` of an output as JSON text, shaped as the output's row dims. */
export function rowJson(o: ServedOutput, r: number): string {
  if (o.kind === 'tensor') {
    if (o.rowDims.length === 0) return num(o.data[r]);
    if (o.rowDims.length === 1) {
      const base = r * o.width;
      let s = '[';
      for (let i = 0; i < o.width; i++) s += (i ? ',' : '') + num(o.data[base + i]);
      return s + ']';
    }
    return nested(o.data, o.rowDims, 0, r * o.width);
  }
  if (o.kind === 'labels') return str(o.values[r]!);
  let s = '[';
  for (let i = 0; i < o.k; i++) s += (i ? ',' : '') + '{"label":' + str(o.labels[r * o.k + i]!) + ',"score":' + num(o.scores[r * o.k + i]) + '}';
  return s + ']';
}

/** Flat values of rows [from, from + n) of an output, for v2 tensors. */
export function flatJson(o: ServedOutput, from: number, n: number, part?: 'labels' | 'scores'): string {
  let s = '';
  if (o.kind === 'tensor') {
    const end = (from + n) * o.width;
    for (let i = from * o.width; i < end; i++) s += (s ? ',' : '') + num(o.data[i]);
  } else if (o.kind === 'labels') {
    for (let i = from; i < from + n; i++) s += (i > from ? ',' : '') + str(o.values[i]!);
  } else {
    for (let i = from * o.k; i < (from + n) * o.k; i++) s += (i > from * o.k ? ',' : '') + (part === 'scores' ? num(o.scores[i]) : str(o.labels[i]!));
  }
  return '[' + s + ']';
}

// Pre- and postprocessing declared in a manifest, compiled once into a plan
// (compileProcessing.ts) and applied to row-major typed arrays. Pure: no I/O, no runtime. Serving,
// bulk scoring and the model tests all run these same functions, so a served
// prediction and an in-process one go through identical arithmetic.
//
// Raw rows: one Float64Array per model input, `rows × rawWidth`, features in
// the manifest's order (`signature.inputs[].features`). A `onehot` column
// holds the category's index in `categories` (use `encodeCategory` for raw
// strings or values; -1 or NaN for an unknown category gives all zeros).
import type { Tensor, TensorData, TensorDType, TensorInfo } from '../runtime/onnx';

export type PreStep =
  | { op: 'standardize'; mean: Float64Array; std: Float64Array }
  | { op: 'minmax'; min: Float64Array; scale: Float64Array }
  | { op: 'onehot'; column: number; categories: (string | number)[] }
  | { op: 'reshape'; shape: number[] };

export interface InputPlan {
  name: string;
  dtype: TensorDType;
  /** Dims of one row as the model sees it (after preprocessing), batch axis excluded. */
  dims: number[];
  /** Elements of one row as the model sees it: product of `dims`. */
  modelWidth: number;
  /** Raw values per row, before preprocessing. */
  rawWidth: number;
  /** Raw column names (length rawWidth), or generated `name[i]` when the manifest lists none. */
  features: string[];
  /** True when `features` came from the manifest. */
  namedFeatures: boolean;
  steps: PreStep[];
  /** Raw column index → categories, for onehot columns. */
  categorical: Map<number, (string | number)[]>;
  /** serving.nonFinite: pass — NaN and ±Infinity reach the model (float inputs only). */
  passNonFinite?: boolean;
  /** Whole numbers the model accepts, when its graph says (an id that indexes a table), with the reason. */
  valueRange?: { min: number; max: number; why: string };
}

export interface OutputPlan {
  name: string;
  dtype: TensorDType | 'unknown';
  /** Dims of one row, batch axis excluded; -1 where unknown before running. */
  dims: number[];
}

export type PostStep =
  | { op: 'softmax'; output: string; as: string }
  | { op: 'argmax'; output: string; as: string; source: string }
  | { op: 'topk'; output: string; as: string; source: string; k: number };

export interface ProcessingPlan {
  task: 'classification' | 'regression';
  classLabels: string[] | undefined;
  inputs: InputPlan[];
  outputs: OutputPlan[];
  post: PostStep[];
  /** The output that holds class scores (classification) or the value (regression). */
  primaryOutput: string;
  /** Name of the output holding probabilities: a softmax result, else the primary output. */
  probabilityOutput: string;
  /** Sum of rawWidth over inputs: the width of one row in manifest feature order. */
  rawWidth: number;
}

/** A derived (postprocessed) output, split per row by the caller. */
export type DerivedOutput =
  | { kind: 'tensor'; name: string; dims: number[]; data: Float32Array }
  | { kind: 'labels'; name: string; values: string[] }
  | { kind: 'topk'; name: string; k: number; labels: string[]; scores: Float32Array };

/** What the model itself reports; used when the manifest has no signature. */
export interface ModelSignature {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

/** Index of `value` among `categories` (compared as strings), or -1. */
export function encodeCategory(value: string | number | boolean, categories: (string | number)[]): number {
  const s = String(value);
  for (let i = 0; i < categories.length; i++) if (String(categories[i]) === s) return i;
  return -1;
}

function allocate(dtype: TensorDType, n: number): TensorData | Uint8Array {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'float64':
      return new Float64Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'uint8':
      return new Uint8Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'uint64':
      return new BigUint64Array(n);
    case 'bool':
      return new Uint8Array(n);
    default:
      throw new Error(`unsupported input dtype ${dtype}`);
  }
}

/**
 * Raw rows of one input → the model's tensor: every step in order, then the
 * conversion to the input's dtype. `raw` is not modified.
 */
export function preprocess(input: InputPlan, raw: Float64Array, rows: number): Tensor {
  if ((input.dtype === 'float32' || input.dtype === 'float64') && input.categorical.size === 0 && !input.steps.some((s) => s.op === 'onehot')) {
    return scaleInto(input, raw, rows);
  }
  let width = input.rawWidth;
  let cur: Float64Array = raw;
  let copied = false;
  for (const step of input.steps) {
    if (step.op === 'standardize' || step.op === 'minmax') {
      if (!copied) {
        cur = new Float64Array(cur);
        copied = true;
      }
      const a = step.op === 'standardize' ? step.mean : step.min;
      const b = step.op === 'standardize' ? step.std : step.scale;
      const n = rows * width;
      if (step.op === 'standardize') {
        for (let i = 0, j = 0; i < n; i++) {
          cur[i] = (cur[i]! - a[j]!) / b[j]!;
          if (++j === width) j = 0;
        }
      } else {
        for (let i = 0, j = 0; i < n; i++) {
          cur[i] = (cur[i]! - a[j]!) * b[j]!;
          if (++j === width) j = 0;
        }
      }
    } else if (step.op === 'onehot') {
      const k = step.categories.length;
      const outWidth = width + k - 1;
      const next = new Float64Array(rows * outWidth);
      for (let r = 0; r < rows; r++) {
        const src = r * width;
        const dst = r * outWidth;
        for (let c = 0; c < step.column; c++) next[dst + c] = cur[src + c]!;
        const idx = cur[src + step.column]!;
        if (Number.isInteger(idx) && idx >= 0 && idx < k) next[dst + step.column + idx] = 1;
        for (let c = step.column + 1; c < width; c++) next[dst + c + k - 1] = cur[src + c]!;
      }
      cur = next;
      copied = true;
      width = outWidth;
    }
    // reshape only changes dims; rows are already row-major.
  }
  const n = rows * width;
  const dims = [rows, ...input.dims];
  if (input.dtype === 'float64') return { dtype: 'float64', dims, data: copied ? cur : new Float64Array(cur) };
  const data = allocate(input.dtype, n);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) data[i] = BigInt(Math.round(cur[i]!));
  } else if (input.dtype === 'bool') {
    for (let i = 0; i < n; i++) (data as Uint8Array)[i] = cur[i] ? 1 : 0;
  } else {
    (data as Float32Array).set(cur.subarray(0, n));
  }
  return { dtype: input.dtype, dims, data: data as TensorData };
}

/**
 * One pass from raw rows to the float tensor when the steps only scale
 * (standardize, minmax, reshape): each value goes through every step in
 * float64 and is rounded once on store, as the general path does.
 */
function scaleInto(input: InputPlan, raw: Float64Array, rows: number): Tensor {
  const w = input.rawWidth;
  const n = rows * w;
  const out = input.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const scales = input.steps.filter((s): s is Extract<PreStep, { op: 'standardize' | 'minmax' }> => s.op === 'standardize' || s.op === 'minmax');
  if (scales.length === 0) out.set(raw.subarray(0, n));
  else if (scales.length === 1) {
    const s = scales[0]!;
    if (s.op === 'standardize') {
      const a = s.mean,
        b = s.std;
      for (let i = 0, j = 0; i < n; i++) {
        out[i] = (raw[i]! - a[j]!) / b[j]!;
        if (++j === w) j = 0;
      }
    } else {
      const a = s.min,
        b = s.scale;
      for (let i = 0, j = 0; i < n; i++) {
        out[i] = (raw[i]! - a[j]!) * b[j]!;
        if (++j === w) j = 0;
      }
    }
  } else {
    for (let i = 0, j = 0; i < n; i++) {
      let v = raw[i]!;
      for (const s of scales) v = s.op === 'standardize' ? (v - s.mean[j]!) / s.std[j]! : (v - s.min[j]!) * s.scale[j]!;
      out[i] = v;
      if (++j === w) j = 0;
    }
  }
  return { dtype: input.dtype, dims: [rows, ...input.dims], data: out };
}

/** Converts any numeric output tensor to float32 values, for postprocessing. */
export function tensorToFloat32(t: Tensor): Float32Array {
  const d = t.data;
  if (d instanceof Float32Array) return d;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number((d as ArrayLike<number | bigint | boolean>)[i]);
  return out;
}

/** Row-wise softmax over `width` columns, numerically stable. */
export function softmax(x: Float32Array, width: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length; r += width) {
    let max = -Infinity;
    for (let c = 0; c < width; c++) if (x[r + c]! > max) max = x[r + c]!;
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const e = Math.exp(x[r + c]! - max);
      out[r + c] = e;
      sum += e;
    }
    for (let c = 0; c < width; c++) out[r + c] = out[r + c]! / sum;
  }
  return out;
}

/** Row-wise index of the largest value (first one on ties). */
export function argmax(x: ArrayLike<number>, width: number): Int32Array {
  const rows = width > 0 ? Math.floor(x.length / width) : 0;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bv = x[r * width]!;
    for (let c = 1; c < width; c++) {
      const v = x[r * width + c]!;
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Row-wise k largest values, best first: column indices and scores, both rows × k. */
export function topk(x: ArrayLike<number>, width: number, k: number): { index: Int32Array; score: Float32Array } {
  const rows = width > 0 ? Math.floor(x.length / width) : 0;
  const kk = Math.min(k, width);
  const index = new Int32Array(rows * kk);
  const score = new Float32Array(rows * kk);
  const order = new Int32Array(width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) order[c] = c;
    const base = r * width;
    // partial selection sort: k is small
    for (let i = 0; i < kk; i++) {
      let best = i;
      for (let j = i + 1; j < width; j++) if (x[base + order[j]!]! > x[base + order[best]!]!) best = j;
      const t = order[i]!;
      order[i] = order[best]!;
      order[best] = t;
      index[r * kk + i] = order[i]!;
      score[r * kk + i] = x[base + order[i]!]!;
    }
  }
  return { index, score };
}

export function labelOf(plan: ProcessingPlan, index: number): string {
  return plan.classLabels?.[index] ?? String(index);
}

/** Width of one output row as actually produced. */
export function rowWidth(t: Tensor): number {
  return t.dims.slice(1).reduce((a, b) => a * b, 1);
}

/**
 * Runs the postprocessing steps on a batch's raw outputs. Raw outputs stay
 * untouched; each step adds one derived output under its `as` name.
 */
export function postprocess(plan: ProcessingPlan, raw: Record<string, Tensor>): DerivedOutput[] {
  const out: DerivedOutput[] = [];
  const values = new Map<string, { data: Float32Array; width: number; dims: number[] }>();
  const get = (name: string) => {
    let v = values.get(name);
    if (!v) {
      const t = raw[name];
      if (!t) throw new Error(`the model did not produce output "${name}"`);
      v = { data: tensorToFloat32(t), width: rowWidth(t), dims: t.dims.slice(1) };
      values.set(name, v);
    }
    return v;
  };
  for (const step of plan.post) {
    if (step.op === 'softmax') {
      const v = get(step.output);
      const data = softmax(v.data, v.width);
      values.set(step.as, { data, width: v.width, dims: v.dims });
      out.push({ kind: 'tensor', name: step.as, dims: v.dims, data });
    } else if (step.op === 'argmax') {
      const v = get(step.source);
      const idx = argmax(v.data, v.width);
      const labels = new Array<string>(idx.length);
      for (let i = 0; i < idx.length; i++) labels[i] = labelOf(plan, idx[i]!);
      out.push({ kind: 'labels', name: step.as, values: labels });
    } else {
      const v = get(step.source);
      const { index, score } = topk(v.data, v.width, step.k);
      const labels = new Array<string>(index.length);
      for (let i = 0; i < index.length; i++) labels[i] = labelOf(plan, index[i]!);
      out.push({ kind: 'topk', name: step.as, k: Math.min(step.k, v.width), labels, scores: score });
    }
  }
  return out;
}

/**
 * Raw feature rows from a table of cells (a CSV's string cells, JSON values):
 * one Float64Array per input, onehot columns encoded as category indices.
 * `columnOf(name)` gives a feature's column index in `cells`' rows.
 */
export function rawRowsFromCells(
  plan: ProcessingPlan,
  cells: ArrayLike<ArrayLike<string | number | boolean | null | undefined>>,
  columnOf: (feature: string) => number,
): Float64Array[] {
  const n = cells.length;
  return plan.inputs.map((input) => {
    const idx = input.features.map((f) => columnOf(f));
    const out = new Float64Array(n * input.rawWidth);
    for (let r = 0; r < n; r++) {
      const row = cells[r]!;
      for (let c = 0; c < input.rawWidth; c++) {
        const v = row[idx[c]!];
        const cats = input.categorical.get(c);
        out[r * input.rawWidth + c] = cats
          ? v === null || v === undefined || v === ''
            ? -1
            : encodeCategory(v, cats)
          : v === null || v === undefined || (typeof v === 'string' && v.trim() === '')
            ? Number.NaN
            : Number(v);
      }
    }
    return out;
  });
}

/** Splits rows given in manifest feature order (all inputs side by side) into one array per input. */
export function splitByInput(plan: ProcessingPlan, rows: Float64Array, n: number): Float64Array[] {
  if (plan.inputs.length === 1) return [rows];
  const out = plan.inputs.map((i) => new Float64Array(n * i.rawWidth));
  for (let r = 0; r < n; r++) {
    let off = r * plan.rawWidth;
    plan.inputs.forEach((input, k) => {
      out[k]!.set(rows.subarray(off, off + input.rawWidth), r * input.rawWidth);
      off += input.rawWidth;
    });
  }
  return out;
}

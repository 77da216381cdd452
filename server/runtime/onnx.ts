// The only module that imports onnxruntime-node. Everything above talks to
// models through these functions and plain typed arrays. The native library
// is loaded when a model is first needed, not when this module is imported:
// the language server lints YAML without it until a manifest's model is read.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Ort from 'onnxruntime-node';

let loaded: typeof Ort | undefined;
/** onnxruntime-node, loaded on first use. */
function ortLib(): typeof Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('onnxruntime-node') as typeof Ort;
  return loaded;
}

/** Whether onnxruntime's native library has been loaded in this process (for tests of the lazy load). */
export function onnxRuntimeLoaded(): boolean {
  return loaded !== undefined;
}

export type TensorDType =
  'float32' | 'float64' | 'float16' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool' | 'string';

/** A dimension is a fixed size, or a symbolic name / -1 for a dynamic axis. */
export type Dim = number | string;

export interface TensorInfo {
  name: string;
  dtype: TensorDType | 'unknown';
  shape: Dim[];
}

export interface ModelMetadata {
  path: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  sizeBytes: number;
  mtimeMs: number;
}

export type TensorData =
  Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array | string[];

export interface Tensor {
  dtype: TensorDType;
  dims: number[];
  data: TensorData | boolean[] | Uint8Array;
}

export interface SessionOptions {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

/** Thrown when a file cannot be read as an ONNX model; the message is for users. */
export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly path: string,
    /** For a file that is something else: what it is ("is a Python pickle …") and how to get an ONNX file from it. */
    readonly identified?: { what: string; fix: string },
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

const ORT_TO_DTYPE: Record<string, TensorDType> = {
  float32: 'float32',
  float64: 'float64',
  float16: 'float16',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  bool: 'bool',
  string: 'string',
};

function toInfo(meta: Ort.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, dtype: 'unknown', shape: [] };
  return {
    name: meta.name,
    dtype: ORT_TO_DTYPE[meta.type] ?? 'unknown',
    shape: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' ? d : -1)),
  };
}

// ONNX files are protobuf ModelProto; field 1 (ir_version, varint) comes
// first in every exporter we know, so byte 0 is 0x08. Anything else is not
// worth handing to the native loader, whose errors are cryptic.
function looksLikeOnnx(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x08;
}

const TORCH_EXPORT = "export it with torch.onnx.export(model, example_input, 'model.onnx', dynamic_axes={'input': {0: 'batch'}})";

/**
 * What a file that is not ONNX is, from its first bytes (the formats models
 * are saved in before conversion), with the conversion that makes it ONNX.
 */
export function identifyModelFile(head: Buffer, size: number): { what: string; fix: string } {
  const text = head.subarray(0, 200).toString('latin1');
  if (text.startsWith('version https://git-lfs.github.com/spec/')) {
    const oid = /oid sha256:([0-9a-f]{12})/.exec(text)?.[1];
    return {
      what: `is a Git LFS pointer (${size} bytes${oid ? `, object ${oid}…` : ''}), not the model: the model itself was never downloaded`,
      fix: 'run `git lfs install && git lfs pull` in the repository it came from, then try again',
    };
  }
  if (head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5)
    return {
      what: 'is a Python pickle (a scikit-learn, XGBoost or PyTorch object saved with pickle or joblib)',
      fix:
        'convert the model with skl2onnx (`to_onnx(model, X[:1].astype("float32"))`), onnxmltools for XGBoost/LightGBM, or, for a PyTorch module, ' +
        TORCH_EXPORT,
    };
  if (text.startsWith('PK\x03\x04')) {
    if (/data\.pkl|\/data\/\d|version/.test(head.toString('latin1')) && /\.pkl/.test(head.toString('latin1')))
      return { what: 'is a PyTorch checkpoint (a zip written by torch.save)', fix: `load the module in Python and ${TORCH_EXPORT}` };
    if (/config\.json|model\.weights\.h5|metadata\.json/.test(head.toString('latin1')))
      return { what: 'is a Keras model archive (.keras)', fix: 'convert it with tf2onnx: `python -m tf2onnx.convert --keras model.keras --output model.onnx`' };
    return { what: 'is a zip archive', fix: 'unpack it and point model.artifact at the .onnx file inside, or export the model to ONNX' };
  }
  if (text.startsWith('\x89HDF\r\n\x1a\n'))
    return { what: 'is an HDF5 file (a Keras .h5 model)', fix: 'convert it with tf2onnx: `python -m tf2onnx.convert --keras model.h5 --output model.onnx`' };
  if (text.slice(4, 8) === 'TFL3')
    return { what: 'is a TensorFlow Lite model', fix: 'convert it with tf2onnx: `python -m tf2onnx.convert --tflite model.tflite --output model.onnx`' };
  if (head.length >= 9) {
    const n = Number(head.readBigUInt64LE(0));
    if (n > 1 && n < 100_000_000 && head[8] === 0x7b)
      return {
        what: 'is a safetensors file: weights only, without the graph that computes with them',
        fix: `load the weights into the model class in Python and ${TORCH_EXPORT}`,
      };
  }
  if (text.startsWith('GGUF')) return { what: 'is a GGUF model (llama.cpp)', fix: 'ModelGate serves ONNX; export the original model to ONNX' };
  const printable = [...head.subarray(0, 200)].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0x80);
  if (printable && head.length)
    return {
      what: `is a text file, starting "${text.slice(0, 40).replace(/\s+/g, ' ').trim()}${text.length > 40 ? '…' : ''}"`,
      fix: 'point model.artifact at the .onnx file, or export the model to ONNX (torch.onnx.export, tf2onnx, skl2onnx)',
    };
  return {
    what: 'is not an ONNX file (it does not start with an ONNX header)',
    fix: 'export the model to ONNX (torch.onnx.export, tf2onnx, skl2onnx) and check that the file was copied whole',
  };
}

/** A TensorFlow SavedModel is a folder; say so instead of "it is a directory". */
async function identifyFolder(path: string): Promise<{ what: string; fix: string } | undefined> {
  try {
    await stat(join(path, 'saved_model.pb'));
    return {
      what: 'is a TensorFlow SavedModel folder',
      fix: `convert it with tf2onnx: \`python -m tf2onnx.convert --saved-model ${path} --output model.onnx\``,
    };
  } catch {
    return undefined;
  }
}

async function readModelFile(path: string): Promise<Buffer> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EISDIR') {
      const folder = await identifyFolder(path);
      if (folder) throw new ModelLoadError(`not an ONNX model: ${path} ${folder.what}; ${folder.fix}`, path, folder);
    }
    const why =
      e.code === 'ENOENT' ? 'the file does not exist' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new ModelLoadError(`cannot read model file ${path}: ${why}`, path);
  }
  if (buf.length === 0) throw new ModelLoadError(`not an ONNX model: ${path} is empty`, path);
  if (!looksLikeOnnx(buf)) {
    const id = identifyModelFile(buf.subarray(0, 4096), buf.length);
    throw new ModelLoadError(`not an ONNX model: ${path} ${id.what}; ${id.fix}`, path, id);
  }
  return buf;
}

export async function createSession(path: string, opts: SessionOptions = {}): Promise<Ort.InferenceSession> {
  const buf = await readModelFile(path);
  try {
    return await ortLib().InferenceSession.create(buf, {
      intraOpNumThreads: opts.intraOpNumThreads ?? 1,
      interOpNumThreads: opts.interOpNumThreads ?? 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Errors only as exceptions: a refused input is answered (and logged) by
      // the server; onnxruntime's own stderr lines would repeat it per request.
      logSeverityLevel: 4,
    });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0];
    throw new ModelLoadError(`not an ONNX model onnxruntime can load: ${path}: ${msg}`, path);
  }
}

export function sessionMetadata(session: Ort.InferenceSession): { inputs: TensorInfo[]; outputs: TensorInfo[] } {
  return { inputs: session.inputMetadata.map(toInfo), outputs: session.outputMetadata.map(toInfo) };
}

const metadataCache = new Map<string, Promise<ModelMetadata>>();

/**
 * Reads a model's inputs and outputs. Cached by path + mtime + size, so the
 * language server can re-validate on every keystroke without reloading.
 */
export async function loadModelMetadata(path: string): Promise<ModelMetadata> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new ModelLoadError(`cannot read model file ${path}: the file does not exist`, path);
  }
  const key = `${path}\0${st.mtimeMs}\0${st.size}`;
  let entry = metadataCache.get(key);
  if (!entry) {
    for (const k of metadataCache.keys()) if (k.startsWith(path + '\0')) metadataCache.delete(k);
    entry = (async () => {
      const session = await createSession(path);
      try {
        return { path, ...sessionMetadata(session), sizeBytes: st.size, mtimeMs: st.mtimeMs };
      } finally {
        await session.release();
      }
    })();
    metadataCache.set(key, entry);
    entry.catch(() => metadataCache.delete(key));
  }
  return entry;
}

export function makeTensor(t: Tensor): Ort.Tensor {
  return new (ortLib().Tensor)(t.dtype as Ort.Tensor.Type, t.data as never, t.dims);
}

export function fromOrtTensor(v: Ort.OnnxValue): Tensor {
  const t = v as Ort.Tensor;
  return { dtype: ORT_TO_DTYPE[t.type] ?? 'float32', dims: [...t.dims], data: t.data as TensorData };
}

/** onnxruntime refused to compute on the given tensors (the model was loaded; the values are the problem). */
export class InferenceError extends Error {
  constructor(
    message: string,
    /** onnxruntime's own text, first line. */
    readonly runtimeMessage: string,
  ) {
    super(message);
    this.name = 'InferenceError';
  }
}

/** What to do about onnxruntime errors whose cause is known, or undefined. */
export function runtimeHint(message: string): string | undefined {
  const dims = /invalid dimensions for input: (\S+) for the following indices\s+index: (\d+) Got: (\d+) Expected: (\d+)/.exec(message);
  if (dims) {
    const [, input, index, , expected] = dims;
    if (index === '0')
      return `the model was exported with a fixed batch size of ${expected} for input "${input}": export it again with dynamic_axes={'${input}': {0: 'batch'}} (torch.onnx.export), or set serving.batching.enabled: false and send ${expected} row${expected === '1' ? '' : 's'} per request`;
    return `input "${input}" takes ${expected} values on axis ${index}: make signature.inputs[].shape and the features match the model`;
  }
  const type = /Unexpected input data type\. Actual: \(tensor\((\w+)\)\) , expected: \(tensor\((\w+)\)\)/.exec(message);
  if (type)
    return `the model takes ${type[2]} but was fed ${type[1]}: set signature.inputs[].dtype to the model's type (the "Fill signature from model" quick fix writes it)`;
  return undefined;
}

/**
 * onnxruntime's "Non-zero status code returned while running Gather node. Name:'/g' Status Message: idx=7 …" → "Gather node '/g': idx=7 …".
 * The whole message (every line of it), then a hint where the cause is known.
 */
export function runtimeReason(message: string): string {
  const whole = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  const m = /running (\S+) node\. Name:'([^']*)' Status Message: (.*)$/.exec(whole);
  let reason = whole;
  if (m) {
    const detail = m[3]!.replace(/^\S+\.(cc|h):\d+ [^ ]+ /, '').trim();
    reason = m[2] ? `${m[1]} node '${m[2]}': ${detail}` : `${m[1]} node: ${detail}`;
  }
  const hint = runtimeHint(message);
  return hint ? `${reason} — ${hint}` : reason;
}

const fixedBatchCache = new WeakMap<Ort.InferenceSession, number | null>();

/**
 * The batch size a model was exported with, when every input's first axis is
 * a fixed number (torch.onnx.export without dynamic_axes writes 1); else
 * undefined (a dynamic batch axis, or inputs without a common fixed one).
 */
export function fixedBatchSize(session: Ort.InferenceSession): number | undefined {
  let b = fixedBatchCache.get(session);
  if (b === undefined) {
    const firsts = sessionMetadata(session).inputs.map((t) => t.shape[0]);
    const n = firsts[0];
    b = firsts.length > 0 && typeof n === 'number' && n > 0 && firsts.every((d) => d === n) ? n : null;
    fixedBatchCache.set(session, b);
  }
  return b ?? undefined;
}

type RowData = Tensor['data'];

/** An empty array of the same kind (typed array class, or a plain array for strings and booleans). */
function sameKind(data: RowData, n: number): unknown[] {
  if (Array.isArray(data)) return new Array<unknown>(n);
  const ctor = data.constructor as unknown as new (n: number) => unknown[];
  return new ctor(n);
}

function rowSlice(t: Tensor, from: number, to: number, size: number): Tensor {
  const per = t.dims.slice(1).reduce((a, d) => a * d, 1);
  const data = t.data as RowData;
  const have = Math.max(0, to - from);
  // Padding repeats the last row given (zeros when there is none): a real row keeps every op in range.
  const out = sameKind(data, size * per);
  const empty = Array.isArray(data) ? '' : data instanceof BigInt64Array || data instanceof BigUint64Array ? BigInt(0) : 0;
  for (let r = 0; r < size; r++) {
    const src = r < have ? from + r : from + have - 1;
    for (let k = 0; k < per; k++) {
      const v = src >= 0 ? (data as ArrayLike<unknown>)[src * per + k] : empty;
      out[r * per + k] = v;
    }
  }
  return { dtype: t.dtype, dims: [size, ...t.dims.slice(1)], data: out as Tensor['data'] };
}

function concatRows(parts: Tensor[], rows: number): Tensor {
  const first = parts[0]!;
  const per = first.dims.slice(1).reduce((a, d) => a * d, 1);
  const data = first.data as RowData;
  const out = sameKind(data, rows * per);
  let at = 0;
  for (const p of parts) {
    const src = p.data as ArrayLike<unknown>;
    const n = Math.min(p.dims[0]! * per, rows * per - at);
    for (let k = 0; k < n; k++) out[at + k] = src[k];
    at += n;
  }
  return { dtype: first.dtype, dims: [rows, ...first.dims.slice(1)], data: out as Tensor['data'] };
}

async function runOnce(session: Ort.InferenceSession, feeds: Record<string, Tensor>, outputNames?: string[]): Promise<Record<string, Tensor>> {
  const ortFeeds: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = makeTensor(t);
  let res: Ort.InferenceSession.ReturnType;
  try {
    res = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
  } catch (err) {
    const text = (err as Error).message ?? String(err);
    throw new InferenceError(`onnxruntime could not run the model: ${runtimeReason(text)}`, text.split('\n')[0]!);
  }
  const out: Record<string, Tensor> = {};
  for (const [name, v] of Object.entries(res)) out[name] = fromOrtTensor(v);
  return out;
}

/**
 * Runs one inference. A model exported with a fixed batch size B takes any
 * number of rows: they run in chunks of B, the last one padded, and the
 * outputs are cut back to the rows given. Note: the native run blocks the
 * calling thread while it computes.
 */
export async function run(session: Ort.InferenceSession, feeds: Record<string, Tensor>, outputNames?: string[]): Promise<Record<string, Tensor>> {
  const b = fixedBatchSize(session);
  if (b === undefined) return runOnce(session, feeds, outputNames);
  const rows = Object.values(feeds)[0]?.dims[0];
  if (rows === undefined || rows === b) return runOnce(session, feeds, outputNames);
  const parts: Record<string, Tensor>[] = [];
  for (let from = 0; from < Math.max(rows, 1); from += b) {
    const chunk: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) chunk[name] = rowSlice(t, from, Math.min(from + b, rows), b);
    parts.push(await runOnce(session, chunk, outputNames));
  }
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(parts[0]!)) {
    const ps = parts.map((p) => p[name]!);
    // An output without the batch axis (a constant, a summary) is passed through from the first chunk.
    out[name] = ps[0]!.dims[0] === b ? concatRows(ps, rows) : ps[0]!;
  }
  return out;
}

export type Session = Ort.InferenceSession;

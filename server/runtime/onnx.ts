// The only module that imports onnxruntime-node. Everything above talks to
// models through these functions and plain typed arrays. The native library
// is loaded when a model is first needed, not when this module is imported:
// the language server lints YAML without it until a manifest's model is read.
import { readFile, stat } from 'node:fs/promises';
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

async function readModelFile(path: string): Promise<Buffer> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOENT' ? 'the file does not exist' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new ModelLoadError(`cannot read model file ${path}: ${why}`, path);
  }
  if (buf.length === 0) throw new ModelLoadError(`not an ONNX model: ${path} is empty`, path);
  if (!looksLikeOnnx(buf)) {
    throw new ModelLoadError(`not an ONNX model: ${path} does not start with an ONNX header (export it with torch.onnx.export, tf2onnx or skl2onnx)`, path);
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

/** onnxruntime's "Non-zero status code returned while running Gather node. Name:'/g' Status Message: idx=7 …" → "Gather node '/g': idx=7 …". */
export function runtimeReason(message: string): string {
  const line = message.split('\n')[0]!.trim();
  const m = /running (\S+) node\. Name:'([^']*)' Status Message: (.*)$/.exec(line);
  if (!m) return line;
  const detail = m[3]!.replace(/^\S+\.(cc|h):\d+ [^ ]+ /, '').trim();
  return m[2] ? `${m[1]} node '${m[2]}': ${detail}` : `${m[1]} node: ${detail}`;
}

/** Runs one inference. Note: the native run blocks the calling thread while it computes. */
export async function run(session: Ort.InferenceSession, feeds: Record<string, Tensor>, outputNames?: string[]): Promise<Record<string, Tensor>> {
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

export type Session = Ort.InferenceSession;

// Open Inference Protocol (KServe v2) inference: typed tensors in, typed
// tensors out. Inputs are the model's raw features (before the manifest's
// preprocessing): shape [N, rawWidth] (or [N, ...row dims]), data flat or
// nested. Outputs: the raw model outputs plus the postprocessing results
// (`label` as BYTES, top-k as `<name>_labels` / `<name>_scores`).
import type { InputPlan, ProcessingPlan } from '../../manifest/processing';
import { badRequest } from '../errors';
import type { BatchSlice } from '../scheduler';
import type { Servable } from '../servable';
import { cellError, describeValue, integerRule, shapeOf, strictCells, wholeNumber } from './cells';
import { encodeCategory } from '../../manifest/processing';
import { V2_ALL, V2_DATATYPE, V2_INTEGER_RANGE, V2_NUMERIC } from './datatypes';
import { flatJson, servedOutputs, str, type ServedOutput } from './outputs';
import { checkCount } from './rows';
import { allocFloat64 } from '../slab';
import { BinaryReader, binaryDataSize, binarySection, decodeBinaryValues, encodeBytes, typedBytes } from './binary';

export interface InferRequest {
  raw: Float64Array[];
  rows: number;
  outputs: string[] | undefined;
  id: string | undefined;
  /** Outputs to send as binary tensor data (the binary extension). */
  binaryOutputs?: Set<string>;
}

/** Output names a v2 request may select. */
export function v2OutputNames(plan: ProcessingPlan): string[] {
  const names = plan.outputs.map((o) => o.name);
  for (const p of plan.post) {
    if (p.op === 'topk') names.push(`${p.as}_labels`, `${p.as}_scores`);
    else names.push(p.as);
  }
  return names;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(data: unknown[], shape: number[], where: string): unknown[] {
  const total = shape.reduce((a, b) => a * b, 1);
  if (data.length === 0 || !Array.isArray(data[0])) {
    if (data.length !== total) throw badRequest(`${where}.data has ${data.length} values but shape [${shape.join(', ')}] needs ${total}`, 'MG314');
    return data;
  }
  const out: unknown[] = [];
  const walk = (v: unknown[], level: number, path: string) => {
    if (v.length !== shape[level])
      throw badRequest(
        `${where}.data${path} has ${v.length} elements at depth ${level + 1}, but shape says ${shape[level]}; send ${total} values flat or nested as [${shape.join(', ')}]`,
        'MG314',
      );
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (level === shape.length - 1) out.push(x);
      else if (Array.isArray(x)) walk(x, level + 1, `${path}[${i}]`);
      else throw badRequest(`${where}.data${path}[${i}] is ${describeValue(x)}, but shape [${shape.join(', ')}] needs a list there`, 'MG314');
    }
  };
  if (shape.length === 0) throw badRequest(`${where}.shape is empty; the first dimension is the batch size`, 'MG314');
  walk(data, 0, '');
  return out;
}

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

function value(v: unknown, datatype: string, input: InputPlan, column: number, where: () => string): number {
  const cats = input.categorical.size ? input.categorical.get(column) : undefined;
  if (cats && (typeof v === 'string' || typeof v === 'number')) {
    const k = encodeCategory(v, cats);
    if (k < 0)
      throw badRequest(
        `${where()} (feature "${input.features[column]}") is ${describeValue(v)}, not one of its categories: ${cats.map((c) => JSON.stringify(c)).join(', ')}`,
        'MG315',
      );
    return k;
  }
  if (datatype === 'BOOL') {
    if (typeof v === 'boolean') return v ? 1 : 0;
    throw badRequest(`${where()} is ${describeValue(v)}; datatype BOOL takes true or false`, 'MG313');
  }
  // a BYTES tensor (an input with a string column) carries its numeric columns as numbers or as number text
  if (datatype === 'BYTES' && typeof v === 'string' && NUMBER_TEXT.test(v)) v = Number(v);
  if (typeof v !== 'number' || (v - v !== 0 && !input.passNonFinite)) throw cellError(v, where(), input, column);
  const range = V2_INTEGER_RANGE[datatype];
  if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
    throw badRequest(
      `${where()} is ${v}, not a whole number in the ${datatype} range [${range[0]}, ${range[1]}]; use datatype FP32 or FP64 for fractional values`,
      'MG313',
    );
  }
  // whatever the declared datatype, an integer input takes whole numbers within its bounds
  const rule = integerRule(input);
  return rule ? wholeNumber(v, rule, input, column, where, `send datatype ${V2_DATATYPE[input.dtype]} with values in that range`) : v;
}

export function decodeInfer(s: Servable, body: unknown): InferRequest {
  if (!isObject(body)) throw badRequest(`the request body must be a JSON object with "inputs", not ${describeValue(body)}`, 'MG314');
  const plan = s.plan;
  const id = body.id;
  if (id !== undefined && typeof id !== 'string') throw badRequest(`"id" must be a string, not ${describeValue(id)}`, 'MG314');
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw badRequest(
      `"inputs" must be a non-empty list of tensors like {"name": "${plan.inputs[0]!.name}", "shape": [1, ${plan.inputs[0]!.rawWidth}], "datatype": "${V2_DATATYPE[plan.inputs[0]!.dtype]}", "data": [...]}`,
      'MG314',
    );
  }
  const got = new Map<string, { n: number; values: ArrayLike<unknown>; datatype: string; where: string }>();
  const section = binarySection(body);
  const reader = section ? new BinaryReader(section) : undefined;
  inputs.forEach((t, i) => {
    const where = `inputs[${i}]`;
    if (!isObject(t)) throw badRequest(`${where} is ${describeValue(t)}; each input is an object with name, shape, datatype and data`, 'MG314');
    const { name, shape, datatype, data } = t;
    const binarySize = binaryDataSize(t.parameters, where);
    if (typeof name !== 'string')
      throw badRequest(`${where}.name must be a string naming a model input (${plan.inputs.map((x) => x.name).join(', ')})`, 'MG314');
    const input = plan.inputs.find((x) => x.name === name);
    if (!input)
      throw badRequest(`${where}.name "${name}" is not an input of model ${s.name}; its inputs are: ${plan.inputs.map((x) => x.name).join(', ')}`, 'MG318');
    if (got.has(name)) throw badRequest(`input "${name}" is given twice`, 'MG318');
    if (typeof datatype !== 'string' || !V2_ALL.has(datatype))
      throw badRequest(`${where}.datatype ${describeValue(datatype)} is not a v2 datatype; input "${name}" is ${V2_DATATYPE[input.dtype]}`, 'MG313');
    if (datatype === 'BYTES' && input.categorical.size === 0)
      throw badRequest(
        `${where}.datatype is BYTES, but input "${name}" is ${V2_DATATYPE[input.dtype]}; send numbers with datatype ${V2_DATATYPE[input.dtype]}`,
        'MG313',
      );
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw badRequest(
        `${where}.shape must be a list of whole numbers, the batch size first (e.g. [1, ${input.rawWidth}]), not ${JSON.stringify(shape)}`,
        'MG314',
      );
    }
    const dims = shape as number[];
    const n = dims[0]!;
    const per = dims.slice(1).reduce((a, b) => a * b, 1);
    if (per !== input.rawWidth) {
      throw badRequest(
        `${where}.shape [${dims.join(', ')}] gives ${per} values per row, but input "${name}" takes ${input.rawWidth}; send shape [N, ${input.rawWidth}]${input.dims.length > 1 && input.rawWidth === input.modelWidth ? ` or [N, ${input.dims.join(', ')}]` : ''}`,
        'MG314',
      );
    }
    if (binarySize !== undefined) {
      if (!reader)
        throw badRequest(
          `${where}.parameters.binary_data_size is set, but the request has no Inference-Header-Content-Length header; send it with the byte length of the JSON header that precedes the binary data`,
          'MG346',
        );
      if (data !== undefined) throw badRequest(`${where} has both "data" and parameters.binary_data_size; send its values one way only`, 'MG346');
      got.set(name, { n, values: decodeBinaryValues(reader.take(binarySize, where), datatype, n * per, where), datatype, where });
      return;
    }
    if (!Array.isArray(data)) throw badRequest(`${where}.data must be a list of values (flat or nested), not ${describeValue(data)}`, 'MG314');
    const values = flatten(data, dims, where);
    if (values.length !== n * per)
      throw badRequest(
        `${where}.data has ${values.length} values but shape [${dims.join(', ')}] needs ${n * per} (shape: [${shapeOf(data).join(', ')}])`,
        'MG314',
      );
    got.set(name, { n, values, datatype, where });
  });
  reader?.finish();
  const missing = plan.inputs.filter((x) => !got.has(x.name)).map((x) => x.name);
  if (missing.length)
    throw badRequest(`missing input(s) ${missing.join(', ')}; model ${s.name} needs every one of: ${plan.inputs.map((x) => x.name).join(', ')}`, 'MG318');
  const n = got.get(plan.inputs[0]!.name)!.n;
  for (const [name, g] of got)
    if (g.n !== n) throw badRequest(`input "${name}" has ${g.n} rows but "${plan.inputs[0]!.name}" has ${n}; every input needs the same batch size`, 'MG314');
  checkCount(s, n, '"inputs"');
  const raw = plan.inputs.map((input) => {
    const g = got.get(input.name)!;
    const out = allocFloat64(n * input.rawWidth);
    const w = input.rawWidth;
    const numeric = V2_NUMERIC.has(g.datatype) && !V2_INTEGER_RANGE[g.datatype] && !strictCells(input);
    if (numeric && (g.values instanceof Float64Array || g.values instanceof Float32Array)) {
      // binary floats: one bulk copy, then a monomorphic finiteness scan
      out.set(g.values);
      for (let i = 0; i < out.length; i++) {
        const v = out[i]!;
        if (v - v !== 0) value(v, g.datatype, input, i % w, () => `${g.where}.data[${i}]`);
      }
      return out;
    }
    for (let i = 0; i < out.length; i++) {
      const v = g.values[i];
      if (numeric && typeof v === 'number' && v - v === 0) {
        out[i] = v;
        continue;
      }
      out[i] = value(v, g.datatype, input, i % w, () => `${g.where}.data[${i}]`);
    }
    return out;
  });
  let outputs: string[] | undefined;
  const binaryOutputs = new Set<string>();
  const params = body.parameters;
  const allBinary = isObject(params) && params.binary_data_output === true;
  if (allBinary) for (const name of v2OutputNames(plan)) binaryOutputs.add(name);
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw badRequest(`"outputs" must be a list like [{"name": "${v2OutputNames(plan)[0]}"}]`, 'MG314');
    const allowed = v2OutputNames(plan);
    outputs = body.outputs.map((o, i) => {
      const name = isObject(o) ? o.name : undefined;
      if (typeof name !== 'string' || !allowed.includes(name)) {
        throw badRequest(`outputs[${i}] asks for ${describeValue(name)}; model ${s.name} serves: ${allowed.join(', ')}`, 'MG318');
      }
      const p = (o as Record<string, unknown>).parameters;
      if (isObject(p) && p.binary_data !== undefined) {
        if (typeof p.binary_data !== 'boolean')
          throw badRequest(`outputs[${i}].parameters.binary_data must be true or false, not ${describeValue(p.binary_data)}`, 'MG314');
        if (p.binary_data) binaryOutputs.add(name);
        else binaryOutputs.delete(name);
      }
      return name;
    });
  }
  return { raw, rows: n, outputs, id, ...(binaryOutputs.size ? { binaryOutputs } : {}) };
}

/** Binary bytes of rows [from, from + n) of an output, or undefined when it has no binary form here. */
function outputBytes(o: ServedOutput, from: number, n: number, part?: 'labels' | 'scores'): Buffer | undefined {
  if (o.kind === 'labels') return encodeBytes(o.values.slice(from, from + n));
  if (o.kind === 'topk')
    return part === 'labels' ? encodeBytes(o.labels.slice(from * o.k, (from + n) * o.k)) : typedBytes(o.scores, from * o.k, (from + n) * o.k);
  const d = o.data;
  if (ArrayBuffer.isView(d)) return typedBytes(d as unknown as ArrayBufferView & { BYTES_PER_ELEMENT: number }, from * o.width, (from + n) * o.width);
  const values = Array.prototype.slice.call(d, from * o.width, (from + n) * o.width) as unknown[];
  if (values.every((v) => typeof v === 'string')) return encodeBytes(values as string[]);
  return undefined;
}

/**
 * The response JSON. Outputs named in `req.binaryOutputs` carry
 * `parameters.binary_data_size` instead of `data`; their bytes are pushed
 * onto `bins` in the order they appear, to follow the JSON in the body.
 */
export function encodeInfer(s: Servable, slice: BatchSlice, req: InferRequest, bins: Buffer[] = []): string {
  const list = servedOutputs(s.plan, slice.out);
  const want = req.outputs ? new Set(req.outputs) : undefined;
  const binary = req.binaryOutputs;
  const n = slice.rows;
  const parts: string[] = [];
  const data = (o: ServedOutput, name: string, part?: 'labels' | 'scores'): string => {
    const bytes = binary?.has(name) ? outputBytes(o, slice.offset, n, part) : undefined;
    if (!bytes) return ',"data":' + flatJson(o, slice.offset, n, part);
    bins.push(bytes);
    return ',"parameters":{"binary_data_size":' + bytes.length + '}';
  };
  for (const o of list) {
    if (o.kind === 'topk') {
      for (const part of ['labels', 'scores'] as const) {
        const name = `${o.name}_${part}`;
        if (want && !want.has(name)) continue;
        parts.push(
          '{"name":' + str(name) + ',"datatype":"' + (part === 'labels' ? 'BYTES' : 'FP32') + '","shape":[' + n + ',' + o.k + ']' + data(o, name, part) + '}',
        );
      }
      continue;
    }
    if (want && !want.has(o.name)) continue;
    if (o.kind === 'labels') {
      parts.push('{"name":' + o.key + ',"datatype":"BYTES","shape":[' + n + ']' + data(o, o.name) + '}');
    } else {
      parts.push(
        '{"name":' + o.key + ',"datatype":"' + (V2_DATATYPE[o.dtype] ?? 'FP32') + '","shape":[' + [n, ...o.rowDims].join(',') + ']' + data(o, o.name) + '}',
      );
    }
  }
  return (
    '{"model_name":' +
    str(s.name) +
    ',"model_version":' +
    str(s.version) +
    (req.id !== undefined ? ',"id":' + JSON.stringify(req.id) : '') +
    ',"outputs":[' +
    parts.join(',') +
    ']}'
  );
}

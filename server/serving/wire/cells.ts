// Turning JSON values into raw feature rows, with an error that names the
// exact place (`instances[3][7]`) and says how to fix the value. Paths are
// built only when something is wrong: the happy path is a tight loop.
import { encodeCategory, type InputPlan } from '../../manifest/processing';
import { badRequest, ServingError } from '../errors';
import { V2_DATATYPE, V2_INTEGER_RANGE } from './datatypes';

export type Where = () => string;

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Shape of a nested list, following first elements (for messages). */
export function shapeOf(v: unknown): number[] {
  const dims: number[] = [];
  let cur = v;
  while (Array.isArray(cur) && dims.length < 12) {
    dims.push(cur.length);
    cur = cur[0];
  }
  return dims;
}

function nonFiniteHint(input: InputPlan): string {
  const float = input.dtype === 'float32' || input.dtype === 'float64' || input.dtype === 'float16';
  return float && !input.passNonFinite ? ' (or, if the model treats NaN as missing, send it unquoted and set serving.nonFinite: pass in the manifest)' : '';
}

export function cellError(v: unknown, where: string, input: InputPlan, column: number): ServingError {
  const feature = input.namedFeatures ? ` (feature "${input.features[column]}")` : '';
  if (typeof v === 'string' && NON_FINITE.test(v.trim())) {
    return badRequest(
      `${where}${feature} is ${describeValue(v)}, a string where a number belongs; replace missing or infinite values before sending${nonFiniteHint(input)}`,
      'MG312',
    );
  }
  if (typeof v === 'number')
    return badRequest(
      `${where}${feature} is ${v}: the model does not take NaN or Infinity; replace missing or infinite values before sending${nonFiniteHint(input)}`,
      'MG312',
    );
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return badRequest(`${where}${feature} is ${describeValue(v)}; send the number ${v.trim()} without quotes`, 'MG313');
  }
  if (v === null) return badRequest(`${where}${feature} is null: missing values are not accepted; impute them before sending`, 'MG312');
  if (Array.isArray(v) || (typeof v === 'object' && v !== null)) {
    return badRequest(
      `${where}${feature} is ${describeValue(v)} where a number belongs; input "${input.name}" takes rows of ${input.rawWidth} numbers`,
      'MG314',
    );
  }
  return badRequest(`${where}${feature} is ${describeValue(v)}; input "${input.name}" is ${input.dtype} and takes numbers`, 'MG313');
}

/** Whole-number bounds of an integer ONNX type (64-bit ones within float64's exact range), from the v2 table. */
const integerRange = (dtype: string): [number, number] | undefined => V2_INTEGER_RANGE[V2_DATATYPE[dtype] ?? ''];

export interface IntegerRule {
  min: number;
  max: number;
  /** Why these bounds: the dtype, or what in the model says so. */
  why: string;
}

const rules = new WeakMap<InputPlan, IntegerRule | null>();

/**
 * The whole numbers an input's plain columns take: an integer input whose
 * values reach the model as sent (no scaling step) would otherwise have
 * 3.5 cut to 3 or 300 wrapped to 44 without a word.
 */
export function integerRule(input: InputPlan): IntegerRule | undefined {
  let r = rules.get(input);
  if (r === undefined) {
    const range = integerRange(input.dtype);
    const scaled = input.steps.some((st) => st.op === 'standardize' || st.op === 'minmax');
    if (!range || scaled) r = null;
    else if (input.valueRange) {
      const v = input.valueRange;
      r = { min: Math.max(range[0], v.min), max: Math.min(range[1], v.max), why: v.why };
    } else r = { min: range[0], max: range[1], why: `input "${input.name}" is ${input.dtype}` };
    rules.set(input, r);
  }
  return r ?? undefined;
}

/** True when a finite number is not always taken as it is (categories, integer bounds): the fast paths do not apply. */
export function strictCells(input: InputPlan): boolean {
  return input.categorical.size > 0 || integerRule(input) !== undefined;
}

/** `v` when it is a whole number within the rule, else a 400 naming the place, the bounds and why; `fix` replaces the default advice. */
export function wholeNumber(v: number, rule: IntegerRule, input: InputPlan, column: number, where: Where, fix?: string): number {
  if (Number.isInteger(v) && v >= rule.min && v <= rule.max) return v;
  const feature = input.namedFeatures ? ` (feature "${input.features[column]}")` : '';
  const what = Number.isInteger(v) ? 'out of range' : 'not a whole number';
  throw badRequest(
    `${where()}${feature} is ${v}, ${what}: it takes whole numbers from ${rule.min} to ${rule.max} (${rule.why}); ${fix ?? (Number.isInteger(v) ? 'send a value in that range' : 'send an integer, not a fraction')}`,
    'MG313',
  );
}

/** TF Serving's {"b64": "..."} form of a binary string value. */
export function isB64(v: unknown): v is { b64: unknown } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k in v) if (k !== 'b64') return false;
  return 'b64' in v;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The string a {"b64": …} value holds; only a string input (a one-hot column of strings) takes one. */
export function b64Value(v: { b64: unknown }, input: InputPlan, column: number, where: Where): string {
  const cats = input.categorical.get(column);
  const feature = input.namedFeatures ? ` (feature "${input.features[column]}")` : '';
  if (!cats || !cats.some((c) => typeof c === 'string'))
    throw badRequest(
      `${where()}${feature} is a {"b64": …} binary value, but input "${input.name}" takes numbers there; send the number itself (b64 is for string inputs)`,
      'MG313',
    );
  const text = v.b64;
  if (typeof text !== 'string' || text.length % 4 === 1 || !BASE64.test(text.replace(/\s+/g, '')))
    throw badRequest(`${where()}${feature}.b64 is ${describeValue(text)}, not base64 text (RFC 4648); encode the value's bytes with base64`, 'MG313');
  return Buffer.from(text, 'base64').toString('utf8');
}

/** One JSON value → one raw cell. */
export function cell(v: unknown, input: InputPlan, column: number, where: Where): number {
  const cats = input.categorical.size ? input.categorical.get(column) : undefined;
  if (cats) {
    if (isB64(v)) v = b64Value(v, input, column, where);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      const k = encodeCategory(v, cats);
      if (k < 0)
        throw badRequest(
          `${where()} (feature "${input.features[column]}") is ${describeValue(v)}, not one of its categories: ${cats.map((c) => JSON.stringify(c)).join(', ')}`,
          'MG315',
        );
      return k;
    }
    throw cellError(v, where(), input, column);
  }
  if (typeof v === 'number') {
    const rule = integerRule(input);
    if (rule) return wholeNumber(v, rule, input, column, where);
    if (v - v === 0 || input.passNonFinite) return v;
  }
  if (typeof v === 'boolean' && input.dtype === 'bool') return v ? 1 : 0;
  if (isB64(v)) b64Value(v, input, column, where);
  throw cellError(v, where(), input, column);
}

function expected(input: InputPlan): string {
  const nested = input.dims.length > 1 && input.rawWidth === input.modelWidth ? ` or nested as [${input.dims.join(', ')}]` : '';
  return `${input.rawWidth} numbers ([${input.rawWidth}]${nested})`;
}

/**
 * One row of one input, from a flat list of rawWidth values, a list nested
 * as the model's row shape, or a bare value for a one-value input.
 */
export function fillRow(value: unknown, input: InputPlan, out: Float64Array, offset: number, where: Where): void {
  const w = input.rawWidth;
  if (Array.isArray(value)) {
    if (value.length === w && (w === 0 || !Array.isArray(value[0]))) {
      const strict = strictCells(input);
      for (let j = 0; j < w; j++) {
        const v = value[j];
        out[offset + j] = typeof v === 'number' && v - v === 0 && !strict ? v : cell(v, input, j, () => `${where()}[${j}]`);
      }
      return;
    }
    if (input.dims.length > 1 && w === input.modelWidth && value.length === input.dims[0]) {
      fillNested(value, input, 0, out, offset, where, 0);
      return;
    }
    throw badRequest(`${where()} has shape [${shapeOf(value).join(', ')}], but input "${input.name}" takes ${expected(input)} per instance`, 'MG314');
  }
  if (w === 1 && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null || isB64(value))) {
    out[offset] = cell(value, input, 0, where);
    return;
  }
  throw badRequest(`${where()} is ${describeValue(value)}, but input "${input.name}" takes ${expected(input)} per instance`, 'MG314');
}

function fillNested(value: unknown[], input: InputPlan, level: number, out: Float64Array, offset: number, where: Where, flatIndex: number): number {
  const size = input.dims[level]!;
  if (value.length !== size) {
    throw badRequest(
      `${where()} has ${value.length} elements at depth ${level + 1}, but input "${input.name}" rows have shape [${input.dims.join(', ')}]`,
      'MG314',
    );
  }
  const last = level === input.dims.length - 1;
  for (let i = 0; i < size; i++) {
    const v = value[i];
    const w: Where = () => `${where()}[${i}]`;
    if (last) {
      out[offset + flatIndex] = cell(v, input, flatIndex, w);
      flatIndex++;
    } else if (Array.isArray(v)) {
      flatIndex = fillNested(v, input, level + 1, out, offset, w, flatIndex);
    } else {
      throw badRequest(`${w()} is ${describeValue(v)}, but input "${input.name}" rows have shape [${input.dims.join(', ')}]`, 'MG314');
    }
  }
  return flatIndex;
}

// Turning JSON values into raw feature rows, with an error that names the
// exact place (`instances[3][7]`) and says how to fix the value. Paths are
// built only when something is wrong: the happy path is a tight loop.
import { encodeCategory, type InputPlan } from '../../manifest/processing';
import { badRequest, ServingError } from '../errors';

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

export function cellError(v: unknown, where: string, input: InputPlan, column: number): ServingError {
  const feature = input.namedFeatures ? ` (feature "${input.features[column]}")` : '';
  if (typeof v === 'string' && NON_FINITE.test(v.trim())) {
    return badRequest(
      `${where}${feature} is ${describeValue(v)}: NaN and Infinity are not accepted (JSON has no such numbers); replace missing or infinite values before sending`,
      'MG312',
    );
  }
  if (typeof v === 'number') return badRequest(`${where}${feature} is not a finite number (${v}); send values within the float64 range`, 'MG312');
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

/** One JSON value → one raw cell. */
export function cell(v: unknown, input: InputPlan, column: number, where: Where): number {
  const cats = input.categorical.size ? input.categorical.get(column) : undefined;
  if (cats) {
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
  if (typeof v === 'number' && v - v === 0) return v;
  if (typeof v === 'boolean' && input.dtype === 'bool') return v ? 1 : 0;
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
      for (let j = 0; j < w; j++) {
        const v = value[j];
        out[offset + j] = typeof v === 'number' && v - v === 0 && !input.categorical.size ? v : cell(v, input, j, () => `${where()}[${j}]`);
      }
      return;
    }
    if (input.dims.length > 1 && w === input.modelWidth && value.length === input.dims[0]) {
      fillNested(value, input, 0, out, offset, where, 0);
      return;
    }
    throw badRequest(`${where()} has shape [${shapeOf(value).join(', ')}], but input "${input.name}" takes ${expected(input)} per instance`, 'MG314');
  }
  if (w === 1 && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null)) {
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

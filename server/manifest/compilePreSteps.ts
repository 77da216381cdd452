// The preprocessing steps of one input, followed in order by
// compileProcessing.ts: each checks its parameters against the row width at
// its place, reports what does not fit, and adds its compiled step.
import type { Dim, TensorInfo } from '../runtime/onnx';
import type { DiagnosticCode } from './codes';
import type { ProcessingProblem } from './compileProcessing';
import type { JsonPath } from './parse';
import type { PreStep } from './processing';
import { closest } from './suggest';
import type { ModelManifest } from './types';
import { fieldName } from './validators/types';

/** Where the steps report their problems. */
export interface ProblemSink {
  problem(code: DiagnosticCode, path: JsonPath, message: string, extra?: Omit<ProcessingProblem, 'code' | 'path' | 'message'>): void;
}

export type Pre = NonNullable<ModelManifest['preprocessing']>[number];

const product = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);
const list = (xs: readonly (string | number)[]): string => `[${xs.join(', ')}]`;

/** A tensor as the compiler sees it: from the signature, or from the model when there is none. */
export interface Tensor {
  name: string;
  dtype: string;
  shape: Dim[];
  features?: string[];
  /** Where problems about it point: its signature entry, or model.artifact. */
  path: JsonPath;
  fromManifest: boolean;
  model?: TensorInfo;
}

/** The state of one input while its steps are followed. */
export interface Walk {
  c: ProblemSink;
  t: Tensor;
  i: number;
  /** Values per row at this step; undefined when unknown. */
  width: number | undefined;
  names: string[] | undefined;
  /** How `width` came about, for messages ("30 features", "onehot "color" → 3 columns"). */
  notes: string[];
  steps: PreStep[];
  categorical: Map<number, (string | number)[]>;
  rawNames: string[] | undefined;
  /** Where the input's row size was read from, for messages. */
  shapeSource: string;
}

export function missing(c: ProblemSink, sp: JsonPath, op: string, p: string): void {
  c.problem('MG133', sp, `${fieldName(sp)} (op: ${op}) needs "${p}": add it`, { prefer: 'key', data: { missing: p } });
}

/** One value per feature: a single number applies to every feature; a list must have one per feature. */
function perFeature(w: Walk, sp: JsonPath, name: string, v: unknown, what: string): Float64Array | undefined {
  const at = [...sp, name];
  if (typeof v !== 'number' && !(Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
    w.c.problem('MG105', at, `${fieldName(at)} must be ${what}`);
    return undefined;
  }
  if (Array.isArray(v) && w.width !== undefined && v.length !== w.width) {
    w.c.problem(
      'MG308',
      at,
      `${fieldName(at)} has ${v.length} values but input "${w.t.name}" has ${w.width} features at this step${widthSource(w)}: give one ${name} per feature, in feature order`,
    );
    return undefined;
  }
  if (w.width === undefined) return undefined;
  const out = new Float64Array(w.width);
  for (let k = 0; k < w.width; k++) out[k] = typeof v === 'number' ? v : (v as number[])[k]!;
  return out;
}

/** How the width at this step came about, when that says more than the width itself. */
function widthSource(w: Walk): string {
  if (w.notes.length > 1) return ` (${w.notes.join(' + ')})`;
  return w.notes.length ? '' : ` (from ${w.shapeSource})`;
}

const featureName = (w: Walk, k: number): string => (w.names?.[k] !== undefined ? ` (${w.names[k]})` : '');

export function standardize(w: Walk, s: Extract<Pre, { op: 'standardize' }>, sp: JsonPath): void {
  if (s.mean === undefined) return missing(w.c, sp, s.op, 'mean');
  if (s.std === undefined) return missing(w.c, sp, s.op, 'std');
  // With the width known, each list is held against it; without, against each other.
  if (w.width === undefined && Array.isArray(s.mean) && Array.isArray(s.std) && s.mean.length !== s.std.length) {
    w.c.problem('MG308', [...sp, 'std'], `${fieldName(sp)} has ${s.mean.length} means but ${s.std.length} standard deviations: give one of each per feature`);
    return;
  }
  const bad = Array.isArray(s.std) ? s.std.findIndex((v) => !(v > 0) || !Number.isFinite(v)) : -1;
  if (bad >= 0)
    w.c.problem(
      'MG108',
      [...sp, 'std', bad],
      `${fieldName([...sp, 'std', bad])} is ${s.std[bad]}${featureName(w, bad)}: every standard deviation must be a positive number`,
    );
  const mean = perFeature(w, sp, 'mean', s.mean, 'a list of numbers, one mean per feature');
  const std = perFeature(w, sp, 'std', s.std, 'a list of numbers, one standard deviation per feature');
  if (mean && std && bad < 0) w.steps.push({ op: 'standardize', mean, std });
}

export function minmax(w: Walk, s: Extract<Pre, { op: 'minmax' }>, sp: JsonPath): void {
  if (s.min === undefined) return missing(w.c, sp, s.op, 'min');
  if (s.max === undefined) return missing(w.c, sp, s.op, 'max');
  const min = perFeature(w, sp, 'min', s.min, 'a number or a list of numbers, one per feature');
  const max = perFeature(w, sp, 'max', s.max, 'a number or a list of numbers, one per feature');
  const lo = s.min;
  const hi = s.max;
  if (Array.isArray(lo) && Array.isArray(hi) && lo.length !== hi.length) {
    if (w.width === undefined)
      w.c.problem('MG308', [...sp, 'max'], `${fieldName(sp)} has ${lo.length} minimums but ${hi.length} maximums: give one of each per feature`);
    return;
  }
  const n = Math.max(Array.isArray(lo) ? lo.length : 1, Array.isArray(hi) ? hi.length : 1);
  for (let k = 0; k < n; k++) {
    const a = Array.isArray(lo) ? lo[k] : lo;
    const b = Array.isArray(hi) ? hi[k] : hi;
    if (typeof a === 'number' && typeof b === 'number' && !(b - a > 0)) {
      const which = n > 1 ? ` (feature ${k + 1}${featureName(w, k)})` : '';
      w.c.problem(
        'MG120',
        Array.isArray(hi) ? [...sp, 'max', k] : [...sp, 'max'],
        `${fieldName(sp)} min ${a} is not below max ${b}${which}: scaling divides by max − min, so give max > min`,
      );
      return;
    }
  }
  if (!min || !max) return;
  const scale = new Float64Array(min.length);
  for (let k = 0; k < min.length; k++) scale[k] = 1 / (max[k]! - min[k]!);
  w.steps.push({ op: 'minmax', min, scale });
}

export function onehot(w: Walk, s: Extract<Pre, { op: 'onehot' }>, sp: JsonPath): void {
  if (s.column === undefined) return missing(w.c, sp, s.op, 'column');
  if (!Array.isArray(s.categories) || s.categories.length === 0) return missing(w.c, sp, s.op, 'categories');
  const at = [...sp, 'column'];
  const features = w.t.fromManifest ? `signature.inputs[${w.i}].features` : 'the features';
  if (!w.t.features) {
    w.c.problem(
      'MG129',
      at,
      `${fieldName(at)} "${s.column}" names no column: input "${w.t.name}" lists no features; ${w.t.fromManifest ? `list its dataset columns in ${features}` : "add a signature listing the input's features"}, including "${s.column}"`,
    );
    w.width = undefined;
    return;
  }
  // After a step another check rejected, the columns here are unknown.
  if (!w.names) {
    w.width = undefined;
    return;
  }
  const col = w.names.indexOf(s.column);
  if (col < 0) {
    const near = closest(s.column, w.names);
    w.c.problem(
      'MG129',
      at,
      `${fieldName(at)} "${s.column}" is not one of ${features}${near ? `: did you mean "${near}"?` : ': add it to features or correct the name'}`,
      near ? { data: { suggestion: near } } : {},
    );
    w.width = undefined;
    return;
  }
  const cats = s.categories;
  // A column no earlier step has changed still holds the raw category.
  if (w.steps.every((p) => p.op === 'onehot')) {
    const raw = w.rawNames?.indexOf(s.column) ?? -1;
    if (raw >= 0) w.categorical.set(raw, cats);
  }
  w.steps.push({ op: 'onehot', column: col, categories: cats });
  w.names = [...w.names!.slice(0, col), ...cats.map((v) => `${s.column}=${v}`), ...w.names!.slice(col + 1)];
  if (w.width !== undefined) w.width += cats.length - 1;
  w.notes.push(`onehot "${s.column}" → ${cats.length} columns`);
}

export function reshape(w: Walk, s: Extract<Pre, { op: 'reshape' }>, sp: JsonPath, dims: number[] | undefined): void {
  if (!Array.isArray(s.shape)) return missing(w.c, sp, s.op, 'shape');
  const at = [...sp, 'shape'];
  const n = product(s.shape);
  if (w.width !== undefined && n !== w.width) {
    w.c.problem(
      'MG307',
      at,
      `${fieldName(at)} ${list(s.shape)} holds ${n} values but input "${w.t.name}" gets ${w.width} per row${widthSource(w)}: make the shape's product ${w.width}, or correct the features`,
    );
  } else if (dims && (s.shape.length !== dims.length || s.shape.some((d, k) => d !== dims[k]))) {
    w.c.problem(
      'MG307',
      at,
      `${fieldName(at)} gives rows of shape ${list(s.shape)}, but ${w.shapeSource} expects ${list(dims)} after the batch axis: use shape: ${list(dims)}`,
      { data: { suggestion: dims } },
    );
  } else {
    w.steps.push({ op: 'reshape', shape: s.shape });
  }
  w.width = n;
}

// The one compiler of a manifest's pre- and postprocessing: it decides
// whether the steps fit the signature and builds the plan serving runs.
// Lint turns its problems into diagnostics and serving into one
// ProcessingError, so the editor and the server accept and reject the same
// manifests. Every problem is collected, each with its manifest path and
// its code from codes.ts.
import { ModelGateError } from '../protocol/errors';
import type { Dim, TensorDType, TensorInfo } from '../runtime/onnx';
import type { DiagnosticCode } from './codes';
import type { JsonPath } from './parse';
import type { InputPlan, ModelSignature, OutputPlan, PostStep, PreStep, ProcessingPlan } from './processing';
import { closest } from './suggest';
import type { ModelManifest } from './types';
import { fieldName } from './validators/types';

export interface ProcessingProblem {
  code: DiagnosticCode;
  path: JsonPath;
  /** What is wrong, where, and how to fix it. */
  message: string;
  /** Underline the key rather than the value. */
  prefer?: 'key';
  /** For code actions, e.g. `{ suggestion }`. */
  data?: Record<string, unknown>;
}

/** Every code the compiler reports; lint and serving agree on these. */
export const PROCESSING_CODES: readonly DiagnosticCode[] = ['MG105', 'MG108', 'MG120', 'MG129', 'MG131', 'MG133', 'MG300', 'MG306', 'MG307', 'MG308', 'MG350', 'MG351'];

export interface CompileOptions {
  /** The ONNX model's tensors: they stand in for a missing signature and size its symbolic dimensions. */
  model?: ModelSignature;
  /** False for manifest parts another check already rejected (lint passes the schema's verdict); those are skipped. */
  trusted?: (path: JsonPath) => boolean;
}

export interface CompileResult {
  /** Set when there are no problems and nothing was left unchecked. */
  plan?: ProcessingPlan;
  problems: ProcessingProblem[];
  /** Why the steps could not be fully checked without the model (no signature, a symbolic dimension). */
  needsModel?: string;
}

export class ProcessingError extends ModelGateError {
  /** Where the first problem is; every problem is in `problems`. */
  readonly path: JsonPath;
  constructor(readonly problems: ProcessingProblem[]) {
    super(problems[0]!.code, formatProblems(problems));
    this.path = problems[0]!.path;
  }
}

function formatProblems(problems: ProcessingProblem[]): string {
  if (problems.length === 1) return `${problems[0]!.code} ${problems[0]!.message}`;
  return `the manifest's processing has ${problems.length} problems; fix them (run \`modelgate lint\`):\n` + problems.map((p) => `  ${p.code} ${p.message}`).join('\n');
}

/** Compiles the processing, or throws one ProcessingError listing every problem. */
export function compileProcessing(manifest: ModelManifest, model?: ModelSignature): ProcessingPlan {
  const r = tryCompileProcessing(manifest, { model });
  if (r.problems.length) throw new ProcessingError(r.problems);
  if (!r.plan) throw new ProcessingError([{ code: 'MG300', path: ['signature'], message: `the processing cannot be compiled without the model: ${r.needsModel ?? 'the signature is incomplete'}; load the model, or give the signature fixed sizes` }]);
  return r.plan;
}

const SERVABLE: ReadonlySet<string> = new Set(['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);

const product = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);
const list = (xs: readonly (string | number)[]): string => `[${xs.join(', ')}]`;

/** A tensor as the compiler sees it: from the signature, or from the model when there is none. */
interface Tensor {
  name: string;
  dtype: string;
  shape: Dim[];
  features?: string[];
  /** Where problems about it point: its signature entry, or model.artifact. */
  path: JsonPath;
  fromManifest: boolean;
  model?: TensorInfo;
}

class Compiler {
  readonly problems: ProcessingProblem[] = [];
  needsModel: string | undefined;
  /** False once a part was skipped or could not be sized: no plan then. */
  complete = true;

  constructor(readonly manifest: ModelManifest, readonly opts: CompileOptions) {}

  trusted(path: JsonPath): boolean {
    return this.opts.trusted ? this.opts.trusted(path) : true;
  }

  problem(code: DiagnosticCode, path: JsonPath, message: string, extra: Omit<ProcessingProblem, 'code' | 'path' | 'message'> = {}): void {
    this.problems.push({ code, path, message, ...extra });
  }

  unknown(why: string): void {
    this.complete = false;
    this.needsModel ??= why;
  }

  tensors(kind: 'inputs' | 'outputs'): Tensor[] | undefined {
    const sig = this.manifest.signature;
    const model = this.opts.model?.[kind];
    if (sig) {
      if (!this.trusted(['signature', kind]) || !Array.isArray(sig[kind])) { this.complete = false; return undefined; }
      return sig[kind].map((t, i) => ({
        name: t.name, dtype: t.dtype, shape: t.shape, features: 'features' in t ? t.features : undefined,
        path: ['signature', kind, i], fromManifest: true, model: model?.find((m) => m.name === t.name),
      }));
    }
    if (!model) { this.unknown('the manifest has no `signature`'); return undefined; }
    return model.map((m) => ({ name: m.name, dtype: m.dtype, shape: m.shape, path: ['model', 'artifact'], fromManifest: false, model: m }));
  }

  /** Sizes of one row of an input (batch axis excluded); undefined when one is unknown. */
  inputDims(t: Tensor): number[] | undefined {
    const out: number[] = [];
    let known = true;
    t.shape.slice(1).forEach((d, k) => {
      const m = t.model?.shape[k + 1];
      if (typeof d === 'number' && d > 0) out.push(d);
      else if (d !== 0 && typeof m === 'number' && m > 0) out.push(m);
      else {
        known = false;
        const at: JsonPath = t.fromManifest ? [...t.path, 'shape', k + 1] : t.path;
        if (d === 0) {
          this.problem('MG351', at, `${fieldName(at)} is 0, so a row of input "${t.name}" would hold no values: give the real size of this axis`);
        } else if (!this.opts.model) {
          this.unknown(`${fieldName(at)} is ${JSON.stringify(d)}, a dynamic size only the model can fill in`);
        } else if (t.fromManifest) {
          const why = t.model ? `the model leaves it dynamic too (shape ${list(t.model.shape)})` : `the model has no input "${t.name}" to take the size from`;
          this.problem('MG351', at, `${fieldName(at)} is ${JSON.stringify(d)}, a dynamic size, and ${why}: only the first (batch) axis may be dynamic; give this axis its fixed size, e.g. shape: [batch, 30]`);
        } else {
          this.problem('MG351', at, `the model's input "${t.name}" has shape ${list(t.shape)}, dynamic after the batch axis: serving needs fixed row sizes; add a signature with the sizes, e.g. shape: [batch, 30]`);
        }
      }
    });
    return known ? out : undefined;
  }

  outputDims(t: Tensor): number[] {
    return t.shape.slice(1).map((d, k) => {
      const m = t.model?.shape[k + 1];
      return typeof d === 'number' && d > 0 ? d : typeof m === 'number' && m > 0 ? m : -1;
    });
  }

  /** Where a row size was read from, for messages. */
  shapeSource(t: Tensor): string {
    const fromModel = t.model && t.shape.slice(1).some((d) => !(typeof d === 'number' && d > 0));
    if (fromModel || !t.fromManifest) return `the model's input "${t.name}" shape ${list(t.model!.shape)}`;
    return `${fieldName([...t.path, 'shape'])} ${list(t.shape)}`;
  }
}

/** Compiles the manifest's processing and returns every problem found (lint); serving calls compileProcessing. */
export function tryCompileProcessing(manifest: ModelManifest, opts: CompileOptions = {}): CompileResult {
  const c = new Compiler(manifest, opts);
  const inputs = c.tensors('inputs');
  const outputs = c.tensors('outputs');
  const pre = stepList(c, 'preprocessing');
  const inputPlans = inputs ? compileInputs(c, inputs, pre) : [];
  const post = stepList(c, 'postprocessing');
  const outputPlans: OutputPlan[] | undefined = outputs?.map((t) => ({ name: t.name, dtype: t.dtype as TensorDType | 'unknown', dims: c.outputDims(t) }));
  const postPlan = compilePost(c, outputs, outputPlans, post);
  if (c.problems.length || !c.complete || !inputs || !outputPlans || !postPlan) return { problems: c.problems, needsModel: c.needsModel };
  const probabilityOutput = postPlan.softmaxOf.get(postPlan.primaryOutput) ?? postPlan.primaryOutput;
  return {
    problems: [],
    plan: {
      task: manifest.model.task,
      classLabels: manifest.model.classLabels ? [...manifest.model.classLabels] : undefined,
      inputs: inputPlans as InputPlan[],
      outputs: outputPlans,
      post: postPlan.steps,
      primaryOutput: postPlan.primaryOutput,
      probabilityOutput,
      rawWidth: (inputPlans as InputPlan[]).reduce((a, i) => a + i.rawWidth, 0),
    },
  };
}

/** The steps of one list, each with its index; undefined entries are steps another check rejected. */
function stepList<K extends 'preprocessing' | 'postprocessing'>(c: Compiler, key: K): Array<NonNullable<ModelManifest[K]>[number] | undefined> {
  if (!c.trusted([key])) { c.complete = false; return []; }
  const steps = (c.manifest[key] ?? []) as Array<NonNullable<ModelManifest[K]>[number]>;
  return steps.map((s, j) => {
    if (c.trusted([key, j]) && s && typeof s === 'object') return s;
    c.complete = false;
    return undefined;
  });
}

type Pre = NonNullable<ModelManifest['preprocessing']>[number];
type Post = NonNullable<ModelManifest['postprocessing']>[number];

function nameProblem(c: Compiler, at: JsonPath, named: string, kind: 'input' | 'output', tensors: Tensor[]): void {
  const names = tensors.map((t) => t.name);
  const near = closest(named, names);
  const where = tensors[0]?.fromManifest === false ? `the model's ${kind}s` : `signature.${kind}s`;
  c.problem('MG129', at, `${fieldName(at)} "${named}" is not in ${where} (${names.join(', ')})${near ? `: did you mean "${near}"?` : ': use one of them'}`, near ? { data: { suggestion: near } } : {});
}

function compileInputs(c: Compiler, inputs: Tensor[], pre: Array<Pre | undefined>): Array<InputPlan | undefined> {
  const names = inputs.map((t) => t.name);
  pre.forEach((s, j) => {
    if (s?.input !== undefined && !names.includes(s.input)) nameProblem(c, ['preprocessing', j, 'input'], s.input, 'input', inputs);
  });
  return inputs.map((t, i) => {
    if (t.fromManifest && !c.trusted(t.path)) { c.complete = false; return undefined; }
    // A rejected step may belong to this input: its width cannot be followed then.
    const blind = pre.some((s, j) => s === undefined && appliesTo(c.manifest.preprocessing?.[j], t.name, names[0]));
    const mine = pre.flatMap((s, j) => (s && (s.input ?? names[0]) === t.name ? [{ s, j }] : []));
    return compileInput(c, t, i, mine, blind);
  });
}

function appliesTo(raw: unknown, name: string, first: string | undefined): boolean {
  const input = raw && typeof raw === 'object' ? (raw as { input?: unknown }).input : undefined;
  return typeof input !== 'string' || input === name || (input === undefined && name === first);
}

function compileInput(c: Compiler, t: Tensor, i: number, mine: Array<{ s: Pre; j: number }>, blind: boolean): InputPlan | undefined {
  if (!SERVABLE.has(t.dtype)) {
    const at: JsonPath = t.fromManifest ? [...t.path, 'dtype'] : t.path;
    c.problem('MG350', at, `${t.fromManifest ? fieldName(at) : `the model's input "${t.name}" type`} is ${t.dtype}, which serving cannot feed: it takes numbers and booleans (float32, float64, int8–int64, uint8–uint64, bool); export the model with such an input`);
  }
  const dims = c.inputDims(t);
  const modelWidth = dims ? product(dims) : undefined;
  const features = t.features;
  const added = mine.reduce((a, { s }) => a + (s.op === 'onehot' && Array.isArray(s.categories) ? Math.max(0, s.categories.length - 1) : 0), 0);
  const rawWidth = features ? features.length : modelWidth !== undefined ? modelWidth - added : undefined;
  if (rawWidth !== undefined && rawWidth < 1) {
    const at: JsonPath = t.fromManifest ? [...t.path, 'shape'] : t.path;
    c.problem('MG307', at, `input "${t.name}" takes ${modelWidth} values per row (${c.shapeSource(t)}), but its onehot steps alone add ${added} columns: correct the categories or the shape`);
    return undefined;
  }
  if (blind) { c.complete = false; return undefined; }
  const rawNames = features ? [...features] : rawWidth !== undefined ? Array.from({ length: rawWidth }, (_, k) => `${t.name}[${k}]`) : undefined;
  const walk: Walk = { c, t, i, width: rawWidth, names: rawNames, notes: features ? [`${features.length} features`] : [], steps: [], categorical: new Map(), rawNames };
  let reshaped = false;
  for (const { s, j } of mine) {
    const sp: JsonPath = ['preprocessing', j];
    if (s.op === 'standardize') standardize(walk, s, sp);
    else if (s.op === 'minmax') minmax(walk, s, sp);
    else if (s.op === 'onehot') onehot(walk, s, sp);
    else if (s.op === 'reshape') { reshape(walk, s, sp, dims); reshaped = true; }
  }
  if (!reshaped && walk.width !== undefined && modelWidth !== undefined && walk.width !== modelWidth) {
    const at: JsonPath = features && t.fromManifest ? [...t.path, 'features'] : t.fromManifest ? [...t.path, 'shape'] : t.path;
    const hint = dims && dims.length > 1 ? `, or add a reshape step so the row fills ${list(dims)}` : '';
    const why = walk.notes.length > 1 ? ` (${walk.notes.join(' + ')})` : '';
    c.problem('MG307', at, `${t.fromManifest ? `signature.inputs[${i}]` : 'the model\'s input'} "${t.name}" takes ${modelWidth} values per row (${c.shapeSource(t)} after the batch axis), but its features give ${walk.width}${why}: list exactly ${modelWidth - added} columns${hint}`, { prefer: 'key' });
  }
  if (!dims || walk.width === undefined || !walk.names || !rawNames || rawWidth === undefined) return undefined;
  return {
    name: t.name, dtype: t.dtype as TensorDType, dims, modelWidth: modelWidth!, rawWidth,
    features: rawNames, namedFeatures: !!features, steps: walk.steps, categorical: walk.categorical,
  };
}

/** The state of one input while its steps are followed. */
interface Walk {
  c: Compiler;
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
}

function missing(c: Compiler, sp: JsonPath, op: string, p: string): void {
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
    w.c.problem('MG308', at, `${fieldName(at)} has ${v.length} values but input "${w.t.name}" has ${w.width} features at this step (${w.notes.join(' + ') || 'its shape'}): give one ${name} per feature, in feature order`);
    return undefined;
  }
  if (w.width === undefined) return undefined;
  const out = new Float64Array(w.width);
  for (let k = 0; k < w.width; k++) out[k] = typeof v === 'number' ? v : (v as number[])[k]!;
  return out;
}

const featureName = (w: Walk, k: number): string => (w.names?.[k] !== undefined ? ` (${w.names[k]})` : '');

function standardize(w: Walk, s: Extract<Pre, { op: 'standardize' }>, sp: JsonPath): void {
  if (s.mean === undefined) return missing(w.c, sp, s.op, 'mean');
  if (s.std === undefined) return missing(w.c, sp, s.op, 'std');
  // With the width known, each list is held against it; without, against each other.
  if (w.width === undefined && Array.isArray(s.mean) && Array.isArray(s.std) && s.mean.length !== s.std.length) {
    w.c.problem('MG308', [...sp, 'std'], `${fieldName(sp)} has ${s.mean.length} means but ${s.std.length} standard deviations: give one of each per feature`);
    return;
  }
  const bad = Array.isArray(s.std) ? s.std.findIndex((v) => !(v > 0) || !Number.isFinite(v)) : -1;
  if (bad >= 0) w.c.problem('MG108', [...sp, 'std', bad], `${fieldName([...sp, 'std', bad])} is ${s.std[bad]}${featureName(w, bad)}: every standard deviation must be a positive number`);
  const mean = perFeature(w, sp, 'mean', s.mean, 'a list of numbers, one mean per feature');
  const std = perFeature(w, sp, 'std', s.std, 'a list of numbers, one standard deviation per feature');
  if (mean && std && bad < 0) w.steps.push({ op: 'standardize', mean, std });
}

function minmax(w: Walk, s: Extract<Pre, { op: 'minmax' }>, sp: JsonPath): void {
  if (s.min === undefined) return missing(w.c, sp, s.op, 'min');
  if (s.max === undefined) return missing(w.c, sp, s.op, 'max');
  const min = perFeature(w, sp, 'min', s.min, 'a number or a list of numbers, one per feature');
  const max = perFeature(w, sp, 'max', s.max, 'a number or a list of numbers, one per feature');
  const lo = s.min;
  const hi = s.max;
  if (Array.isArray(lo) && Array.isArray(hi) && lo.length !== hi.length) {
    if (w.width === undefined) w.c.problem('MG308', [...sp, 'max'], `${fieldName(sp)} has ${lo.length} minimums but ${hi.length} maximums: give one of each per feature`);
    return;
  }
  const n = Math.max(Array.isArray(lo) ? lo.length : 1, Array.isArray(hi) ? hi.length : 1);
  for (let k = 0; k < n; k++) {
    const a = Array.isArray(lo) ? lo[k] : lo;
    const b = Array.isArray(hi) ? hi[k] : hi;
    if (typeof a === 'number' && typeof b === 'number' && !(b - a > 0)) {
      const which = n > 1 ? ` (feature ${k + 1}${featureName(w, k)})` : '';
      w.c.problem('MG120', Array.isArray(hi) ? [...sp, 'max', k] : [...sp, 'max'], `${fieldName(sp)} min ${a} is not below max ${b}${which}: scaling divides by max − min, so give max > min`);
      return;
    }
  }
  if (!min || !max) return;
  const scale = new Float64Array(min.length);
  for (let k = 0; k < min.length; k++) scale[k] = 1 / (max[k]! - min[k]!);
  w.steps.push({ op: 'minmax', min, scale });
}

function onehot(w: Walk, s: Extract<Pre, { op: 'onehot' }>, sp: JsonPath): void {
  if (s.column === undefined) return missing(w.c, sp, s.op, 'column');
  if (!Array.isArray(s.categories) || s.categories.length === 0) return missing(w.c, sp, s.op, 'categories');
  const at = [...sp, 'column'];
  const features = w.t.fromManifest ? `signature.inputs[${w.i}].features` : 'the features';
  if (!w.t.features) {
    w.c.problem('MG129', at, `${fieldName(at)} "${s.column}" names no column: input "${w.t.name}" lists no features; ${w.t.fromManifest ? `list its dataset columns in ${features}` : 'add a signature listing the input\'s features'}, including "${s.column}"`);
    w.width = undefined;
    return;
  }
  const col = w.names?.indexOf(s.column) ?? -1;
  if (col < 0) {
    const near = w.names ? closest(s.column, w.names) : undefined;
    w.c.problem('MG129', at, `${fieldName(at)} "${s.column}" is not one of ${features}${near ? `: did you mean "${near}"?` : ': add it to features or correct the name'}`, near ? { data: { suggestion: near } } : {});
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

function reshape(w: Walk, s: Extract<Pre, { op: 'reshape' }>, sp: JsonPath, dims: number[] | undefined): void {
  if (!Array.isArray(s.shape)) return missing(w.c, sp, s.op, 'shape');
  const at = [...sp, 'shape'];
  const n = product(s.shape);
  if (w.width !== undefined && n !== w.width) {
    w.c.problem('MG307', at, `${fieldName(at)} ${list(s.shape)} holds ${n} values but input "${w.t.name}" gets ${w.width} per row (${w.notes.join(' + ') || 'its shape'}): make the shape's product ${w.width}, or correct the features`);
  } else if (dims && (s.shape.length !== dims.length || s.shape.some((d, k) => d !== dims[k]))) {
    w.c.problem('MG307', at, `${fieldName(at)} gives rows of shape ${list(s.shape)}, but ${w.c.shapeSource(w.t)} expects ${list(dims)} after the batch axis: use shape: ${list(dims)}`, { data: { suggestion: dims } });
  } else {
    w.steps.push({ op: 'reshape', shape: s.shape });
  }
  w.width = n;
}

interface PostPlan {
  steps: PostStep[];
  primaryOutput: string;
  softmaxOf: Map<string, string>;
}

function compilePost(c: Compiler, tensors: Tensor[] | undefined, outputs: OutputPlan[] | undefined, post: Array<Post | undefined>): PostPlan | undefined {
  const m = c.manifest.model;
  const labels = c.trusted(['model', 'classLabels']) && Array.isArray(m.classLabels) ? m.classLabels : undefined;
  const names = outputs?.map((o) => o.name);
  const taken = new Set(names ?? []);
  const unique = (base: string, output: string): string => {
    let n = taken.has(base) ? `${output}_${base}` : base;
    for (let k = 2; taken.has(n); k++) n = `${output}_${base}${k}`;
    taken.add(n);
    return n;
  };
  const steps: PostStep[] = [];
  const softmaxOf = new Map<string, string>();
  post.forEach((s, j) => {
    if (!s) return;
    const at: JsonPath = ['postprocessing', j];
    const output = s.output ?? names?.[0];
    if (s.output !== undefined && names && !names.includes(s.output)) {
      nameProblem(c, [...at, 'output'], s.output, 'output', tensors ?? []);
      return;
    }
    if (s.op === 'topk') {
      if (s.k === undefined) return missing(c, at, s.op, 'k');
      if (!Number.isInteger(s.k) || s.k < 1) return c.problem('MG108', [...at, 'k'], `${fieldName([...at, 'k'])} is ${s.k}: use a whole number of at least 1`);
      const dims = outputs?.find((o) => o.name === output)?.dims;
      const width = dims && dims.every((d) => d > 0) ? product(dims) : undefined;
      if (labels && s.k > labels.length) return c.problem('MG131', [...at, 'k'], `${fieldName([...at, 'k'])} ${s.k} is more than the ${labels.length} classes in model.classLabels: use k ≤ ${labels.length}`);
      if (width !== undefined && s.k > width) return c.problem('MG131', [...at, 'k'], `${fieldName([...at, 'k'])} ${s.k} is more than the ${width} columns of output "${output}": use k ≤ ${width}`);
    }
    if (output === undefined) return;
    const source = softmaxOf.get(output) ?? output;
    if (s.op === 'softmax') {
      const as = unique('probabilities', output);
      softmaxOf.set(output, as);
      steps.push({ op: 'softmax', output, as });
    } else if (s.op === 'argmax') {
      steps.push({ op: 'argmax', output, source, as: unique('label', output) });
    } else if (s.op === 'topk') {
      steps.push({ op: 'topk', output, source, as: unique('topk', output), k: s.k });
    }
  });
  const first = post.find((s) => s && s.op !== 'softmax') ?? post.find((s) => s);
  const primaryOutput = first?.output ?? names?.[0];
  classCount(c, labels, outputs, primaryOutput);
  if (!primaryOutput) return undefined;
  return { steps, primaryOutput, softmaxOf };
}

/** A classifier's labels name the columns of its primary output, one each. */
function classCount(c: Compiler, labels: string[] | undefined, outputs: OutputPlan[] | undefined, primary: string | undefined): void {
  if (!labels || !c.trusted(['model', 'task']) || c.manifest.model.task !== 'classification') return;
  const dims = outputs?.find((o) => o.name === primary)?.dims;
  if (!dims || dims.some((d) => d <= 0)) return;
  const width = product(dims);
  if (width === labels.length) return;
  const sigmoid = width === 1 && labels.length === 2 ? '; a single sigmoid column is not served as two classes: export both class scores' : '';
  c.problem('MG306', ['model', 'classLabels'], `model.classLabels lists ${labels.length} classes, but output "${primary}" has ${width} columns${sigmoid}: list exactly ${width} labels, in output order`);
}

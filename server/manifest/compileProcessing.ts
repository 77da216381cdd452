// The one compiler of a manifest's pre- and postprocessing: it decides
// whether the steps fit the signature and builds the plan serving runs.
// Lint turns its problems into diagnostics and serving into one
// ProcessingError, so the editor and the server accept and reject the same
// manifests. Every problem is collected, each with its manifest path and
// its code from codes.ts.
import { ModelGateError } from '../protocol/errors';
import type { TensorDType } from '../runtime/onnx';
import type { DiagnosticCode } from './codes';
import type { JsonPath } from './parse';
import type { InputPlan, ModelSignature, OutputPlan, PostStep, ProcessingPlan } from './processing';
import { minmax, onehot, reshape, standardize, missing, type Pre, type ProblemSink, type Tensor, type Walk } from './compilePreSteps';
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
export const PROCESSING_CODES: readonly DiagnosticCode[] = [
  'MG105',
  'MG108',
  'MG120',
  'MG129',
  'MG131',
  'MG133',
  'MG300',
  'MG306',
  'MG307',
  'MG308',
  'MG350',
  'MG351',
];

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
  return (
    `the manifest's processing has ${problems.length} problems; fix them (run \`modelgate lint\`):\n` +
    problems.map((p) => `  ${p.code} ${p.message}`).join('\n')
  );
}

/** Compiles the processing, or throws one ProcessingError listing every problem. */
export function compileProcessing(manifest: ModelManifest, model?: ModelSignature): ProcessingPlan {
  const r = tryCompileProcessing(manifest, { model });
  if (r.problems.length) throw new ProcessingError(r.problems);
  if (!r.plan)
    throw new ProcessingError([
      {
        code: 'MG300',
        path: ['signature'],
        message: `the processing cannot be compiled without the model: ${r.needsModel ?? 'the signature is incomplete'}; load the model, or give the signature fixed sizes`,
      },
    ]);
  return r.plan;
}

const SERVABLE: ReadonlySet<string> = new Set(['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']);

const product = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);
const list = (xs: readonly (string | number)[]): string => `[${xs.join(', ')}]`;

class Compiler implements ProblemSink {
  readonly problems: ProcessingProblem[] = [];
  needsModel: string | undefined;
  /** False once a part was skipped or could not be sized: no plan then. */
  complete = true;

  constructor(
    readonly manifest: ModelManifest,
    readonly opts: CompileOptions,
  ) {}

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
      if (!this.trusted(['signature', kind]) || !Array.isArray(sig[kind])) {
        this.complete = false;
        return undefined;
      }
      return sig[kind].map((t, i) => ({
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        features: 'features' in t ? t.features : undefined,
        path: ['signature', kind, i],
        fromManifest: true,
        model: model?.find((m) => m.name === t.name),
      }));
    }
    if (!model) {
      this.unknown('the manifest has no `signature`');
      return undefined;
    }
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
          this.problem(
            'MG351',
            at,
            `${fieldName(at)} is ${JSON.stringify(d)}, a dynamic size, and ${why}: only the first (batch) axis may be dynamic; give this axis its fixed size, e.g. shape: [batch, 30]`,
          );
        } else {
          this.problem(
            'MG351',
            at,
            `the model's input "${t.name}" has shape ${list(t.shape)}, dynamic after the batch axis: serving needs fixed row sizes; add a signature with the sizes, e.g. shape: [batch, 30]`,
          );
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
  const steps = (c.manifest[key] ?? []) as Array<NonNullable<ModelManifest[K]>[number]>;
  if (!Array.isArray(steps)) {
    c.complete = false;
    return [];
  }
  // Trusted step by step: one rejected step leaves the others checked.
  return steps.map((s, j) => {
    if (c.trusted([key, j]) && s && typeof s === 'object') return s;
    c.complete = false;
    return undefined;
  });
}

type Post = NonNullable<ModelManifest['postprocessing']>[number];

function nameProblem(c: Compiler, at: JsonPath, named: string, kind: 'input' | 'output', tensors: Tensor[]): void {
  const names = tensors.map((t) => t.name);
  const near = closest(named, names);
  const where = tensors[0]?.fromManifest === false ? `the model's ${kind}s` : `signature.${kind}s`;
  c.problem(
    'MG129',
    at,
    `${fieldName(at)} "${named}" is not in ${where} (${names.join(', ')})${near ? `: did you mean "${near}"?` : ': use one of them'}`,
    near ? { data: { suggestion: near } } : {},
  );
}

function compileInputs(c: Compiler, inputs: Tensor[], pre: Array<Pre | undefined>): Array<InputPlan | undefined> {
  const names = inputs.map((t) => t.name);
  pre.forEach((s, j) => {
    if (s?.input !== undefined && !names.includes(s.input)) nameProblem(c, ['preprocessing', j, 'input'], s.input, 'input', inputs);
  });
  return inputs.map((t, i) => {
    if (t.fromManifest && !c.trusted(t.path)) {
      c.complete = false;
      return undefined;
    }
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
    c.problem(
      'MG350',
      at,
      `${t.fromManifest ? fieldName(at) : `the model's input "${t.name}" type`} is ${t.dtype}, which serving cannot feed: it takes numbers and booleans (float32, float64, int8–int64, uint8–uint64, bool); export the model with such an input`,
    );
  }
  const dims = c.inputDims(t);
  const modelWidth = dims ? product(dims) : undefined;
  const features = t.features;
  const added = mine.reduce((a, { s }) => a + (s.op === 'onehot' && Array.isArray(s.categories) ? Math.max(0, s.categories.length - 1) : 0), 0);
  const rawWidth = features ? features.length : modelWidth !== undefined ? modelWidth - added : undefined;
  if (rawWidth !== undefined && rawWidth < 1) {
    const at: JsonPath = t.fromManifest ? [...t.path, 'shape'] : t.path;
    c.problem(
      'MG307',
      at,
      `input "${t.name}" takes ${modelWidth} values per row (${c.shapeSource(t)}), but its onehot steps alone add ${added} columns: correct the categories or the shape`,
    );
    return undefined;
  }
  const rawNames = features ? [...features] : rawWidth !== undefined ? Array.from({ length: rawWidth }, (_, k) => `${t.name}[${k}]`) : undefined;
  // A step another check rejected hides the width from there on: the steps
  // are still checked on their own, not against the row.
  if (blind) c.complete = false;
  const walk: Walk = {
    c,
    t,
    i,
    width: blind ? undefined : rawWidth,
    names: blind ? undefined : rawNames,
    notes: features ? [`${features.length} features`] : [],
    steps: [],
    categorical: new Map(),
    rawNames,
    shapeSource: c.shapeSource(t),
  };
  let reshaped = false;
  for (const { s, j } of mine) {
    const sp: JsonPath = ['preprocessing', j];
    if (s.op === 'standardize') standardize(walk, s, sp);
    else if (s.op === 'minmax') minmax(walk, s, sp);
    else if (s.op === 'onehot') onehot(walk, s, sp);
    else if (s.op === 'reshape') {
      reshape(walk, s, sp, dims);
      reshaped = true;
    }
  }
  if (!reshaped && walk.width !== undefined && modelWidth !== undefined && walk.width !== modelWidth) {
    const at: JsonPath = features && t.fromManifest ? [...t.path, 'features'] : t.fromManifest ? [...t.path, 'shape'] : t.path;
    const hint = dims && dims.length > 1 ? `, or add a reshape step so the row fills ${list(dims)}` : '';
    const why = walk.notes.length > 1 ? ` (${walk.notes.join(' + ')})` : '';
    c.problem(
      'MG307',
      at,
      `${t.fromManifest ? `signature.inputs[${i}]` : "the model's input"} "${t.name}" takes ${modelWidth} values per row (${c.shapeSource(t)} after the batch axis), but its features give ${walk.width}${why}: list exactly ${modelWidth - added} columns${hint}`,
      { prefer: 'key' },
    );
  }
  if (!dims || walk.width === undefined || !walk.names || !rawNames || rawWidth === undefined) return undefined;
  return {
    name: t.name,
    dtype: t.dtype as TensorDType,
    dims,
    modelWidth: modelWidth!,
    rawWidth,
    features: rawNames,
    namedFeatures: !!features,
    steps: walk.steps,
    categorical: walk.categorical,
    ...(c.manifest.serving?.nonFinite === 'pass' ? { passNonFinite: true } : {}),
  };
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
      if (labels && s.k > labels.length)
        return c.problem(
          'MG131',
          [...at, 'k'],
          `${fieldName([...at, 'k'])} ${s.k} is more than the ${labels.length} classes in model.classLabels: use k ≤ ${labels.length}`,
        );
      if (width !== undefined && s.k > width)
        return c.problem('MG131', [...at, 'k'], `${fieldName([...at, 'k'])} ${s.k} is more than the ${width} columns of output "${output}": use k ≤ ${width}`);
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
  c.problem(
    'MG306',
    ['model', 'classLabels'],
    `model.classLabels lists ${labels.length} classes, but output "${primary}" has ${width} columns${sigmoid}: list exactly ${width} labels, in output order`,
  );
}

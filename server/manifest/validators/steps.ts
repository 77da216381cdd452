// Semantic rules on signature features and pre/postprocessing: each step
// names a real tensor and has its parameters, per-feature lists have one
// value per feature, and the features (after onehot and reshape) fill the
// input's non-batch dimensions exactly. Class labels must fit the task.
import type { Dim } from '../../runtime/onnx';
import type { ManifestDiagnostic } from '../diagnostics';
import { closest } from '../suggest';
import { fieldName, report, type JsonPath, type SyncValidator, type ValidationContext } from './types';

const NEEDS: Record<string, string[]> = {
  standardize: ['mean', 'std'], minmax: ['min', 'max'], onehot: ['column', 'categories'], reshape: ['shape'], topk: ['k'],
};

/** What one input receives per row once the preprocessing steps ran. */
export interface InputLayout {
  index: number;
  name: string;
  /** Values per row after onehot/reshape; undefined when `features` is not listed. */
  width?: number;
  /** How `width` came about, for messages ("30 features", "29 features + onehot"). */
  widthNote: string;
  reshape?: { shape: number[]; path: JsonPath };
}

export const stepsValidator: SyncValidator = {
  name: 'steps',
  validate(ctx: ValidationContext): ManifestDiagnostic[] {
    const out: ManifestDiagnostic[] = [];
    out.push(...stepReferences(ctx), ...labelsAndTask(ctx));
    const inputs = ctx.valid(['signature', 'inputs']) ? ctx.manifest.signature?.inputs ?? [] : [];
    inputs.forEach((input, i) => {
      const { layout, diagnostics } = inputLayout(ctx, i);
      out.push(...diagnostics);
      if (layout) out.push(...checkRowShape(ctx, layout, input.shape.slice(1), `signature.inputs[${i}].shape`));
    });
    return out;
  },
};

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function isFixed(d: Dim): d is number {
  return typeof d === 'number' && d >= 0;
}

function stepReferences(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  const inputNames = ctx.valid(['signature', 'inputs']) ? (manifest.signature?.inputs ?? []).map((t) => t.name) : undefined;
  const outputNames = ctx.valid(['signature', 'outputs']) ? (manifest.signature?.outputs ?? []).map((t) => t.name) : undefined;
  const lists: Array<['preprocessing' | 'postprocessing', 'input' | 'output', string[] | undefined]> = [
    ['preprocessing', 'input', inputNames], ['postprocessing', 'output', outputNames],
  ];
  for (const [list, ref, names] of lists) {
    const steps = (ctx.valid([list]) ? manifest[list] ?? [] : []) as Array<Record<string, unknown>>;
    steps.forEach((s, j) => {
      const at = [list, j];
      if (!ctx.valid(at)) return;
      for (const p of NEEDS[String(s.op)] ?? []) {
        if (s[p] === undefined) out.push(report(parsed, at, 'MG133', `${fieldName(at)} (op: ${String(s.op)}) needs "${p}": add it — ${paramHelp(String(s.op), p)}`, { prefer: 'key', data: { missing: p } }));
      }
      const named = s[ref];
      if (typeof named === 'string' && names && !names.includes(named)) {
        const near = closest(named, names);
        out.push(report(parsed, [...at, ref], 'MG129', `${fieldName([...at, ref])} "${named}" is not in signature.${ref}s (${names.join(', ')})${near ? `: did you mean "${near}"?` : `: use one of them`}`, near ? { data: { suggestion: near } } : {}));
      }
    });
  }
  return out;
}

function paramHelp(op: string, p: string): string {
  const help: Record<string, string> = {
    'standardize.mean': 'one mean per feature, e.g. [14.1, 19.3]',
    'standardize.std': 'one standard deviation per feature, e.g. [3.5, 4.3]',
    'minmax.min': 'the minimum, one number or one per feature',
    'minmax.max': 'the maximum, one number or one per feature',
    'onehot.column': 'the categorical column to expand',
    'onehot.categories': 'the categories in output order, e.g. [red, green, blue]',
    'reshape.shape': 'the shape of one row without the batch axis, e.g. [1, 8, 8]',
    'topk.k': 'how many classes to return, e.g. 3',
  };
  return help[`${op}.${p}`] ?? p;
}

function labelsAndTask(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  if (!ctx.valid(['model', 'task'], ['model', 'classLabels'])) return out;
  const task = manifest.model?.task;
  const labels = manifest.model?.classLabels;
  if (task === 'classification' && !labels) {
    out.push(report(parsed, ['model', 'task'], 'MG130', 'model.task is classification but model.classLabels is missing: predictions are reported as class indices and class gates cannot be checked; add classLabels in the order of the output columns, e.g. classLabels: [negative, positive]'));
  }
  if (task === 'regression' && labels) {
    out.push(report(parsed, ['model', 'classLabels'], 'MG130', 'model.classLabels has no meaning for a regression model: remove it, or set model.task: classification'));
  }
  if (task === 'regression' && ctx.valid(['data', 'labelFrequencies']) && manifest.data?.labelFrequencies) {
    out.push(report(parsed, ['data', 'labelFrequencies'], 'MG130', 'data.labelFrequencies has no meaning for a regression model: remove it, or set model.task: classification', { prefer: 'key' }));
  }
  const post = ctx.valid(['postprocessing']) ? manifest.postprocessing ?? [] : [];
  post.forEach((s, j) => {
    const at = ['postprocessing', j];
    if (!ctx.valid(at)) return;
    if (task === 'regression' && (s.op === 'argmax' || s.op === 'topk' || s.op === 'softmax')) {
      out.push(report(parsed, [...at, 'op'], 'MG130', `${fieldName([...at, 'op'])} ${s.op} turns class scores into classes, but model.task is regression: remove the step, or set model.task: classification`));
    }
    if (s.op === 'topk' && s.k !== undefined && labels && s.k > labels.length) {
      out.push(report(parsed, [...at, 'k'], 'MG131', `${fieldName([...at, 'k'])} ${s.k} is more than the ${labels.length} classes in model.classLabels: use k ≤ ${labels.length}`));
    }
  });
  return out;
}

/**
 * Walks the preprocessing steps of input `i`, checking per-feature lists on
 * the way. No layout when the input or a step it depends on is invalid.
 */
export function inputLayout(ctx: ValidationContext, i: number): { layout?: InputLayout; diagnostics: ManifestDiagnostic[] } {
  const { manifest, parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  const at = ['signature', 'inputs', i];
  if (!ctx.valid(at)) return { diagnostics: out };
  const inputs = manifest.signature?.inputs ?? [];
  const input = inputs[i];
  if (!input) return { diagnostics: out };
  const first = inputs[0]?.name;
  const features = input.features;
  let width = features?.length;
  const notes: string[] = features ? [`${features.length} features`] : [];
  let reshape: InputLayout['reshape'];
  const steps = ctx.valid(['preprocessing']) ? manifest.preprocessing ?? [] : [];
  for (let j = 0; j < steps.length; j++) {
    const s = steps[j]!;
    const sp = ['preprocessing', j];
    if ((s.input ?? first) !== input.name) continue;
    if (!ctx.valid(sp)) return { diagnostics: out };
    if (s.op === 'standardize' && s.mean && s.std) {
      if (s.mean.length !== s.std.length) {
        out.push(report(parsed, [...sp, 'std'], 'MG308', `${fieldName(sp)} has ${s.mean.length} means but ${s.std.length} standard deviations: give one of each per feature`));
      } else if (width !== undefined && s.mean.length !== width) {
        out.push(report(parsed, [...sp, 'mean'], 'MG308', `${fieldName([...sp, 'mean'])} has ${s.mean.length} values but input "${input.name}" has ${width} (${notes.join(' + ')}): give one mean and one std per feature, in feature order`));
      }
    }
    if (s.op === 'minmax' && s.min !== undefined && s.max !== undefined) out.push(...minmax(ctx, sp, s.min, s.max, width, input.name));
    if (s.op === 'onehot' && s.column !== undefined && s.categories) {
      if (features && !features.includes(s.column)) {
        const near = closest(s.column, features);
        out.push(report(parsed, [...sp, 'column'], 'MG129', `${fieldName([...sp, 'column'])} "${s.column}" is not one of signature.inputs[${i}].features${near ? `: did you mean "${near}"?` : ': add it to features or correct the name'}`, near ? { data: { suggestion: near } } : {}));
      } else if (width !== undefined) {
        width += s.categories.length - 1;
        notes.push(`onehot "${s.column}" → ${s.categories.length} columns`);
      }
    }
    if (s.op === 'reshape' && s.shape) {
      const n = product(s.shape);
      if (width !== undefined && n !== width) {
        out.push(report(parsed, [...sp, 'shape'], 'MG307', `${fieldName([...sp, 'shape'])} [${s.shape.join(', ')}] holds ${n} values but input "${input.name}" gets ${width} per row (${notes.join(' + ')}): make the shape's product ${width}, or correct the features`));
      }
      width = n;
      reshape = { shape: s.shape, path: [...sp, 'shape'] };
    }
  }
  return { layout: { index: i, name: input.name, width, widthNote: notes.join(' + '), reshape }, diagnostics: out };
}

function minmax(ctx: ValidationContext, sp: JsonPath, min: number | number[], max: number | number[], width: number | undefined, input: string): ManifestDiagnostic[] {
  const { parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (Array.isArray(v) && width !== undefined && v.length !== width) {
      out.push(report(parsed, [...sp, name], 'MG308', `${fieldName([...sp, name])} has ${v.length} values but input "${input}" has ${width} features: give one ${name} per feature, or a single number for all`));
      return out;
    }
  }
  if (Array.isArray(min) && Array.isArray(max) && min.length !== max.length) {
    out.push(report(parsed, [...sp, 'max'], 'MG308', `${fieldName(sp)} has ${min.length} minimums but ${max.length} maximums: give one of each per feature`));
    return out;
  }
  const n = Math.max(Array.isArray(min) ? min.length : 1, Array.isArray(max) ? max.length : 1);
  for (let k = 0; k < n; k++) {
    const lo = Array.isArray(min) ? min[k] : min;
    const hi = Array.isArray(max) ? max[k] : max;
    if (lo !== undefined && hi !== undefined && lo >= hi) {
      const which = n > 1 ? ` (feature ${k + 1})` : '';
      out.push(report(parsed, Array.isArray(max) ? [...sp, 'max', k] : [...sp, 'max'], 'MG120', `${fieldName(sp)} min ${lo} is not below max ${hi}${which}: scaling divides by max − min, so give max > min`));
      break;
    }
  }
  return out;
}

/**
 * The features of `layout` must fill `dims` (the input's non-batch
 * dimensions, from the manifest or the model) exactly. Symbolic dimensions
 * make the count unknowable, so nothing is reported then.
 */
export function checkRowShape(ctx: ValidationContext, layout: InputLayout, dims: Dim[], source: string): ManifestDiagnostic[] {
  if (!dims.every(isFixed)) return [];
  const at = ['signature', 'inputs', layout.index];
  if (layout.reshape) {
    const r = layout.reshape.shape;
    if (r.length !== dims.length || r.some((d, k) => d !== dims[k])) {
      return [report(ctx.parsed, layout.reshape.path, 'MG307', `reshape gives rows of shape [${r.join(', ')}], but ${source} expects [${dims.join(', ')}] after the batch axis: use shape: [${dims.join(', ')}]`, { data: { suggestion: dims } })];
    }
    return [];
  }
  if (layout.width === undefined) return [];
  const n = product(dims);
  if (n === layout.width) return [];
  const hint = dims.length > 1 ? `, or correct the preprocessing so the row fills [${dims.join(', ')}]` : '';
  return [report(ctx.parsed, [...at, 'features'], 'MG307', `signature.inputs[${layout.index}] "${layout.name}" takes ${n} values per row (${source} [${dims.join(', ')}] after the batch axis), but its features give ${layout.width}${layout.widthNote.includes('+') ? ` (${layout.widthNote})` : ''}: list exactly ${n} columns${hint}`, { prefer: 'key' })];
}

// What `modelgate init` learns from the data next to a model: which column
// is the label, which columns feed which input (multi-input models and
// inputs of shape [batch, C, H, W] or [batch, T, F] included), the class
// labels and their order, label frequencies, and a validation split when
// there is only one CSV. Every guess carries the reason, which init writes
// as a comment on the line it decided.
import type { TensorInfo } from '../runtime/onnx';
import { seededRandom } from '../stats/random';
import type { Table } from './dataset';
import { LABEL_NAMES } from './validators/files';

/** Columns for one input, and how they were found. */
export interface InputColumns {
  input: string;
  features: string[];
  why: string;
}

export interface ColumnPlan {
  label?: { column: string; why: string };
  inputs: InputColumns[];
  /** Inputs no columns could be matched to, with what they need. */
  unmatched: { input: string; why: string }[];
}

/** Values per row an input takes (the product of its non-batch axes), undefined when one is dynamic. */
export function rowSize(t: TensorInfo): number | undefined {
  let n = 1;
  for (const d of t.shape.slice(1)) {
    if (typeof d !== 'number' || d <= 0) return undefined;
    n *= d;
  }
  return n;
}

const isNumber = (v: string): boolean => v.trim() !== '' && !Number.isNaN(Number(v));

/** How a column's values look, from the rows given (a sample is enough). */
export interface ColumnKind {
  numeric: boolean;
  integer: boolean;
  distinct: number;
}

export function columnKinds(table: Table | undefined): Map<string, ColumnKind> {
  const kinds = new Map<string, ColumnKind>();
  if (!table) return kinds;
  const rows = table.rows.slice(0, 2000);
  table.columns.forEach((c, i) => {
    const values = rows.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
    const numeric = values.length > 0 && values.every(isNumber);
    kinds.set(c, { numeric, integer: numeric && values.every((v) => Number.isInteger(Number(v))), distinct: new Set(values).size });
  });
  return kinds;
}

/**
 * Matches CSV columns to the model's inputs and finds the label column:
 * the label by name (target, label, y, class); an input's columns by name
 * (a column named as a one-value input; columns name_0, name_0_1, … or
 * name[0] for a wider one); the rest by position, when their count fills
 * the remaining inputs exactly; and the label by elimination — the one
 * column left, preferring text (a classifier's names), then a whole-number
 * column with few values, then the last column.
 */
export function planColumns(columns: string[], inputs: TensorInfo[], kinds: Map<string, ColumnKind>, classification: boolean): ColumnPlan {
  const plan: ColumnPlan = { inputs: [], unmatched: [] };
  const used = new Set<string>();
  const byName = LABEL_NAMES.map((l) => columns.find((c) => c.toLowerCase() === l)).find((c) => c !== undefined);
  if (byName && !inputs.some((t) => t.name.toLowerCase() === byName.toLowerCase())) {
    plan.label = { column: byName, why: `named like a label (${LABEL_NAMES.join(', ')})` };
    used.add(byName);
  }
  const matched = new Map<string, InputColumns>();
  for (const t of inputs) {
    const need = rowSize(t);
    const lower = t.name.toLowerCase();
    if (need === 1) {
      const c = columns.find((col) => !used.has(col) && col.toLowerCase() === lower);
      if (c) {
        matched.set(t.name, { input: t.name, features: [c], why: `the column named as the input` });
        used.add(c);
        continue;
      }
    }
    const prefixed = columns.filter((col) => !used.has(col) && col.toLowerCase().startsWith(lower) && /^[_.[]?\d/.test(col.slice(t.name.length)));
    if (prefixed.length > 0 && (need === undefined || prefixed.length === need)) {
      matched.set(t.name, {
        input: t.name,
        features: prefixed,
        why: `the ${prefixed.length} columns named ${t.name}_…${t.shape.length > 2 ? ' (flattened row-major, the last axis fastest)' : ''}`,
      });
      for (const c of prefixed) used.add(c);
    }
  }
  const rest = inputs.filter((t) => !matched.has(t.name));
  let free = columns.filter((c) => !used.has(c));
  const needs = rest.map(rowSize);
  const fixed = needs.every((n) => n !== undefined);
  const total = fixed ? (needs as number[]).reduce((a, b) => a + b, 0) : undefined;
  if (!plan.label && rest.length > 0 && total !== undefined && free.length === total + 1) {
    plan.label = chooseLabel(free, kinds, classification, 'the one column left once the features are counted');
    free = free.filter((c) => c !== plan.label!.column);
  } else if (!plan.label && rest.length === 0 && free.length === 1) {
    plan.label = { column: free[0]!, why: 'the one column left once every input has its columns' };
    free = [];
  } else if (!plan.label && rest.length === 1 && total === undefined && free.length > 1) {
    plan.label = chooseLabel(free, kinds, classification, 'guessed: the input takes any number of columns');
    free = free.filter((c) => c !== plan.label!.column);
  }
  if (rest.length === 1 && (total === undefined ? free.length > 0 : free.length === total)) {
    const t = rest[0]!;
    matched.set(t.name, {
      input: t.name,
      features: free,
      why: `${inputs.length === 1 ? 'every column but the label' : 'the columns no other input took'}${t.shape.length > 2 ? ', in file order as the row-major flattening (the last axis fastest)' : ''}`,
    });
    free = [];
  } else if (rest.length > 1 && total !== undefined && free.length === total) {
    let at = 0;
    for (const t of rest) {
      const n = rowSize(t)!;
      matched.set(t.name, {
        input: t.name,
        features: free.slice(at, at + n),
        why: `guessed by position: ${n} columns in file order, inputs in model order; check them`,
      });
      at += n;
    }
    free = [];
  }
  for (const t of inputs) {
    const m = matched.get(t.name);
    if (m) plan.inputs.push(m);
    else {
      const need = rowSize(t);
      plan.unmatched.push({
        input: t.name,
        why: `input "${t.name}" takes ${need ?? 'a dynamic number of'} value${need === 1 ? '' : 's'} per row; ${free.length} unmatched column${free.length === 1 ? '' : 's'} (${free.slice(0, 5).join(', ')}${free.length > 5 ? ', …' : ''}) do not fill it: name its columns ${t.name}${need === 1 ? '' : '_0, ' + t.name + '_1, …'} or list them under features`,
      });
    }
  }
  return plan;
}

function chooseLabel(candidates: string[], kinds: Map<string, ColumnKind>, classification: boolean, why: string): { column: string; why: string } {
  const text = candidates.filter((c) => kinds.get(c) && !kinds.get(c)!.numeric);
  if (text.length === 1) return { column: text[0]!, why: `${why}; the only text column` };
  if (classification) {
    const few = candidates.filter((c) => kinds.get(c)?.integer && kinds.get(c)!.distinct <= 50);
    if (few.length === 1) return { column: few[0]!, why: `${why}; the only whole-number column with few values` };
  }
  return { column: candidates[candidates.length - 1]!, why: `${why}; guessed: the last column — check it` };
}

/** Class labels in output order, with how the order was decided. */
export interface ClassLabels {
  labels: string[];
  order: string;
  /** True when the order could not be known and the user should confirm it. */
  confirm: boolean;
  frequencies?: Record<string, number>;
}

/**
 * The class labels from the label column's values. The order of the output
 * columns: the model's own (a scikit-learn classifier op holds its labels),
 * else the class indices when the values are 0…K−1, else sorted — as
 * scikit-learn and LabelEncoder number classes — to be confirmed.
 */
export function classLabelsFrom(values: string[], width: number | undefined, modelLabels: string[] | undefined): ClassLabels | undefined {
  const counts = new Map<string, number>();
  for (const raw of values) {
    const v = raw.trim();
    if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0 || counts.size > 1000) return undefined;
  const seen = [...counts.keys()];
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  let labels: string[];
  let order: string;
  let confirm = false;
  if (modelLabels && seen.every((l) => modelLabels.includes(l))) {
    labels = modelLabels;
    order = "the model's own label order (read from the ONNX file)";
  } else if (seen.every(isNumber)) {
    const nums = seen.map(Number).sort((a, b) => a - b);
    labels = nums.map(String);
    const indices = nums.every((n, i) => n === i);
    order = indices ? 'the labels are the class indices 0…K−1' : 'numeric labels in increasing order';
    if (width !== undefined && width !== labels.length && nums.every((n) => Number.isInteger(n) && n >= 0 && n < width)) {
      labels = Array.from({ length: width }, (_, i) => String(i));
      order = `class indices 0…${width - 1} (the data holds ${seen.length} of the ${width})`;
    }
  } else {
    labels = seen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    order = 'sorted, as scikit-learn and LabelEncoder number classes: confirm it matches the output columns';
    confirm = true;
  }
  if (width !== undefined && labels.length !== width) return undefined;
  const freq: Record<string, number> = {};
  for (const l of labels) freq[l] = Math.round(((counts.get(l) ?? 0) / total) * 1000) / 1000;
  // Three decimals; the largest share absorbs the rounding so they sum to 1.
  const biggest = labels.reduce((a, b) => (freq[b]! > freq[a]! ? b : a));
  const rest = labels.filter((l) => l !== biggest).reduce((s, l) => s + freq[l]!, 0);
  freq[biggest] = Math.round((1 - rest) * 1000) / 1000;
  return { labels, order, confirm, frequencies: freq };
}

/**
 * Row indices for training and validation: a seeded shuffle, stratified by
 * the label for a classifier (each class split in the same proportion),
 * rows kept in file order within each part.
 */
export function splitRows(n: number, share: number, strata?: string[], seed = 42): { training: number[]; validation: number[] } {
  const rnd = seededRandom(seed);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = strata ? (strata[i] ?? '') : '';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const validation: number[] = [];
  for (const g of groups.values()) {
    for (let i = g.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [g[i], g[j]] = [g[j]!, g[i]!];
    }
    const take = g.length >= 2 ? Math.max(1, Math.round(g.length * share)) : 0;
    validation.push(...g.slice(0, take));
  }
  const inValidation = new Set(validation);
  const training: number[] = [];
  for (let i = 0; i < n; i++) if (!inValidation.has(i)) training.push(i);
  return { training, validation: validation.sort((a, b) => a - b) };
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The table's header and the given rows as CSV text. */
export function csvText(table: Table, rows: number[]): string {
  const lines = [table.columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(table.rows[r]!.map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

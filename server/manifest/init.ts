// A starter model.yaml for an ONNX file: the signature read from the model,
// datasets found next to it by name, the label column and features from the
// CSV header, the task guessed from the output width. Written as commented
// text (not serialised objects) so the user learns the format from it, and
// built to lint clean.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { loadModelMetadata, type Dim, type ModelMetadata, type TensorInfo } from '../runtime/onnx';
import { probeCsv } from './csvProbe';
import { column, readTable } from './dataset';
import { toDnsName } from './names';
import { LABEL_NAMES } from './validators/files';

export interface StarterOptions {
  modelPath: string;
  outputPath: string;
  /** Working directory whose ./data is searched too (default: process.cwd()). */
  cwd?: string;
  now?: Date;
}

export interface Starter {
  text: string;
  /** What was detected or guessed, one line each, for the CLI to print. */
  notes: string[];
}

type Role = 'training' | 'validation' | 'reference' | 'current';

const ROLE_PATTERNS: Array<[Role, RegExp]> = [
  ['training', /^train/i],
  ['validation', /^(valid|val)/i],
  ['reference', /^(reference|ref)/i],
  ['current', /^(current|cur|prod)/i],
];

/** Above this, init does not read a whole training file for class labels. */
const MAX_LABEL_SCAN_BYTES = 50 * 1024 * 1024;
const DIM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quotes a YAML scalar only when a plain one would be misread. */
export function yamlScalar(s: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_ ./()-]*$/.test(s) && !/\s$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

/** `[a, b, c]`, wrapped under `indent` when long. */
function flowList(items: string[], indent: number, first: number): string {
  const parts = items.map(yamlScalar);
  const lines: string[] = [];
  let line = '';
  let width = first;
  for (const p of parts) {
    const piece = line ? `, ${p}` : p;
    if (line && width + piece.length > 100) {
      lines.push(line + ',');
      line = p;
      width = indent + p.length;
    } else {
      line += piece;
      width += piece.length;
    }
  }
  lines.push(line);
  return `[${lines.join('\n' + ' '.repeat(indent + 1))}]`;
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

async function findDatasets(dirs: string[]): Promise<Partial<Record<Role, string>>> {
  const found: Partial<Record<Role, string>> = {};
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
    } catch {
      continue;
    }
    for (const [role, re] of ROLE_PATTERNS) {
      if (found[role]) continue;
      const hit = names.find((n) => re.test(n));
      if (hit) found[role] = join(dir, hit);
    }
  }
  return found;
}

function manifestDims(dims: Dim[]): Dim[] {
  return dims.map((d, k) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && DIM_NAME.test(d) ? d : k === 0 ? 'batch' : -1));
}

function fixedProduct(dims: Dim[]): number | undefined {
  let n = 1;
  for (const d of dims) {
    if (typeof d !== 'number' || d < 0) return undefined;
    n *= d;
  }
  return n;
}

function tensorYaml(t: TensorInfo, extra = ''): string {
  return `    - name: ${yamlScalar(t.name)}\n      dtype: ${t.dtype}\n      shape: [${manifestDims(t.shape).join(', ')}]\n${extra}`;
}

interface Labels {
  labels: string[];
  frequencies?: Record<string, number>;
}

/** Class labels and their shares from the training data's label column. */
async function labelsFromData(path: string, labelColumn: string): Promise<Labels | undefined> {
  try {
    if ((await stat(path)).size > MAX_LABEL_SCAN_BYTES) return undefined;
    const values = column(await readTable(path), labelColumn)
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length === 0) return undefined;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > 1000) return undefined;
    const numeric = [...counts.keys()].every((k) => !Number.isNaN(Number(k)));
    const labels = [...counts.keys()].sort((a, b) => (numeric ? Number(a) - Number(b) : a.localeCompare(b)));
    // Three decimals; the largest share absorbs the rounding so they sum to 1.
    const freq: Record<string, number> = {};
    for (const l of labels) freq[l] = Math.round((counts.get(l)! / values.length) * 1000) / 1000;
    const biggest = labels.reduce((a, b) => (freq[b]! > freq[a]! ? b : a));
    const rest = labels.filter((l) => l !== biggest).reduce((s, l) => s + freq[l]!, 0);
    freq[biggest] = Math.round((1 - rest) * 1000) / 1000;
    return { labels, frequencies: freq };
  } catch {
    return undefined;
  }
}

function guessTask(meta: ModelMetadata): { task: 'classification' | 'regression'; width?: number; why: string } {
  const out = meta.outputs.find((t) => t.dtype !== 'unknown');
  if (!out || meta.outputs.some((t) => t.dtype === 'unknown'))
    return { task: 'classification', why: 'the model has a non-tensor output (a class map), as classifiers exported from scikit-learn do' };
  if (out.dtype === 'int64' || out.dtype === 'string') return { task: 'classification', why: `output "${out.name}" holds ${out.dtype} labels` };
  const last = out.shape.length >= 2 ? out.shape[out.shape.length - 1] : 1;
  if (typeof last === 'number' && last > 1)
    return { task: 'classification', width: last, why: `output "${out.name}" has ${last} columns (one score per class)` };
  if (typeof last === 'number' && last === 1) return { task: 'regression', width: 1, why: `output "${out.name}" has one column` };
  return { task: 'regression', why: `output "${out.name}" has a dynamic width; check model.task` };
}

export async function buildStarterManifest(opts: StarterOptions): Promise<Starter> {
  const modelPath = resolve(opts.modelPath);
  const outDir = dirname(resolve(opts.outputPath));
  const modelDir = dirname(modelPath);
  const now = opts.now ?? new Date();
  const meta = await loadModelMetadata(modelPath);
  const notes: string[] = [];
  const mtime = Math.min((await stat(modelPath)).mtimeMs, now.getTime());
  const trainedAt = new Date(mtime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const name = toDnsName(basename(modelDir)) ?? toDnsName(basename(modelPath).replace(/\.onnx$/i, '')) ?? 'model';
  const rel = (p: string): string => posix(relative(outDir, p)) || basename(p);

  const cwdData = join(resolve(opts.cwd ?? process.cwd()), 'data');
  const sets = await findDatasets([...new Set([modelDir, join(modelDir, 'data'), cwdData])]);
  for (const [role] of ROLE_PATTERNS) if (sets[role]) notes.push(`${role} data: ${rel(sets[role]!)}`);
  const headerFile = sets.training ?? sets.validation ?? sets.reference ?? sets.current;
  let columns: string[] = [];
  if (headerFile) {
    const probe = await probeCsv(headerFile).catch(() => undefined);
    if (probe && (!probe.problem || probe.problem.kind === 'ragged')) columns = probe.columns;
  }
  const labelColumn = LABEL_NAMES.map((l) => columns.find((c) => c.toLowerCase() === l)).find((c) => c !== undefined);
  if (labelColumn) notes.push(`label column: ${labelColumn}`);
  const featureCols = columns.filter((c) => c !== labelColumn);

  const { task, width, why } = guessTask(meta);
  notes.push(`task: ${task} (${why})`);
  let labels: Labels | undefined;
  if (task === 'classification') {
    const fromData = labelColumn && sets.training ? await labelsFromData(sets.training, labelColumn) : undefined;
    if (fromData && (width === undefined || fromData.labels.length === width)) labels = fromData;
    else if (width !== undefined) labels = { labels: Array.from({ length: width }, (_, i) => `class_${i}`) };
    if (labels)
      notes.push(
        `class labels: ${labels.labels.join(', ')}${labels.frequencies ? ' (from the training data)' : ' (placeholders: rename them in output order)'}`,
      );
  }

  // Features feed the first input when their count fills its row exactly.
  const input = meta.inputs.length === 1 ? meta.inputs[0] : undefined;
  const rowDims = input ? input.shape.slice(1) : [];
  const need = fixedProduct(rowDims);
  const useFeatures = input !== undefined && featureCols.length > 0 && (need === featureCols.length || (need === undefined && rowDims.length === 1));
  if (input && featureCols.length > 0 && !useFeatures) {
    notes.push(
      `features not written: input "${input.name}" takes ${need ?? 'a dynamic number of'} values per row, the CSV has ${featureCols.length} feature columns`,
    );
  }
  const tensorOutputs = meta.outputs.filter((t) => t.dtype !== 'unknown');

  const L: string[] = [];
  L.push(`# Starter manifest written by \`modelgate init\` for ${rel(modelPath)}.`);
  L.push('# Check every value, then run `modelgate lint` (the editor does it as you type).');
  L.push('# docs/manifest-example.yaml shows every field; docs/diagnostic-codes.md explains each problem.');
  L.push('apiVersion: modelgate/v1', 'kind: Model', 'metadata:');
  L.push(`  name: ${name}                 # DNS-safe: lowercase letters, digits and '-'`);
  L.push('  version: 0.1.0               # semantic version; bump it for every new model');
  L.push(`  description: ${yamlScalar(`What ${name} predicts, for people browsing the registry.`)}`);
  L.push('  type: lean', 'model:', '  framework: onnx');
  L.push(`  artifact: ${yamlScalar(rel(modelPath))}`);
  L.push(`  task: ${task}${' '.repeat(Math.max(1, 21 - task.length))}# guessed: ${why}`);
  if (labels) L.push(`  classLabels: ${flowList(labels.labels, 15, 15)}   # in the order of the output columns`);
  L.push(`  trainedAt: ${trainedAt}    # the model file's modification time; use when training finished`);
  if (tensorOutputs.length > 0 && meta.inputs.every((t) => t.dtype !== 'unknown')) {
    L.push('signature:                     # read from the ONNX file', '  inputs:');
    for (const t of meta.inputs) {
      const feats = t === input && useFeatures ? `      features: ${flowList(featureCols, 16, 16)}\n` : '';
      L.push(tensorYaml(t, feats).replace(/\n$/, ''));
    }
    L.push('  outputs:');
    for (const t of tensorOutputs) L.push(tensorYaml(t).replace(/\n$/, ''));
  } else {
    L.push('# signature: the model has outputs that are not tensors; describe its inputs and outputs here.');
  }
  if (input && useFeatures && rowDims.length > 1 && need !== undefined) {
    L.push('preprocessing:', '  # each CSV row is flat; the model wants it in this shape (without the batch axis)');
    L.push(`  - op: reshape\n    input: ${yamlScalar(input.name)}\n    shape: [${rowDims.join(', ')}]`);
  }
  if (Object.keys(sets).length > 0) {
    L.push('data:');
    if (labelColumn) L.push(`  labelColumn: ${yamlScalar(labelColumn)}`);
    if (sets.training)
      L.push(
        '  training:',
        `    - path: ${yamlScalar(rel(sets.training))}`,
        '      # window: {start: 2026-01-01, end: 2026-10-31}   # when the data was collected',
      );
    if (labels?.frequencies) {
      const entries = labels.labels.map((l) => `${yamlScalar(l)}: ${labels!.frequencies![l]}`);
      L.push(`  labelFrequencies: {${entries.join(', ')}}   # share of each class in the training data`);
    }
    if (sets.validation) L.push('  validation:', `    - path: ${yamlScalar(rel(sets.validation))}`);
    if (sets.reference) L.push(`  reference: ${yamlScalar(rel(sets.reference))}`);
    if (sets.current) L.push(`  current: ${yamlScalar(rel(sets.current))}`);
  } else {
    L.push(
      '# data:                        # no CSV files found next to the model or in ./data',
      '#   labelColumn: target',
      '#   validation:',
      '#     - path: data/validation.csv',
    );
  }
  L.push('# gates:                       # uncomment and set thresholds from your validation results');
  L.push('#   metrics:');
  if (task === 'classification') L.push('#     - metric: accuracy', '#       min: 0.9', '#     - metric: f1', '#       average: macro', '#       min: 0.85');
  else L.push('#     - metric: r2', '#       min: 0.5', '#     - metric: mae', '#       max: 10');
  L.push('serving:', '  batching:', '    enabled: true', '    maxBatchSize: 32', '    maxDelayMs: 2', '  threads: 1', '  hardware: cpu', '  instances: 1');
  L.push('slo:', '  p99Ms: 100                   # 99th percentile latency at the rps below', '  rps: 50', '  errorRate: 0.001', '  duration: 5s');
  L.push('staleness:', '  maxModelAge: 180d');
  if (sets.reference && sets.current)
    L.push('  drift:', '    method: auto               # KS/chi-square on small samples, Wasserstein/Jensen-Shannon on large ones');
  return { text: L.join('\n') + '\n', notes };
}

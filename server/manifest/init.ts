// A starter model.yaml for an ONNX file: the signature read from the model,
// the datasets found next to it (or given), the label column, each input's
// columns and the class labels from the data (initData.ts), the task guessed
// from the output width, and — once the CLI has measured the model — gates
// just below what was measured. Written as commented text (not serialised
// objects) so the user learns the format from it, every guess said on its
// line, and built to lint clean.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { loadModelMetadata, type Dim, type ModelMetadata, type TensorInfo } from '../runtime/onnx';
import { readModelFacts } from '../runtime/onnxGraph';
import { probeCsv } from './csvProbe';
import { column, readTable, type Table } from './dataset';
import { classLabelsFrom, columnKinds, csvText, planColumns, rowSize, splitRows, type ClassLabels } from './initData';
import { toDnsName } from './names';

export interface StarterOptions {
  modelPath: string;
  outputPath: string;
  /** Working directory whose ./data is searched too (default: process.cwd()). */
  cwd?: string;
  now?: Date;
  /** CSV files given with --data (else they are found by name next to the model). */
  data?: string[];
  /** Values measured by `init --measure`: the gates are set from them. */
  measured?: Measured;
  /** Write gates open wide (to be measured next) instead of commented out; for the measuring pass. */
  provisional?: boolean;
}

export interface Starter {
  text: string;
  /** What was detected or guessed, one line each, for the CLI to print. */
  notes: string[];
  /** Files to write beside the manifest (a training/validation split of a single CSV). */
  files: Array<{ path: string; text: string }>;
  /** Whether every input has its columns and there is a label column and validation data, so the gates can be measured. */
  ready: boolean;
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

function tensorYaml(t: TensorInfo, extra = ''): string {
  return `    - name: ${yamlScalar(t.name)}\n      dtype: ${t.dtype}\n      shape: [${manifestDims(t.shape).join(', ')}]\n${extra}`;
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

/** What `init --measure` measured on the validation data, from which the gates are set. */
export interface Measured {
  /** Validation rows the metrics were computed on. */
  rows: number;
  metrics: { metric: string; average?: string; value: number }[];
  /** p99 latency at `rps`, in ms, and the highest rate held, from a short stress probe. */
  p99Ms?: number;
  rps?: number;
  highestRps?: number;
  /** Share of features found drifted between reference and current data. */
  driftedShare?: number;
}

/** The metric gates init proposes for a task: [metric, average, higher is better]. */
function proposedMetrics(task: 'classification' | 'regression', classes: number | undefined): Array<{ metric: string; average?: string; higher: boolean }> {
  if (task === 'regression')
    return [
      { metric: 'r2', higher: true },
      { metric: 'mae', higher: false },
    ];
  const out: Array<{ metric: string; average?: string; higher: boolean }> = [{ metric: 'accuracy', higher: true }];
  out.push({ metric: 'f1', average: 'macro', higher: true });
  if (classes === 2) out.push({ metric: 'roc_auc', higher: true });
  return out;
}

const round = (v: number, digits: number, dir: 'down' | 'up'): number => {
  const f = 10 ** digits;
  return (dir === 'down' ? Math.floor(v * f + 1e-9) : Math.ceil(v * f - 1e-9)) / f;
};

/** 1, 2, 5, 10, 20, 50 … at or above v. */
function niceUp(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= v - 1e-9) return m * p;
  return 10 * p;
}

/** A gate threshold just below (or above) the measured value, and the sentence that explains it. */
export function thresholdFrom(metric: string, higher: boolean, value: number, rows: number): { bound: 'min' | 'max'; value: number; why: string } {
  const shown = Number(value.toPrecision(4));
  if (['accuracy', 'f1', 'precision', 'recall', 'roc_auc'].includes(metric)) {
    // two standard errors of a proportion on this many rows, at least 0.01
    const se = Math.sqrt(Math.max(value * (1 - value), 0.01) / Math.max(rows, 1));
    const margin = Math.max(0.01, 2 * se);
    const t = Math.max(0, round(value - margin, 2, 'down'));
    return {
      bound: 'min',
      value: t,
      why: `measured ${shown} on ${rows} validation rows; min = measured − ${round(margin, 3, 'up')} (two standard errors), rounded down`,
    };
  }
  if (metric === 'r2') {
    const margin = Math.max(0.02, 0.05 * Math.abs(value));
    return {
      bound: 'min',
      value: round(value - margin, 2, 'down'),
      why: `measured ${shown} on ${rows} validation rows; min = measured − ${round(margin, 3, 'up')} (5 %, at least 0.02), rounded down`,
    };
  }
  // error metrics (lower is better): 10 % above what was measured, two significant digits, rounded up
  const p = 10 ** (Math.floor(Math.log10(Math.max(Math.abs(value) * 1.1, 1e-12))) - 1);
  const up = Number((Math.ceil((Math.abs(value) * 1.1) / p - 1e-9) * p).toPrecision(2));
  return higher
    ? { bound: 'min', value: Number((value * 0.9).toPrecision(2)), why: `measured ${shown} on ${rows} validation rows; min = 90 % of it` }
    : { bound: 'max', value: up, why: `measured ${shown} on ${rows} validation rows; max = measured + 10 %, rounded up` };
}

export async function buildStarterManifest(opts: StarterOptions): Promise<Starter> {
  const modelPath = resolve(opts.modelPath);
  const outDir = dirname(resolve(opts.outputPath));
  const modelDir = dirname(modelPath);
  const now = opts.now ?? new Date();
  const meta = await loadModelMetadata(modelPath);
  const facts = await readModelFacts(modelPath).catch(() => undefined);
  const notes: string[] = [];
  const files: Array<{ path: string; text: string }> = [];
  const mtime = Math.min((await stat(modelPath)).mtimeMs, now.getTime());
  const trainedAt = new Date(mtime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const name = toDnsName(basename(modelDir)) ?? toDnsName(basename(modelPath).replace(/\.onnx$/i, '')) ?? 'model';
  const rel = (p: string): string => posix(relative(outDir, p)) || basename(p);

  // --- the data: given with --data, else found by name next to the model or in ./data
  const cwdData = join(resolve(opts.cwd ?? process.cwd()), 'data');
  const dirs = [...new Set([modelDir, join(modelDir, 'data'), cwdData])];
  let sets: Partial<Record<Role, string>> = {};
  let single: string | undefined;
  if (opts.data && opts.data.length > 0) {
    const given = opts.data.map((d) => resolve(d));
    for (const g of given) {
      const role = ROLE_PATTERNS.find(([, re]) => re.test(basename(g)))?.[0];
      if (role && !sets[role]) sets[role] = g;
    }
    if (Object.keys(sets).length === 0 && given.length === 1) single = given[0];
    else if (Object.keys(sets).length === 0) {
      sets.training = given[0];
      sets.validation = given[1];
    }
  } else {
    sets = await findDatasets(dirs);
    if (Object.keys(sets).length === 0) {
      const any = await allCsvs(dirs);
      if (any.length === 1) single = any[0];
      else if (any.length > 1)
        notes.push(`${any.length} CSV files found (${any.map(rel).join(', ')}): name them train*.csv and valid*.csv, or give one with --data`);
    }
  }
  const { task, width, why } = guessTask(meta);
  const classification = task === 'classification';
  const dataFile = single ?? sets.training ?? sets.validation ?? sets.reference ?? sets.current;
  let table: Table | undefined;
  if (dataFile) {
    try {
      if ((await stat(dataFile)).size <= MAX_LABEL_SCAN_BYTES) table = await readTable(dataFile);
    } catch (err) {
      notes.push(`${rel(dataFile)}: ${(err as Error).message}`);
    }
  }
  let columns: string[] = table?.columns ?? [];
  if (!table && dataFile) {
    const probe = await probeCsv(dataFile).catch(() => undefined);
    if (probe && (!probe.problem || probe.problem.kind === 'ragged')) columns = probe.columns;
  }
  const tensorInputs = meta.inputs.filter((t) => t.dtype !== 'unknown');
  const cols = columns.length > 0 ? planColumns(columns, tensorInputs, columnKinds(table), classification) : undefined;
  const labelColumn = cols?.label?.column;

  // --- one CSV: split it into training and validation files beside it
  if (single && table) {
    const strata = classification && labelColumn ? column(table, labelColumn) : undefined;
    const { training, validation } = splitRows(table.rows.length, 0.2, strata);
    const dir = dirname(single);
    sets.training = join(dir, 'train-split.csv');
    sets.validation = join(dir, 'validation-split.csv');
    files.push({ path: sets.training, text: csvText(table, training) }, { path: sets.validation, text: csvText(table, validation) });
    notes.push(
      `split ${rel(single)} (${table.rows.length} rows) into ${rel(sets.training)} (${training.length}) and ${rel(sets.validation)} (${validation.length}): 20 % for validation, seeded${strata ? ', stratified by ' + labelColumn : ''}`,
    );
  } else if (single) {
    notes.push(`${rel(single)} is the only CSV: give init a validation file too, or split it (train*.csv, valid*.csv)`);
  }
  for (const [role] of ROLE_PATTERNS) if (sets[role] && !files.some((f) => f.path === sets[role])) notes.push(`${role} data: ${rel(sets[role]!)}`);
  if (cols?.label) notes.push(`label column: ${cols.label.column} (${cols.label.why})`);
  for (const i of cols?.inputs ?? []) notes.push(`input ${i.input}: ${i.features.length} column${i.features.length === 1 ? '' : 's'} (${i.why})`);
  for (const u of cols?.unmatched ?? []) notes.push(`features not written: ${u.why}`);

  notes.push(`task: ${task} (${why})`);
  let labels: ClassLabels | undefined;
  if (classification) {
    const labelTable = table && labelColumn ? table : undefined;
    if (labelTable && labelColumn) {
      const values = column(labelTable, labelColumn);
      labels = classLabelsFrom(values, width, facts?.classLabels);
      if (!labels) {
        const distinct = new Set(values.map((v) => v.trim()).filter(Boolean)).size;
        notes.push(`class labels not taken from ${labelColumn}: it holds ${distinct} values, the output has ${width ?? 'a dynamic number of'} columns`);
      }
    }
    if (!labels && width !== undefined)
      labels = { labels: Array.from({ length: width }, (_, i) => `class_${i}`), order: 'placeholders: rename them in output order', confirm: true };
    if (labels) notes.push(`class labels: ${labels.labels.join(', ')} (${labels.order})`);
  }
  const tensorOutputs = meta.outputs.filter((t) => t.dtype !== 'unknown');
  const complete = cols !== undefined && cols.unmatched.length === 0 && labelColumn !== undefined;
  const m = opts.measured;

  const L: string[] = [];
  L.push(`# Starter manifest written by \`modelgate init\` for ${rel(modelPath)}.`);
  L.push('# Every guess is said in a comment on its line: check them, then run `modelgate lint` (the editor does it as you type).');
  L.push('# docs/manifest-example.yaml shows every field; docs/diagnostic-codes.md explains each problem.');
  L.push('apiVersion: modelgate/v1', 'kind: Model', 'metadata:');
  L.push(`  name: ${name}                 # DNS-safe: lowercase letters, digits and '-'`);
  L.push('  version: 0.1.0               # semantic version; bump it for every new model');
  L.push(`  description: ${yamlScalar(`What ${name} predicts, for people browsing the registry.`)}`);
  L.push('  type: lean', 'model:', '  framework: onnx');
  L.push(`  artifact: ${yamlScalar(rel(modelPath))}`);
  L.push(`  task: ${task}${' '.repeat(Math.max(1, 21 - task.length))}# guessed: ${why}`);
  if (labels) L.push(`  classLabels: ${flowList(labels.labels, 15, 15)}   # in the order of the output columns: ${labels.order}`);
  L.push(`  trainedAt: ${trainedAt}    # the model file's modification time; use when training finished`);
  if (tensorOutputs.length > 0 && tensorInputs.length === meta.inputs.length) {
    L.push('signature:                     # read from the ONNX file', '  inputs:');
    for (const t of meta.inputs) {
      const c = cols?.inputs.find((i) => i.input === t.name);
      const feats = c ? `      # features: ${c.why}\n      features: ${flowList(c.features, 16, 16)}\n` : '';
      L.push(tensorYaml(t, feats).replace(/\n$/, ''));
    }
    L.push('  outputs:');
    for (const t of tensorOutputs) L.push(tensorYaml(t).replace(/\n$/, ''));
  } else {
    L.push('# signature: the model has outputs that are not tensors; describe its inputs and outputs here.');
  }
  const many = (t: TensorInfo): boolean => t.shape.length > 2 || (rowSize(t) ?? 0) > 64;
  if (Object.keys(sets).length > 0) {
    L.push('data:');
    if (cols?.label) L.push(`  labelColumn: ${yamlScalar(cols.label.column)}   # ${cols.label.why}`);
    if (sets.training)
      L.push(
        '  training:',
        `    - path: ${yamlScalar(rel(sets.training))}`,
        '      # window: {start: 2026-01-01, end: 2026-10-31}   # when the data was collected',
      );
    if (labels?.frequencies) {
      const entries = labels.labels.map((l) => `${yamlScalar(l)}: ${labels!.frequencies![l]}`);
      L.push(`  labelFrequencies: {${entries.join(', ')}}   # share of each class in ${rel(sets.training ?? dataFile!)}`);
    }
    if (sets.validation) L.push('  validation:', `    - path: ${yamlScalar(rel(sets.validation))}`);
    const reference = sets.reference ?? (sets.current ? undefined : sets.training);
    const current = sets.current ?? (sets.reference ? undefined : sets.validation);
    if (reference)
      L.push(`  reference: ${yamlScalar(rel(reference))}${sets.reference ? '' : '   # the training data, the baseline drift is measured against'}`);
    if (current) L.push(`  current: ${yamlScalar(rel(current))}${sets.current ? '' : '   # the validation data for now: point it at recent production data'}`);
  } else {
    L.push(
      '# data:                        # no CSV files found next to the model or in ./data (give one with --data)',
      '#   labelColumn: target',
      '#   validation:',
      '#     - path: data/validation.csv',
    );
  }
  const measuredGate = (g: { metric: string; average?: string }) => m?.metrics.find((x) => x.metric === g.metric && (x.average ?? undefined) === g.average);
  // once measured, a metric that could not be computed is left out rather than gated on a placeholder
  const gates = proposedMetrics(task, labels?.labels.length).filter((g) => !m || measuredGate(g));
  if (complete && sets.validation && gates.length > 0 && (m || opts.provisional)) {
    L.push('gates:', '  metrics:');
    for (const g of gates) {
      const got = measuredGate(g);
      L.push(`    - metric: ${g.metric}`);
      if (g.average) L.push(`      average: ${g.average}`);
      if (got) {
        const t = thresholdFrom(g.metric, g.higher, got.value, m!.rows);
        L.push(`      ${t.bound}: ${t.value}${' '.repeat(Math.max(1, 20 - String(t.value).length))}# ${t.why}`);
      } else if (g.higher) L.push(`      min: ${g.metric === 'r2' ? -1000 : 0}                    # open wide: init measures the model next and sets it`);
      else L.push('      max: 1000000000           # open wide: init measures the model next and sets it');
    }
  } else {
    L.push('# gates:                       # set thresholds from your validation results (`modelgate init` measures them when it has validation data)');
    L.push('#   metrics:');
    for (const g of gates)
      L.push(`#     - metric: ${g.metric}`, ...(g.average ? [`#       average: ${g.average}`] : []), `#       ${g.higher ? 'min: 0.8' : 'max: 10'}`);
  }
  L.push('serving:', '  batching:', '    enabled: true', '    maxBatchSize: 32', '    maxDelayMs: 2', '  threads: 1', '  hardware: cpu', '  instances: 1');
  if (m?.p99Ms !== undefined) {
    const rps = m.highestRps !== undefined && m.highestRps < 200 ? Math.max(1, Math.floor(m.highestRps / 4)) : (m.rps ?? 50);
    const limit = niceUp(Math.max(50, 3 * m.p99Ms, m.p99Ms + 20));
    L.push(
      'slo:',
      `  p99Ms: ${limit}${' '.repeat(Math.max(1, 26 - String(limit).length))}# measured p99 ${Number(m.p99Ms.toPrecision(3))} ms at ${m.rps ?? 50} rps; 3× that (at least 50 ms) for machine noise`,
      `  rps: ${rps}${' '.repeat(Math.max(1, 28 - String(rps).length))}# ${m.highestRps !== undefined ? `the probe held ${Math.round(m.highestRps)} rps within the limit` : 'the rate to hold'}; set your real traffic`,
      '  errorRate: 0.001',
      '  duration: 5s',
    );
  } else {
    L.push('slo:', '  p99Ms: 100                   # 99th percentile latency at the rps below', '  rps: 50', '  errorRate: 0.001', '  duration: 5s');
  }
  L.push('staleness:', '  maxModelAge: 180d');
  if (Object.keys(sets).length > 0 && (sets.reference ?? sets.training) && (sets.current ?? sets.validation) && complete) {
    L.push('  drift:', '    method: auto               # KS/chi-square on small samples, Wasserstein/Jensen-Shannon on large ones');
    const share = m?.driftedShare;
    L.push(
      `    maxDriftedShare: 0.5       # the data drifts when half of the features do (Evidently's default)${share !== undefined ? `; measured ${Number(share.toPrecision(3))}` : ''}`,
    );
    const whole = tensorInputs.filter((t) => many(t) && cols!.inputs.some((i) => i.input === t.name));
    if (whole.length > 0) {
      L.push('    inputs:');
      for (const t of whole)
        L.push(`      ${yamlScalar(t.name)}: {perFeature: false}   # ${rowSize(t) ?? 'many'} values per row: tested as a whole on per-row summaries`);
    }
  }
  return { text: L.join('\n') + '\n', notes, files, ready: complete && sets.validation !== undefined };
}

async function allCsvs(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    try {
      for (const n of (await readdir(dir)).sort()) if (n.toLowerCase().endsWith('.csv')) out.push(join(dir, n));
    } catch {
      // not there
    }
  }
  return [...new Set(out)];
}

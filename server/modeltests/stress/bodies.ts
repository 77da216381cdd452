// Request bodies for the stress test, built from real rows of the model's own
// data (validation, else current, else reference), so the server sees the
// value spread it will see in production instead of one constant body.
// Each body is one row in TensorFlow Serving's row format: the raw feature
// values in manifest order; the server applies the manifest preprocessing.
import { relative } from 'node:path';
import { isUri, readTable, resolveDataPath, type Table } from '../../manifest/dataset';
import type { LoadedManifest } from '../../manifest/load';
import { compileProcessing } from '../../manifest/compileProcessing';

export interface BodyPool {
  /** Dataset the rows came from, relative to the manifest. */
  source: string;
  /** Distinct request bodies, JSON text. */
  bodies: string[];
  /** Rows left out (missing or non-numeric values, duplicates). */
  skipped: number;
}

export class StressSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StressSetupError';
  }
}

/** The dataset to draw request rows from, with the manifest field that names it. */
export function pickDataset(loaded: LoadedManifest): { path: string; field: string } | undefined {
  const data = loaded.manifest.data;
  const candidates: { path: string | undefined; field: string }[] = [
    ...(data?.validation ?? []).map((v, i) => ({ path: v.path, field: `data.validation[${i}].path` })),
    { path: data?.current, field: 'data.current' },
    { path: data?.reference, field: 'data.reference' },
  ];
  const found = candidates.find((c) => c.path && !isUri(c.path));
  return found?.path ? { path: found.path, field: found.field } : undefined;
}

/** Which CSV columns feed each model input, in order (one list per input). */
export function featureColumns(loaded: LoadedManifest, table: Table): { input: string; columns: string[] }[] {
  const m = loaded.manifest;
  let plan: ReturnType<typeof compileProcessing> | undefined;
  try {
    plan = compileProcessing(m);
  } catch {
    plan = undefined;
  }
  const labels = new Set([m.data?.labelColumn, ...(m.data?.validation ?? []).map((v) => v.labelColumn)].filter((x): x is string => !!x));
  if (plan && plan.inputs.every((i) => i.namedFeatures)) return plan.inputs.map((i) => ({ input: i.name, columns: i.features }));
  // Without named features, one input takes every non-label column in file order.
  const inputs = plan?.inputs ?? [];
  if (inputs.length > 1) {
    throw new StressSetupError(
      `model "${m.metadata.name}" has ${inputs.length} inputs but signature.inputs[].features does not name their columns; list the columns of each input so stress requests can be built from ${table.path}`,
    );
  }
  const columns = table.columns.filter((c) => !labels.has(c));
  const want = inputs[0]?.rawWidth;
  if (want !== undefined && columns.length !== want) {
    throw new StressSetupError(
      `${table.path} has ${columns.length} non-label columns but input "${inputs[0]!.name}" takes ${want} values; list them in signature.inputs[0].features`,
    );
  }
  return [{ input: inputs[0]?.name ?? 'input', columns }];
}

/** A cell as JSON: a number when it is one, else the text (a category); undefined when empty. */
function cellValue(cell: string | undefined): number | string | undefined {
  if (cell === undefined || cell.trim() === '') return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : cell;
}

/** Builds up to `maxRows` distinct bodies in TF Serving row format. */
export function bodiesFromTable(table: Table, inputs: { input: string; columns: string[] }[], maxRows: number): { bodies: string[]; skipped: number } {
  const idx = inputs.map((i) =>
    i.columns.map((c) => {
      const k = table.columns.indexOf(c);
      if (k < 0)
        throw new StressSetupError(`${table.path} has no column "${c}" (a feature of input "${i.input}"); its columns are: ${table.columns.join(', ')}`);
      return k;
    }),
  );
  const seen = new Set<string>();
  let skipped = 0;
  for (const row of table.rows) {
    if (seen.size >= maxRows) break;
    const values = idx.map((cols) => cols.map((k) => cellValue(row[k])));
    if (values.some((v) => v.includes(undefined))) {
      skipped++;
      continue;
    }
    // One input: a flat list; several: an object keyed by input name.
    const instance = inputs.length === 1 ? values[0] : Object.fromEntries(inputs.map((i, k) => [i.input, values[k]]));
    const body = JSON.stringify({ instances: [instance] });
    if (seen.has(body)) {
      skipped++;
      continue;
    }
    seen.add(body);
  }
  return { bodies: [...seen], skipped };
}

export async function buildBodyPool(loaded: LoadedManifest, maxRows = 1000): Promise<BodyPool> {
  const picked = pickDataset(loaded);
  if (!picked) {
    throw new StressSetupError(
      `${loaded.path}: the stress test builds its requests from real rows, but the manifest names no local dataset; add data.validation (or data.current / data.reference) with a CSV path relative to model.yaml`,
    );
  }
  const path = resolveDataPath(loaded.dir, picked.path);
  const table = await readTable(path);
  const { bodies, skipped } = bodiesFromTable(table, featureColumns(loaded, table), maxRows);
  if (bodies.length === 0) {
    throw new StressSetupError(`${path} (${picked.field}) has no complete row to send: every row has an empty feature value; add rows without missing values`);
  }
  return { source: relative(loaded.dir, path) || picked.path, bodies, skipped };
}

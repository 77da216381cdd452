// The data layer: every dataset the manifest names exists, is a CSV with a
// header, and has the columns the manifest relies on (features, labels,
// slices, drift overrides). Reads at most the first 64 KB of each file.
import { readdir } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { probeCsv } from '../csvProbe';
import { isUri, resolveDataPath } from '../dataset';
import type { ManifestDiagnostic } from '../diagnostics';
import { closest } from '../suggest';

/** Usual names of the label column. */
export const LABEL_NAMES = ['target', 'label', 'y', 'class'];
import { fieldName, report, type JsonPath, type ValidationContext, type Validator } from './types';

export type Role = 'training' | 'validation' | 'reference' | 'current';

export interface DatasetRef {
  path: JsonPath;
  file: string;
  role: Role;
}

/** Columns a dataset must have, grouped by why (one diagnostic per group). */
interface ColumnNeed {
  why: string;
  columns: string[];
  /** Where the columns are named in the manifest, for quick fixes. */
  at: JsonPath;
}

export const dataFilesValidator: Validator = {
  name: 'data-files',
  async validate(ctx: ValidationContext): Promise<ManifestDiagnostic[]> {
    const refs = datasetRefs(ctx);
    const results = await Promise.all(refs.map((r) => checkDataset(ctx, r)));
    return [...results.flatMap((r) => r.diagnostics), ...columnDiagnostics(ctx, results)];
  },
};

/** Every dataset the manifest names, with where it names it. */
export function datasetRefs(ctx: ValidationContext): DatasetRef[] {
  const data = ctx.manifest.data;
  if (!data || !ctx.valid(['data'])) return [];
  const refs: DatasetRef[] = [];
  (data.training ?? []).forEach((t, i) => refs.push({ path: ['data', 'training', i, 'path'], file: t.path, role: 'training' }));
  (data.validation ?? []).forEach((v, i) => refs.push({ path: ['data', 'validation', i, 'path'], file: v.path, role: 'validation' }));
  if (data.reference !== undefined) refs.push({ path: ['data', 'reference'], file: data.reference, role: 'reference' });
  if (data.current !== undefined) refs.push({ path: ['data', 'current'], file: data.current, role: 'current' });
  return refs;
}

function needs(ctx: ValidationContext, ref: DatasetRef): ColumnNeed[] {
  const m = ctx.manifest;
  const out: ColumnNeed[] = [];
  if (ctx.valid(['signature', 'inputs'])) {
    (m.signature?.inputs ?? []).forEach((input, i) => {
      if (input.features?.length) out.push({ why: `signature.inputs[${i}].features`, columns: input.features, at: ['signature', 'inputs', i, 'features'] });
    });
  }
  if (ref.role === 'validation') {
    const i = ref.path[2] as number;
    const own = m.data?.validation?.[i]?.labelColumn;
    const label = own ?? m.data?.labelColumn;
    if (label !== undefined) {
      out.push({
        why: own !== undefined ? `data.validation[${i}].labelColumn` : 'data.labelColumn',
        columns: [label],
        at: own !== undefined ? ['data', 'validation', i, 'labelColumn'] : ['data', 'labelColumn'],
      });
    }
    if (ctx.valid(['gates', 'metrics'])) {
      (m.gates?.metrics ?? []).forEach((g, k) => {
        if (g.slice) out.push({ why: `gates.metrics[${k}].slice.column`, columns: [g.slice.column], at: ['gates', 'metrics', k, 'slice', 'column'] });
      });
    }
  }
  if ((ref.role === 'reference' || ref.role === 'current') && ctx.valid(['staleness', 'drift', 'features'])) {
    const cols = Object.entries(m.staleness?.drift?.features ?? {})
      .filter(([, f]) => !f.ignore)
      .map(([k]) => k);
    if (cols.length) out.push({ why: 'staleness.drift.features', columns: cols, at: ['staleness', 'drift', 'features'] });
  }
  return out;
}

interface Checked {
  diagnostics: ManifestDiagnostic[];
  /** Set when the header could be read. */
  ref?: DatasetRef;
  columns?: string[];
}

async function checkDataset(ctx: ValidationContext, ref: DatasetRef): Promise<Checked> {
  const { parsed } = ctx;
  const field = fieldName(ref.path);
  if (isUri(ref.file)) {
    return {
      diagnostics: [report(parsed, ref.path, 'MG210', `${field} "${ref.file}" is a URI: it is recorded but not fetched, so its columns are not checked`)],
    };
  }
  const abs = resolveDataPath(ctx.manifestDir, ref.file);
  let probe;
  try {
    probe = await probeCsv(abs);
  } catch (err) {
    const why = await fileProblem(err as NodeJS.ErrnoException, abs, ctx.manifestDir, '.csv');
    return {
      diagnostics: [report(parsed, ref.path, 'MG201', `${field} "${ref.file}" ${why.message}`, why.suggestion ? { data: { suggestion: why.suggestion } } : {})],
    };
  }
  if (probe.problem) {
    const d = report(parsed, ref.path, probe.problem.kind === 'no-header' ? 'MG203' : 'MG202', `${field} "${ref.file}" ${probe.problem.message}`);
    // A ragged file still has a usable header.
    return probe.problem.kind === 'ragged' ? { diagnostics: [d], ref, columns: probe.columns } : { diagnostics: [d] };
  }
  return { diagnostics: [], ref, columns: probe.columns };
}

/** Where the manifest names `column` for `need`: the list item, the map key, or the field. */
function columnPlace(need: ColumnNeed, column: string): { path: JsonPath; prefer?: 'key' } {
  const last = need.at[need.at.length - 1];
  if (last === 'features') return { path: [...need.at, need.columns.indexOf(column)] };
  if (need.why === 'staleness.drift.features') return { path: [...need.at, column], prefer: 'key' };
  return { path: need.at };
}

/**
 * A column missing from every dataset that should have it is a wrong name in
 * the manifest: reported once, where the manifest names it. A column missing
 * from only some datasets is a problem of those files: reported on each.
 */
function columnDiagnostics(ctx: ValidationContext, checked: Checked[]): ManifestDiagnostic[] {
  const { parsed } = ctx;
  const out: ManifestDiagnostic[] = [];
  const readable = checked.filter((c): c is Required<Checked> => c.ref !== undefined && c.columns !== undefined);
  const perNeed = new Map<string, { need: ColumnNeed; sets: Array<Required<Checked>> }>();
  for (const c of readable) {
    for (const need of needs(ctx, c.ref)) {
      const key = need.why;
      const entry = perNeed.get(key) ?? { need, sets: [] };
      entry.sets.push(c);
      perNeed.set(key, entry);
    }
  }
  for (const { need, sets } of perNeed.values()) {
    const inNone = need.columns.filter((col) => sets.every((s) => !s.columns.includes(col)));
    if (inNone.length > 5) {
      out.push(
        report(
          parsed,
          need.at,
          'MG204',
          `${inNone.length} columns named in ${need.why} are in none of the datasets (${inNone
            .slice(0, 3)
            .map((c) => `"${c}"`)
            .join(', ')}, …): do the datasets belong to this model? Their columns are ${listColumns([...new Set(sets.flatMap((s) => s.columns))])}`,
          { prefer: 'key', data: { columns: inNone } },
        ),
      );
    }
    for (const col of inNone.length > 5 ? [] : inNone) {
      const all = [...new Set(sets.flatMap((s) => s.columns))];
      // A label column is often just named differently ("target" vs "diagnosis").
      const near = closest(col, all) ?? (/labelColumn$/.test(need.why) ? all.find((c) => LABEL_NAMES.includes(c.toLowerCase())) : undefined);
      const files = sets.map((s) => `"${s.ref.file}"`);
      const place = columnPlace(need, col);
      out.push(
        report(
          parsed,
          place.path,
          'MG204',
          `column "${col}" (${need.why}) is not in ${files.length === 1 ? `the dataset ${files[0]}` : `any of the datasets ${files.join(', ')}`}${near ? `: did you mean "${near}"?` : `; their columns are ${listColumns(all)}`}`,
          { prefer: place.prefer, data: near ? { suggestion: near, column: col } : { column: col } },
        ),
      );
    }
    for (const s of sets) {
      const missing = need.columns.filter((col) => !s.columns.includes(col) && !inNone.includes(col));
      if (missing.length === 0) continue;
      const field = fieldName(s.ref.path);
      let message: string;
      let data: Record<string, unknown> = { columns: missing, at: need.at };
      if (missing.length === 1) {
        const near = closest(missing[0]!, s.columns);
        message = `${field} "${s.ref.file}" has no column "${missing[0]}" (named in ${need.why}), which the other datasets have${near ? `: did you mean "${near}"?` : ''}`;
        if (near) data = { ...data, suggestion: near };
      } else {
        message = `${field} "${s.ref.file}" lacks ${missing.length} columns named in ${need.why}: ${missing
          .slice(0, 5)
          .map((c) => `"${c}"`)
          .join(', ')}${missing.length > 5 ? ', …' : ''}; its columns are ${listColumns(s.columns)}`;
      }
      out.push(report(parsed, s.ref.path, 'MG204', `${message}. Add the column to the file, or point at the right file`, { data }));
    }
  }
  return out;
}

function listColumns(cols: string[]): string {
  return (
    cols
      .slice(0, 8)
      .map((c) => `"${c}"`)
      .join(', ') + (cols.length > 8 ? `, … (${cols.length} in all)` : '')
  );
}

/** Why a file cannot be opened, and the nearest existing file with `ext` when it is missing. */
export async function fileProblem(e: NodeJS.ErrnoException, abs: string, manifestDir: string, ext: string): Promise<{ message: string; suggestion?: string }> {
  const where = relative(manifestDir, dirname(abs)) || '.';
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    let near: string | undefined;
    try {
      const names = (await readdir(dirname(abs))).filter((n) => n.toLowerCase().endsWith(ext));
      near = closest(basename(abs), names) ?? (names.length === 1 ? names[0] : undefined);
    } catch {
      // the directory itself is missing; no suggestion
    }
    const suggestion = near ? relative(manifestDir, `${dirname(abs)}/${near}`) : undefined;
    const message = `does not exist (looked in ${where === '.' ? "the manifest's folder" : `${where}/`}, relative to the manifest)${suggestion ? `: did you mean "${suggestion}"?` : ': correct the path or create the file'}`;
    return { message, suggestion };
  }
  if (e.code === 'EACCES' || e.code === 'EPERM') return { message: 'cannot be read: permission denied; make the file readable' };
  if (e.code === 'EISDIR') return { message: `is a directory: point at a ${ext} file inside it` };
  return { message: `cannot be read (${e.code ?? e.message}): check the path` };
}

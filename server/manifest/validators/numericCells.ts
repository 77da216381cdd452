// Cells the tests would drop: in every local dataset, the columns the model
// takes as numbers (signature features that no onehot step expands) must
// hold numbers. One diagnostic per file and column, on the manifest line of
// the dataset path, with the first bad cells as file:line:column.
import { cellText } from '../cellValue';
import { dataLimits } from '../dataLimits';
import { isUri, resolveDataPath } from '../dataset';
import type { ManifestDiagnostic } from '../diagnostics';
import { scanNumericColumns, SCAN_BYTES, type ColumnScan, type NumericScan } from '../numericCells';
import { datasetRefs, type DatasetRef } from './files';
import { fieldName, report, type ValidationContext, type Validator } from './types';

/** Columns reported one by one per file; the rest are summed up in one more diagnostic. */
const MAX_COLUMNS_SHOWN = 5;

const GATE_OF: Partial<Record<DatasetRef['role'], string>> = {
  validation: 'metrics.data.validation.droppedShare',
  reference: 'staleness.data.reference.droppedShare',
  current: 'staleness.data.current.droppedShare',
};

export const numericCellsValidator: Validator = {
  name: 'numeric-cells',
  async validate(ctx: ValidationContext): Promise<ManifestDiagnostic[]> {
    const numeric = numericFeatures(ctx);
    if (numeric.size === 0) return [];
    const columns = [...numeric.keys()];
    const refs = datasetRefs(ctx).filter((r) => !isUri(r.file));
    const found = await Promise.all(
      refs.map(async (ref) => {
        try {
          return { ref, scan: await scanNumericColumns(resolveDataPath(ctx.manifestDir, ref.file), columns) };
        } catch {
          return undefined; // a missing or unreadable file is MG201/MG202
        }
      }),
    );
    return found.flatMap((f) => (f && f.scan.columns.length ? diagnosticsFor(ctx, f.ref, f.scan, numeric) : []));
  },
};

/** Columns the model consumes as numbers → where the manifest lists them. */
function numericFeatures(ctx: ValidationContext): Map<string, string> {
  const out = new Map<string, string>();
  if (!ctx.valid(['signature', 'inputs'], ['preprocessing'])) return out;
  const inputs = ctx.manifest.signature?.inputs ?? [];
  const firstInput = inputs[0]?.name;
  const onehot = new Set(
    (ctx.manifest.preprocessing ?? []).flatMap((p) => (p.op === 'onehot' && p.column !== undefined ? [`${p.input ?? firstInput}\0${p.column}`] : [])),
  );
  inputs.forEach((input, i) => {
    for (const f of input.features ?? []) {
      if (!onehot.has(`${input.name}\0${f}`) && !out.has(f)) out.set(f, `signature.inputs[${i}].features`);
    }
  });
  return out;
}

function diagnosticsFor(ctx: ValidationContext, ref: DatasetRef, scan: NumericScan, listedIn: Map<string, string>): ManifestDiagnostic[] {
  // datasetRefs only lists datasets when `data` passed the schema
  const limits = dataLimits(ctx.manifest);
  const share = scan.rows ? scan.badRows / scan.rows : 0;
  const gate = GATE_OF[ref.role];
  // Above the limit the tests' dropped-share gate fails: an error, as the gate would be.
  const severe = gate !== undefined && share > limits.maxDroppedShare;
  const severity = severe ? 'error' : 'warning';
  const field = fieldName(ref.path);
  const of = scan.truncated
    ? `of the first ${scan.rows} rows (a sample: the first ${SCAN_BYTES / 1024 / 1024} MB of ${(scan.fileBytes / 1024 / 1024).toFixed(0)} MB; \`modelgate test\` reads it all)`
    : `of ${scan.rows} rows`;
  const consequence = gate
    ? `the tests drop these rows; counting every numeric column, ${scan.badRows} ${of.replace(/ \(a sample.*$/, '')} would be dropped, ${severe ? `above ${limits.maxDroppedShareText}: ${gate} fails` : `within ${limits.maxDroppedShareText}`}`
    : 'rows holding one cannot be fed to the model';
  const fix = `fill in or impute the values, or remove the rows when exporting${gate ? '; raise data.maxDroppedShare only if leaving them out is intended' : ''}`;
  const shown = scan.columns.slice(0, MAX_COLUMNS_SHOWN);
  const out = shown.map((c) =>
    report(
      ctx.parsed,
      ref.path,
      'MG212',
      `${field} "${ref.file}": column "${c.column}" is not a number in ${c.bad} ${of}: ${cellsText(ref.file, c)}. The model takes "${c.column}" as a number (${listedIn.get(c.column) ?? 'signature features'}), so ${consequence}. To fix: ${fix}`,
      { severity, data: { file: ref.file, column: c.column, bad: c.bad, cells: c.first } },
    ),
  );
  const rest = scan.columns.slice(MAX_COLUMNS_SHOWN);
  if (rest.length) {
    out.push(
      report(
        ctx.parsed,
        ref.path,
        'MG212',
        `${field} "${ref.file}": ${rest.length} more numeric column${rest.length === 1 ? ' holds' : 's hold'} cells that are not numbers, ${of}: ${rest
          .slice(0, 8)
          .map((c) => `"${c.column}" (${c.bad}, first at ${ref.file}:${c.first[0]!.line}:${c.first[0]!.col})`)
          .join(', ')}${rest.length > 8 ? ', …' : ''}. To fix: ${fix}`,
        { severity, data: { file: ref.file, columns: rest.map((c) => c.column) } },
      ),
    );
  }
  return out;
}

/** `data/v.csv:5:1 "n/a" (marked missing, not a number), data/v.csv:6:1 "n/a" …, …`. */
function cellsText(file: string, c: ColumnScan): string {
  const cells = c.first.map((b, i) => {
    const why = i === 0 || b.why !== c.first[i - 1]!.why ? ` (${b.why})` : '';
    return `${file}:${b.line}:${b.col} ${cellText(b.value)}${why}`;
  });
  return cells.join(', ') + (c.bad > c.first.length ? ` and ${c.bad - c.first.length} more` : '');
}

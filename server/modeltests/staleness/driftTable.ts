// Per-feature drift between two tables: which features to test, each one's
// configured test, the multiple-testing correction across them, and the
// share of features that drifted. Inputs marked `perFeature: false` are
// tested as a whole, on per-row summaries (inputSummary.ts).
import type { Table } from '../../manifest/dataset';
import type { ModelManifest } from '../../manifest/types';
import type { MultipleTesting } from '../../protocol/report';
import { benjaminiHochberg } from '../../stats/multipleTesting';
import { readTableColumn } from './columnValues';
import { driftConfigFor, isPValueMethod } from './driftConfig';
import { computeFeatureDrift, type FeatureDriftOutcome } from './featureDrift';
import { centroidOfRows, ROW_SUMMARIES } from '../../stats/rowSummary';
import { columnIndices, inputMatrix, summaryColumns, summaryName, type SummarizedInput } from './inputSummary';

/**
 * The features to test: the signature's input features when the manifest
 * lists them, else every column both tables share except label columns.
 * Features marked `ignore: true` are left out; the features of an input
 * marked `perFeature: false` are left out and the input is `summarized`.
 */
export function driftFeatures(manifest: ModelManifest, reference: Table, current: Table): { features: string[]; from: string; summarized: SummarizedInput[] } {
  const drift = manifest.staleness?.drift;
  const ignored = new Set(
    Object.entries(drift?.features ?? {})
      .filter(([, v]) => v?.ignore)
      .map(([k]) => k),
  );
  const inputs = manifest.signature?.inputs ?? [];
  const summarized = inputs
    .filter((i) => drift?.inputs?.[i.name]?.perFeature === false && (i.features?.length ?? 0) > 0)
    .map((i) => ({ input: i.name, features: [...i.features!] }));
  const whole = new Set(summarized.map((s) => s.input));
  const listed = inputs.filter((i) => !whole.has(i.name)).flatMap((i) => i.features ?? []);
  if (listed.length || summarized.length) return { features: listed.filter((f) => !ignored.has(f)), from: 'signature.inputs[].features', summarized };
  const labels = new Set([manifest.data?.labelColumn, ...(manifest.data?.validation ?? []).map((v) => v.labelColumn)].filter((x): x is string => !!x));
  const shared = reference.columns.filter((c) => current.columns.includes(c) && !labels.has(c) && !ignored.has(c));
  return { features: shared, from: 'columns shared by reference and current data, label columns excluded', summarized };
}

export interface DriftTable {
  outcomes: FeatureDriftOutcome[];
  /** Features (or summarized inputs) absent from one of the tables. */
  absent: { feature: string; from: 'reference' | 'current' | 'both' }[];
  tested: number;
  drifted: number;
  multipleTesting: MultipleTesting;
}

export function driftTable(
  manifest: ModelManifest,
  reference: Table,
  current: Table,
  features: string[],
  summarized: readonly SummarizedInput[] = [],
): DriftTable {
  const outcomes: FeatureDriftOutcome[] = [];
  const absent: DriftTable['absent'] = [];
  for (const f of features) {
    const ri = reference.columns.indexOf(f);
    const ci = current.columns.indexOf(f);
    if (ri < 0 || ci < 0) {
      absent.push({ feature: f, from: ri < 0 && ci < 0 ? 'both' : ri < 0 ? 'reference' : 'current' });
      continue;
    }
    outcomes.push(computeFeatureDrift(f, readTableColumn(reference, ri), readTableColumn(current, ci), driftConfigFor(manifest, f)));
  }
  for (const s of summarized) {
    const r = columnIndices(reference, s.features);
    const c = columnIndices(current, s.features);
    if (r.missing.length || c.missing.length) {
      const shown = (m: string[]) => `${m.slice(0, 3).join(', ')}${m.length > 3 ? `, … (${m.length})` : ''}`;
      absent.push({
        feature: `${s.input} (${shown([...new Set([...r.missing, ...c.missing])])})`,
        from: r.missing.length && c.missing.length ? 'both' : r.missing.length ? 'reference' : 'current',
      });
      continue;
    }
    const width = s.features.length;
    const refMatrix = inputMatrix(reference, r.indices);
    const center = centroidOfRows(refMatrix, reference.rows.length, width);
    const refCols = summaryColumns(refMatrix, reference.rows.length, width, center);
    const curCols = summaryColumns(inputMatrix(current, c.indices), current.rows.length, width, center);
    for (const stat of ROW_SUMMARIES) {
      const name = summaryName(s.input, stat);
      const o = computeFeatureDrift(name, refCols[stat], curCols[stat], driftConfigFor(manifest, name));
      o.drift.summaryOf = { input: s.input, features: s.features.length, statistic: stat };
      o.drift.why = `${stat} of each row's ${s.features.length} ${s.input} features, tested in place of each feature (staleness.drift.inputs.${s.input}.perFeature: false); ${o.drift.why}`;
      outcomes.push(o);
    }
  }
  const multipleTesting = correct(manifest, outcomes);
  const counted = outcomes.filter((o) => o.counted);
  return { outcomes, absent, tested: counted.length, drifted: counted.filter((o) => o.drift.drifted).length, multipleTesting };
}

/**
 * Benjamini–Hochberg over the features whose drift a p-value decides (ks,
 * chisquare), unless the manifest says `multipleTesting: none`. Distances
 * (psi, wasserstein, jensenshannon) are not tests and stay as measured.
 */
function correct(manifest: ModelManifest, outcomes: FeatureDriftOutcome[]): MultipleTesting {
  const method = manifest.staleness?.drift?.multipleTesting ?? 'benjamini-hochberg';
  const family = outcomes.filter((o) => o.counted && o.drift.pValue !== undefined && isPValueMethod(o.drift.method));
  const driftedUncorrected = family.filter((o) => o.drift.pValue! < o.drift.threshold).length;
  if (method === 'none') {
    return {
      method,
      tests: family.length,
      drifted: driftedUncorrected,
      driftedUncorrected,
      why: `staleness.drift.multipleTesting is none: each of the ${family.length} p-values is compared with its threshold on its own, so about that share of unchanged features is marked drifted by chance`,
    };
  }
  const adjusted = benjaminiHochberg(family.map((o) => o.drift.pValue!));
  family.forEach((o, k) => {
    const q = adjusted[k]!;
    o.drift.adjustedPValue = q;
    o.drift.drifted = q < o.drift.threshold;
    if (family.length > 1) o.drift.why += `; the p-value is Benjamini–Hochberg adjusted over the ${family.length} features tested with a p-value`;
  });
  const drifted = family.filter((o) => o.drift.drifted).length;
  return {
    method,
    tests: family.length,
    drifted,
    driftedUncorrected,
    why:
      family.length > 1
        ? `Benjamini–Hochberg over the ${family.length} features tested with a p-value: a feature drifts when its adjusted p-value is below its threshold, which bounds the expected share of false alarms among the drifted features by that threshold (${driftedUncorrected} would be marked drifted without the correction)`
        : family.length === 1
          ? 'one feature tested with a p-value: nothing to correct'
          : 'no feature was tested with a p-value (distances are compared with their thresholds as measured)',
  };
}

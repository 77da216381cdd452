// Per-feature drift between two tables: which features to test, each one's
// configured test, and the share of features that drifted.
import type { Table } from '../../manifest/dataset';
import type { ModelManifest } from '../../manifest/types';
import { readTableColumn } from './columnValues';
import { driftConfigFor } from './driftConfig';
import { computeFeatureDrift, type FeatureDriftOutcome } from './featureDrift';

/**
 * The features to test: the signature's input features when the manifest
 * lists them, else every column both tables share except label columns.
 * Features marked `ignore: true` are left out.
 */
export function driftFeatures(manifest: ModelManifest, reference: Table, current: Table): { features: string[]; from: string } {
  const ignored = new Set(Object.entries(manifest.staleness?.drift?.features ?? {}).filter(([, v]) => v?.ignore).map(([k]) => k));
  const listed = (manifest.signature?.inputs ?? []).flatMap((i) => i.features ?? []);
  if (listed.length) return { features: listed.filter((f) => !ignored.has(f)), from: 'signature.inputs[].features' };
  const labels = new Set([manifest.data?.labelColumn, ...(manifest.data?.validation ?? []).map((v) => v.labelColumn)].filter((x): x is string => !!x));
  const shared = reference.columns.filter((c) => current.columns.includes(c) && !labels.has(c) && !ignored.has(c));
  return { features: shared, from: 'columns shared by reference and current data, label columns excluded' };
}

export interface DriftTable {
  outcomes: FeatureDriftOutcome[];
  /** Features absent from one of the tables. */
  absent: { feature: string; from: 'reference' | 'current' | 'both' }[];
  tested: number;
  drifted: number;
}

export function driftTable(manifest: ModelManifest, reference: Table, current: Table, features: string[]): DriftTable {
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
  const counted = outcomes.filter((o) => o.counted);
  return { outcomes, absent, tested: counted.length, drifted: counted.filter((o) => o.drift.drifted).length };
}

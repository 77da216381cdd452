// Gates on the data itself: a dataset whose rows were mostly dropped, or a
// metric computed on too few rows, must fail instead of passing quietly on
// what was left. Limits come from data.maxDroppedShare and data.minRows.
import { dataLimits } from '../manifest/dataLimits';
import type { LoadedManifest } from '../manifest/load';
import type { JsonPath } from '../manifest/parse';
import type { ModelManifest } from '../manifest/types';
import { fieldName } from '../manifest/validators/types';
import type { DatasetUse, GateResult, SuiteId } from '../protocol/report';
import { droppedText } from './datasetUse';
import { formatNumber, gate, sourceOf, unmeasuredGate, type GateSpec } from './gates';

export type DataRole = 'validation' | 'reference' | 'current';

type Spec = Omit<GateSpec, 'measured'>;

/**
 * The dropped-share gate of one dataset: `<suite>.data.<role>.droppedShare`.
 * `at` is where the manifest names the dataset (the gate points there unless
 * data.maxDroppedShare is set); `drops` says what makes a row dropped.
 */
export function droppedShareSpec(loaded: LoadedManifest, suite: SuiteId, role: DataRole, at: JsonPath, drops: string): Spec {
  const limits = dataLimits(loaded.manifest);
  return {
    id: `${suite}.data.${role}.droppedShare`,
    suite,
    metric: `share of ${role} rows dropped`,
    threshold: { op: '<=', value: limits.maxDroppedShare },
    how: `rows of ${fieldName(at)} left out (${drops}) ÷ rows read; ${limits.maxDroppedShareText}`,
    source: sourceOf(loaded, ['data', 'maxDroppedShare']) ?? sourceOf(loaded, at),
  };
}

/** The gate from a dataset's row accounting: fails above maxDroppedShare, naming the first dropped rows. */
export function droppedShareGate(loaded: LoadedManifest, spec: Spec, use: DatasetUse): GateResult {
  if (use.rowsRead === 0) return unmeasuredGate(spec, `${use.path} has no data rows (only a header)`);
  const limits = dataLimits(loaded.manifest);
  const first = use.dropped[0];
  return gate({
    ...spec,
    measured: use.rowsDropped / use.rowsRead,
    detail: `${use.rowsDropped} of ${use.rowsRead} rows dropped${use.rowsDropped ? `: ${droppedText(use)}` : ''}`,
    nextStep: first
      ? `fix or remove the dropped rows of ${use.path} (first: line ${first.line}, column "${first.column}"), e.g. fill in the missing values or drop them when exporting; or raise data.maxDroppedShare (now ${formatNumber(limits.maxDroppedShare)}) if leaving ${use.rowsDropped} of ${use.rowsRead} rows out is intended`
      : undefined,
  });
}

/**
 * Why a metric gate on `rows` rows cannot be trusted, or undefined when
 * there are enough. `what` names the rows, e.g. "rows of data/v.csv".
 */
export function tooFewRows(m: ModelManifest, rows: number, what: string): string | undefined {
  const limits = dataLimits(m);
  if (rows >= limits.minRows) return undefined;
  return `only ${rows} ${what}, fewer than ${limits.minRowsText}: too few rows to judge the threshold`;
}

/** The next step for a metric gate that failed on too few rows. */
export function tooFewRowsNext(m: ModelManifest): string {
  return `give the gate at least ${dataLimits(m).minRows} usable rows: fix the dropped rows or add labelled rows to the validation data (or widen the slice); lower data.minRows only if a gate on fewer rows is really meant`;
}

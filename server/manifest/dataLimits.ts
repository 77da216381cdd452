// data.maxDroppedShare and data.minRows with their defaults: lint words its
// severity with the same limits the tests gate on.
import type { ModelManifest } from './types';

/** Default of data.maxDroppedShare (the schema states the same default). */
export const DEFAULT_MAX_DROPPED_SHARE = 0.01;
/** Default of data.minRows (the schema states the same default and why). */
export const DEFAULT_MIN_ROWS = 30;

export interface DataLimits {
  maxDroppedShare: number;
  minRows: number;
  /** `data.maxDroppedShare = 0.01 (default)` and the like, for messages. */
  maxDroppedShareText: string;
  minRowsText: string;
}

export function dataLimits(m: ModelManifest): DataLimits {
  const share = typeof m.data?.maxDroppedShare === 'number' ? m.data.maxDroppedShare : undefined;
  const min = typeof m.data?.minRows === 'number' ? m.data.minRows : undefined;
  return {
    maxDroppedShare: share ?? DEFAULT_MAX_DROPPED_SHARE,
    minRows: min ?? DEFAULT_MIN_ROWS,
    maxDroppedShareText: `data.maxDroppedShare = ${share ?? DEFAULT_MAX_DROPPED_SHARE}${share === undefined ? ' (default)' : ''}`,
    minRowsText: `data.minRows = ${min ?? DEFAULT_MIN_ROWS}${min === undefined ? ' (default)' : ''}`,
  };
}

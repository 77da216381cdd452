// Model age (now − model.trainedAt) and data age (now − the end of the
// newest training window), in days.
import type { ModelManifest } from '../../manifest/types';

export const DAY_MS = 86_400_000;

/** A manifest timestamp (ISO date or date-time; YAML may hand over a Date) in ms, or undefined. */
export function timestampMs(v: unknown): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return undefined;
  // A bare date is midnight UTC, as Date.parse reads ISO dates.
  const t = Date.parse(v.trim());
  return Number.isNaN(t) ? undefined : t;
}

export function modelAgeDays(manifest: ModelManifest, now: Date): number | undefined {
  const t = timestampMs(manifest.model.trainedAt);
  return t === undefined ? undefined : (now.getTime() - t) / DAY_MS;
}

/** Age of the newest training data and the index of the window it came from. */
export function dataAge(manifest: ModelManifest, now: Date): { days: number; index: number } | undefined {
  let best: { t: number; index: number } | undefined;
  (manifest.data?.training ?? []).forEach((set, index) => {
    const t = timestampMs(set.window?.end);
    if (t !== undefined && (!best || t > best.t)) best = { t, index };
  });
  return best && { days: (now.getTime() - best.t) / DAY_MS, index: best.index };
}

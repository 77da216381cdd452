// Turns the engine's per-suite progress events into one overall percentage
// and a short line for the editor's progress notification.
import type { ProgressEvent, SuiteId } from '../../protocol/report';

/** Overall 0–100 across the suites that run, in order; undefined before the first suite. */
export function overallPercent(suites: readonly SuiteId[], e: ProgressEvent): number | undefined {
  const i = e.suite ? suites.indexOf(e.suite as SuiteId) : -1;
  if (i < 0 || suites.length === 0) return undefined;
  const within = Math.min(100, Math.max(0, e.percent ?? 0)) / 100;
  return Math.round(((i + within) / suites.length) * 100);
}

export function progressMessage(e: ProgressEvent): string {
  const head = e.suite ? `${e.suite}: ${e.step}` : e.step;
  return e.message ? `${head} — ${e.message}` : head;
}

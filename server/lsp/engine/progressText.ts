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

const SUITE_WORDS: Record<string, string> = {
  stress: 'Stress',
  staleness: 'Staleness',
  metrics: 'Metrics',
  lint: 'Checking',
  serve: 'Serving',
  publish: 'Publishing',
};

/** The stress runner's steps in the user's words (the runner speaks load-testing). */
function stressWords(step: string, message: string | undefined): string | undefined {
  const closed = /^closed c=(\d+)$/.exec(step);
  if (closed) {
    const run = message ? /run (\d+) of up to (\d+)/.exec(message) : null;
    return `${closed[1]} requests at a time, back to back${run ? ` (run ${run[1]} of up to ${run[2]})` : ''}`;
  }
  const search = /^search ([\d.]+) rps$/.exec(step);
  if (search) return `finding the highest rate within the p99 limit: trying ${search[1]} req/s`;
  const open = /^open ([\d.]+) rps$/.exec(step);
  if (open) return `${open[1]} req/s at a steady rate, as the SLO asks`;
  if (step === 'warm-up') return 'warming up the model (not measured)';
  if (step === 'correctness') return 'checking served predictions against in-process ones';
  return undefined;
}

/** `about 3 min left`, from the share done and the time so far; undefined while too early to say. */
export function remainingText(percent: number, elapsedMs: number): string | undefined {
  if (!(percent >= 5) || percent >= 100 || elapsedMs < 3000) return undefined;
  const leftS = ((elapsedMs / 1000) * (100 - percent)) / percent;
  if (leftS < 50) return 'under a minute left';
  return `about ${Math.round(leftS / 60)} min left`;
}

/** `Stress: 4 requests at a time, back to back (run 1 of up to 3) · 40 % · about 2 min left`. */
export function progressMessage(e: ProgressEvent, overall?: { percent: number; elapsedMs: number }): string {
  const words = e.suite === 'stress' ? stressWords(e.step, e.message) : undefined;
  const suite = e.suite ? (SUITE_WORDS[e.suite] ?? e.suite) : undefined;
  const detail = words ?? (e.message ? `${e.step} — ${e.message}` : e.step);
  const head = suite ? `${suite}: ${detail}` : detail;
  const left = overall ? remainingText(overall.percent, overall.elapsedMs) : undefined;
  return left ? `${head} · ${left}` : head;
}

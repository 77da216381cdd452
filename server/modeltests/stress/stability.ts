// Repeating a measurement until its throughput is stable: run-to-run
// fluctuation that nobody explains is the most common complaint about load
// tools, so every point reports all its runs and their relative spread.

/** (max − min) / mean; 0 for fewer than two values or a zero mean. */
export function relativeSpread(xs: number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (mean === 0) return 0;
  return (Math.max(...xs) - Math.min(...xs)) / mean;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface RepeatOptions {
  /** Largest acceptable relative spread of throughput, e.g. 0.05. */
  tolerance: number;
  minRuns: number;
  maxRuns: number;
}

export interface Repeated<T> {
  runs: T[];
  throughputs: number[];
  /** Relative spread over all runs: the run-to-run fluctuation to show. */
  spread: number;
  /** The last two runs agree within `tolerance`. */
  stable: boolean;
}

/** The Repeated record of runs already made (e.g. a series extended later). */
export function repeated<T>(runs: T[], throughputOf: (t: T) => number, tolerance: number): Repeated<T> {
  const throughputs = runs.map(throughputOf);
  return { runs, throughputs, spread: relativeSpread(throughputs), stable: throughputs.length >= 2 && relativeSpread(throughputs.slice(-2)) <= tolerance };
}

/**
 * Runs `measure` at least `minRuns` times, then again until the last two
 * runs agree within `tolerance`, up to `maxRuns`. An early outlier (a cold
 * cache, a neighbour's burst) thus costs one more run instead of marking
 * the point unstable, but it stays visible in `spread`.
 */
export async function repeatUntilStable<T>(measure: (run: number) => Promise<T>, throughputOf: (t: T) => number, opts: RepeatOptions): Promise<Repeated<T>> {
  const runs: T[] = [];
  const throughputs: number[] = [];
  const minRuns = Math.max(1, Math.min(opts.minRuns, opts.maxRuns));
  const lastTwoAgree = () => throughputs.length >= 2 && relativeSpread(throughputs.slice(-2)) <= opts.tolerance;
  while (runs.length < opts.maxRuns) {
    const r = await measure(runs.length);
    runs.push(r);
    throughputs.push(throughputOf(r));
    if (runs.length >= minRuns && lastTwoAgree()) break;
  }
  return { runs, throughputs, spread: relativeSpread(throughputs), stable: lastTwoAgree() };
}

/**
 * Warm-up is over when the last `window` throughputs agree within
 * `tolerance`. A server warms in steps (JIT tiers, allocator growth) with
 * flat stretches between them, so two agreeing samples are not enough.
 */
export function isSteady(throughputs: number[], window: number, tolerance: number): boolean {
  return throughputs.length >= window && relativeSpread(throughputs.slice(-window)) <= tolerance;
}

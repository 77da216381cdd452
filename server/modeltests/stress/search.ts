// Highest sustainable request rate, by bisection over open-model runs (as
// Triton's perf_analyzer searches with --latency-threshold): a rate is
// sustainable when the server keeps up with it, without errors, within the
// p99 limit. The caller decides what "ok" means; this only steers.

export interface RateProbe {
  ok: boolean;
  p99Ms: number;
  /** The criterion a failed probe missed. */
  why?: string;
  loadGeneratorBound?: boolean;
}

export interface SearchStep {
  offeredRps: number;
  p99Ms: number;
  ok: boolean;
  why?: string;
  loadGeneratorBound?: boolean;
}

export interface SearchOptions {
  /** Upper bound to try first (e.g. a little above the best closed-model throughput). */
  hi: number;
  /** Stop when the bracket is narrower than this share of its upper end (e.g. 0.05). */
  precision: number;
  maxSteps: number;
  /** Rates below this are not worth probing (default 1 rps). */
  minRps?: number;
  /** When `hi` is sustainable, how many times to double it before giving up on finding a limit (default 2). */
  maxDoublings?: number;
  /** A rate already known to be sustainable (e.g. the SLO-rate run), and its p99: the bisection starts above it. */
  known?: { rps: number; p99Ms: number };
}

export interface SearchResult {
  /** Highest rate that passed; 0 when none did. */
  value: number;
  /** p99 of the run at `value` (0 when none passed). */
  p99Ms: number;
  steps: SearchStep[];
  /** Why the search stopped. */
  stoppedBy: 'upper-bound-ok' | 'precision' | 'max-steps' | 'min-rate';
}

export async function searchMaxRps(probe: (rps: number) => Promise<RateProbe>, opts: SearchOptions): Promise<SearchResult> {
  const minRps = opts.minRps ?? 1;
  const steps: SearchStep[] = [];
  const at = async (rps: number) => {
    const r = await probe(rps);
    const step: SearchStep = { offeredRps: rps, p99Ms: r.p99Ms, ok: r.ok };
    if (!r.ok && r.why) step.why = r.why;
    if (r.loadGeneratorBound) step.loadGeneratorBound = true;
    steps.push(step);
    return r;
  };
  const known = opts.known && opts.known.rps < opts.hi ? opts.known : undefined;
  let hi = Math.max(minRps, Math.round(opts.hi));
  let lo = known?.rps ?? 0;
  let loP99 = known?.p99Ms ?? 0;
  // The first guess may be low (e.g. a short sweep that never saturated the
  // server): while it holds, double it.
  for (let doubled = 0; ; doubled++) {
    const r = await at(hi);
    if (!r.ok) break;
    lo = hi;
    loP99 = r.p99Ms;
    if (doubled >= (opts.maxDoublings ?? 2) || steps.length >= opts.maxSteps) {
      return { value: lo, p99Ms: loP99, steps, stoppedBy: 'upper-bound-ok' };
    }
    hi *= 2;
  }
  let stoppedBy: SearchResult['stoppedBy'] = 'max-steps';
  while (steps.length < opts.maxSteps) {
    if ((hi - lo) / hi <= opts.precision) {
      stoppedBy = 'precision';
      break;
    }
    if (lo === 0 && hi <= minRps) {
      stoppedBy = 'min-rate';
      break;
    }
    const mid = Math.max(minRps, Math.round((lo + hi) / 2));
    if (mid <= lo || mid >= hi) {
      stoppedBy = 'precision';
      break;
    }
    const r = await at(mid);
    if (r.ok) {
      lo = mid;
      loP99 = r.p99Ms;
    } else {
      hi = mid;
    }
  }
  return { value: lo, p99Ms: loP99, steps, stoppedBy };
}

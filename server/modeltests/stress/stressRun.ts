// The phases of one stress run, in order: warm-up, closed-model concurrency
// sweep (stopping once p99 crosses the SLO), bisection for the highest
// sustainable rate (open model), an open-model run at the SLO's target rate,
// then the correctness check against unbatched predictions. Measurements
// accumulate as they arrive so a cancelled run still reports what it has.
import type { ProgressEvent, StressPoint } from '../../protocol/report';
import type { BodyPool } from './bodies';
import type { CapturedResponse, LoadJob, LoadRunResult } from './loadgenProtocol';
import type { LoadgenProcess } from './loadgenProcess';
import { addBuckets, newBuckets } from './latency';
import { plannedSeconds, type StressPlan } from './plan';
import { sustained, toPoint } from './points';
import { searchMaxRps, type SearchResult } from './search';
import { isSteady, repeatUntilStable } from './stability';

/** Most captured responses kept for the correctness check. */
const MAX_CAPTURED = 500;
/** Throughput agreement that ends the warm-up. */
const WARMUP_TOLERANCE = 0.1;

export interface StressMeasured {
  /** Seconds actually spent warming up. */
  warmupS: number;
  points: StressPoint[];
  /** Summed plot buckets of the closed sweep points. */
  closedBuckets: number[];
  /** The open-model point at slo.rps, with its buckets and whether every run sustained the rate. */
  sloPoint?: { point: StressPoint; buckets: number[]; sustained: boolean; why?: string };
  search?: SearchResult & { skipped?: string; hi: number };
  captured: CapturedResponse[];
  notes: string[];
}

export class StressRun {
  readonly measured: StressMeasured = { warmupS: 0, points: [], closedBuckets: newBuckets(), captured: [], notes: [] };
  private doneS = 0;
  private readonly totalS: number;
  private seen = 0;

  constructor(
    private readonly lg: LoadgenProcess,
    private readonly plan: StressPlan,
    private readonly pool: BodyPool,
    private readonly onProgress: (e: ProgressEvent) => void,
    /** Resolves once the server has worked off any backlog (one request answered after the load). */
    private readonly settle: () => Promise<void> = async () => undefined,
  ) {
    this.totalS = plannedSeconds(plan);
  }

  private progress(step: string, message: string): void {
    this.onProgress({ suite: 'stress', step, percent: Math.min(99, Math.round((100 * this.doneS) / this.totalS)), message });
  }

  private async run(job: LoadJob, step: string, message: string): Promise<LoadRunResult> {
    this.progress(step, message);
    const r = await this.lg.run(job);
    this.doneS += job.durationS;
    this.keep(r.captured);
    return r;
  }

  /** Keeps an even sample of captured responses across the whole run. */
  private keep(captured: CapturedResponse[]): void {
    const into = this.measured.captured;
    for (const c of captured) {
      this.seen++;
      if (into.length < MAX_CAPTURED) into.push(c);
      else {
        // Reservoir sampling keeps each response equally likely to stay.
        const k = Math.floor(Math.random() * this.seen);
        if (k < MAX_CAPTURED) into[k] = c;
      }
    }
  }

  private job(mode: 'closed' | 'open', connections: number, durationS: number, rate?: number): LoadJob {
    const j: LoadJob = {
      mode, connections, durationS, timeoutS: this.plan.timeoutS,
      captureEvery: this.plan.captureEvery, captureMax: this.plan.captureMax,
    };
    if (rate !== undefined) j.rate = rate;
    return j;
  }

  async execute(): Promise<void> {
    await this.warmUp();
    await this.sweep();
    // The SLO-rate run decides the p99 gate, so it runs before the search,
    // whose overloaded probes could leave the server with a backlog.
    await this.atSloRate();
    await this.searchMax();
  }

  private async warmUp(): Promise<void> {
    const p = this.plan;
    const c = Math.min(4, p.concurrency[p.concurrency.length - 1] ?? 1);
    const seen: number[] = [];
    let spent = 0;
    while (spent + p.warmupChunkS <= p.warmupS + 1e-9) {
      const r = await this.run(this.job('closed', c, p.warmupChunkS), 'warm-up', `warm-up: ${c} connections, ${spent} s so far (not measured)`);
      spent += p.warmupChunkS;
      seen.push(r.throughputRps);
      if (spent >= p.warmupMinS && isSteady(seen, 3, WARMUP_TOLERANCE)) break;
    }
    this.measured.warmupS = spent;
    if (spent > 0) {
      const steady = isSteady(seen, 3, WARMUP_TOLERANCE);
      this.measured.notes.push(
        `Warm-up (not measured): ${spent} s of closed load at ${c} connections in ${p.warmupChunkS} s chunks (${seen.map((x) => Math.round(x)).join(', ')} rps), ` +
          (steady ? `until three chunks agreed within ${WARMUP_TOLERANCE * 100} %.` : `stopped at the ${p.warmupS} s limit before throughput settled: early points may read low.`),
      );
    }
    this.measured.captured.length = 0;
    this.seen = 0;
  }

  private async sweep(): Promise<void> {
    const p = this.plan;
    for (const c of p.concurrency) {
      const rep = await repeatUntilStable(
        (i) => this.run(this.job('closed', c, p.durationS), `closed c=${c}`, `closed model, ${c} connection(s), run ${i + 1} of up to ${p.maxRuns}`),
        (r) => r.throughputRps,
        p,
      );
      const { point, buckets } = toPoint(rep, p.durationS, p.p99Ms);
      this.measured.points.push(point);
      addBuckets(this.measured.closedBuckets, buckets);
      if (point.sloExceeded) {
        const skipped = p.concurrency.filter((x) => x > c);
        this.measured.notes.push(
          `Sweep stopped at ${c} connection(s): p99 ${point.latencyUs.p99} µs exceeds slo.p99Ms ${p.p99Ms} ms` +
            (skipped.length ? `; ${skipped.join(', ')} not run.` : '.'),
        );
        break;
      }
    }
  }

  private async searchMax(): Promise<void> {
    const p = this.plan;
    const closed = this.measured.points.filter((x) => x.mode === 'closed');
    const best = Math.max(0, ...closed.map((x) => x.throughputRps));
    const hi = Math.max(1, Math.round(best * 1.1));
    if (closed[0]?.sloExceeded) {
      // One connection back to back is the lightest load there is: if its
      // p99 is over the limit, no arrival rate will be within it.
      this.measured.search = {
        value: 0, p99Ms: closed[0].latencyUs.p99 / 1000, steps: [], stoppedBy: 'min-rate', hi,
        skipped: `no rate can meet p99 ≤ ${p.p99Ms} ms: a single connection already measured p99 ${closed[0].latencyUs.p99 / 1000} ms`,
      };
      return;
    }
    const criteria = { tolerance: p.tolerance, errorRate: p.errorRate, ...(p.p99Ms !== undefined ? { p99Ms: p.p99Ms } : {}) };
    const slo = this.measured.sloPoint;
    const result = await searchMaxRps(
      async (rps) => {
        const r = await this.run(this.job('open', p.openSockets, p.searchDurationS, rps), `search ${rps} rps`, `searching the highest sustainable rate: ${rps} rps offered (open model)`);
        const verdict = sustained(r, criteria);
        // An overloaded probe must not leave its queue to the next one.
        if (!verdict.ok) await this.settle();
        return verdict;
      },
      {
        hi, precision: p.searchPrecision, maxSteps: p.searchSteps,
        ...(slo?.sustained && p.rps !== undefined ? { known: { rps: p.rps, p99Ms: slo.point.latencyUs.p99 / 1000 } } : {}),
      },
    );
    this.measured.search = { ...result, hi };
  }

  private async atSloRate(): Promise<void> {
    const p = this.plan;
    if (p.rps === undefined) return;
    const rps = p.rps;
    const criteria = { tolerance: p.tolerance, errorRate: p.errorRate, ...(p.p99Ms !== undefined ? { p99Ms: p.p99Ms } : {}) };
    const rep = await repeatUntilStable(
      (i) => this.run(this.job('open', p.openSockets, p.durationS, rps), `open ${rps} rps`, `open model at the SLO rate ${rps} rps, run ${i + 1} of up to ${p.maxRuns}`),
      (r) => r.throughputRps,
      p,
    );
    const { point, buckets } = toPoint(rep, p.durationS, p.p99Ms);
    this.measured.points.push(point);
    const misses = rep.runs.map((r) => sustained(r, criteria)).filter((s) => !s.ok);
    this.measured.sloPoint = { point, buckets, sustained: misses.length === 0, ...(misses[0]?.why ? { why: misses[0].why } : {}) };
  }
}

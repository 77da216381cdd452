// The phases of one stress run, in order: warm-up, closed-model concurrency
// sweep (stopping once p99 crosses the SLO), open-model runs at the SLO's
// target rate (beside a trivial endpoint, until the p99 interval settles
// the gate or the budget is spent), bisection for the highest sustainable
// rate (open model), more runs at the SLO rate when the search disagrees
// with them, then the correctness check against unbatched predictions.
// Measurements accumulate as they arrive so a cancelled run still reports
// what it has.
import type { ProgressEvent, StressPoint } from '../../protocol/report';
import type { BodyPool } from './bodies';
import type { CapturedResponse, LoadJob, LoadRunResult } from './loadgenProtocol';
import type { LoadgenProcess } from './loadgenProcess';
import type { SloMiss } from './doubts';
import { addBuckets, newBuckets } from './latency';
import { cpuSnapshot, otherCpuCores } from './machineCpu';
import { plannedSeconds, type StressPlan } from './plan';
import { generatorBound, sustained, sustainedPoint, toPoint } from './points';
import { searchMaxRps, type SearchResult } from './search';
import { isSteady, repeatUntilStable, repeated } from './stability';

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
  /**
   * The open-model point at slo.rps, with its buckets and whether its pooled
   * figures sustained the rate (`why`/`miss`: the first criterion missed).
   */
  sloPoint?: {
    point: StressPoint;
    buckets: number[];
    sustained: boolean;
    why?: string;
    miss?: SloMiss;
    /** Runs made after the rate search because a higher rate held while this one did not. */
    remeasured: number;
    /** Failures (errors + timeouts) in this point's load-generator-bound runs. */
    generatorBoundFailed: number;
  };
  search?: SearchResult & { hi: number };
  captured: CapturedResponse[];
  notes: string[];
}

export class StressRun {
  readonly measured: StressMeasured = { warmupS: 0, points: [], closedBuckets: newBuckets(), captured: [], notes: [] };
  private doneS = 0;
  private readonly totalS: number;
  private seen = 0;
  private readonly sloRuns: LoadRunResult[] = [];
  private readonly sloOtherCpu: number[] = [];

  constructor(
    private readonly lg: LoadgenProcess,
    private readonly plan: StressPlan,
    private readonly pool: BodyPool,
    private readonly onProgress: (e: ProgressEvent) => void,
    /** Resolves once the server has worked off any backlog (one request answered after the load). */
    private readonly settle: () => Promise<void> = async () => undefined,
    /** The trivial endpoint the runs at slo.rps measure beside the model (noise floor); none: not measured. */
    private readonly noiseUrl?: string,
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

  private job(mode: 'closed' | 'open', connections: number, durationS: number, rate?: number, extra: Partial<LoadJob> = {}): LoadJob {
    const j: LoadJob = {
      mode,
      connections,
      durationS,
      timeoutS: this.plan.timeoutS,
      captureEvery: this.plan.captureEvery,
      captureMax: this.plan.captureMax,
      ...extra,
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
    await this.recheckSloRate();
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
          (steady
            ? `until three chunks agreed within ${WARMUP_TOLERANCE * 100} %.`
            : `stopped at the ${p.warmupS} s limit before throughput settled: early points may read low.`),
      );
    }
    this.measured.captured.length = 0;
    this.seen = 0;
  }

  private async sweep(): Promise<void> {
    const p = this.plan;
    let extraLeft = p.sweepExtraRuns;
    for (const c of p.concurrency) {
      const maxRuns = Math.min(p.maxRuns, p.minRuns + extraLeft);
      const rep = await repeatUntilStable(
        (i) => this.run(this.job('closed', c, p.durationS), `closed c=${c}`, `closed model, ${c} connection(s), run ${i + 1} of up to ${maxRuns}`),
        (r) => r.throughputRps,
        { ...p, maxRuns },
      );
      extraLeft -= Math.max(0, rep.runs.length - p.minRuns);
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
    // No shortcut when the first sweep point is over the p99 limit: on a
    // busy machine that can be noise, and a low open rate is a lighter load
    // than one connection back to back.
    const criteria = this.criteria();
    const slo = this.measured.sloPoint;
    const result = await searchMaxRps(
      async (rps) => {
        const r = await this.run(
          this.job('open', p.openSockets, p.searchDurationS, rps),
          `search ${rps} rps`,
          `searching the highest sustainable rate: ${rps} rps offered (open model)`,
        );
        const verdict = sustained(r, criteria);
        // An overloaded probe must not leave its queue to the next one.
        if (!verdict.ok) await this.settle();
        return { ...verdict, loadGeneratorBound: generatorBound(r) };
      },
      {
        hi,
        precision: p.searchPrecision,
        maxSteps: p.searchSteps,
        ...(slo?.sustained && p.rps !== undefined ? { known: { rps: p.rps, p99Ms: slo.point.latencyUs.p99 / 1000 } } : {}),
      },
    );
    this.measured.search = { ...result, hi };
  }

  private criteria() {
    const p = this.plan;
    return { tolerance: p.tolerance, errorRate: p.errorRate, ...(p.p99Ms !== undefined ? { p99Ms: p.p99Ms } : {}) };
  }

  /** One run at slo.rps beside the trivial endpoint, with the CPU the rest of the machine took meanwhile. */
  private async sloRun(rps: number, note: string): Promise<void> {
    const p = this.plan;
    const before = cpuSnapshot();
    const r = await this.run(
      this.job('open', p.openSockets, p.durationS, rps, { windowS: p.windowS, ...(this.noiseUrl ? { noiseUrl: this.noiseUrl } : {}) }),
      `open ${rps} rps`,
      `open model at the SLO rate ${rps} rps, run ${this.sloRuns.length + 1} of up to ${p.sloMaxRuns}${note}`,
    );
    this.sloRuns.push(r);
    const other = otherCpuCores(before, cpuSnapshot(), r.cpu);
    if (other !== undefined) this.sloOtherCpu.push(other);
  }

  /** (Re)builds the point at slo.rps from every run so far, in place in the point list. */
  private buildSloPoint(remeasured: number): NonNullable<StressMeasured['sloPoint']> {
    const p = this.plan;
    const rep = repeated(this.sloRuns, (r) => r.throughputRps, p.tolerance);
    const { point, buckets } = toPoint(rep, p.durationS, p.p99Ms, { windowS: p.windowS, p99Tolerance: p.p99Tolerance });
    if (this.sloOtherCpu.length) point.otherCpuCores = Math.round((this.sloOtherCpu.reduce((a, b) => a + b, 0) / this.sloOtherCpu.length) * 100) / 100;
    const verdict = sustainedPoint(point, this.criteria());
    const generatorBoundFailed = this.sloRuns.filter(generatorBound).reduce((a, r) => a + r.errors + r.timeouts, 0);
    const slo = {
      point,
      buckets,
      sustained: verdict.ok,
      remeasured,
      generatorBoundFailed,
      ...(verdict.why ? { why: verdict.why } : {}),
      ...(verdict.miss ? { miss: verdict.miss } : {}),
    };
    const at = this.measured.sloPoint ? this.measured.points.indexOf(this.measured.sloPoint.point) : -1;
    if (at >= 0) this.measured.points[at] = point;
    else this.measured.points.push(point);
    this.measured.sloPoint = slo;
    return slo;
  }

  /** The point settles its gates: the p99 interval is clear of the limit or narrow (no limit: throughput agreed). */
  private sloSettled(slo: NonNullable<StressMeasured['sloPoint']>): boolean {
    if (this.plan.p99Ms === undefined) return this.sloRuns.length >= this.plan.maxRuns || (slo.point.runs.length >= 2 && slo.point.stable);
    return slo.point.p99Stable === true;
  }

  private async atSloRate(): Promise<void> {
    const p = this.plan;
    if (p.rps === undefined) return;
    while (this.sloRuns.length < p.sloMaxRuns) {
      await this.sloRun(p.rps, this.sloRuns.length >= p.minRuns ? ' (p99 not settled yet)' : '');
      if (this.sloRuns.length < p.minRuns) continue;
      if (this.sloSettled(this.buildSloPoint(0))) return;
    }
    if (!this.measured.sloPoint || this.measured.sloPoint.point.runs.length !== this.sloRuns.length) this.buildSloPoint(0);
  }

  /**
   * When the search held a higher rate than slo.rps while slo.rps itself was
   * missed, the two were measured at different moments: measure slo.rps
   * again (within its budget) before anything is judged.
   */
  private async recheckSloRate(): Promise<void> {
    const p = this.plan;
    const slo = this.measured.sloPoint;
    if (p.rps === undefined || !slo || slo.sustained || !higherRateHeld(p.rps, this.measured.search)) return;
    const extra = Math.min(2, p.sloMaxRuns - this.sloRuns.length);
    if (extra <= 0) return;
    await this.settle();
    for (let i = 0; i < extra; i++) await this.sloRun(p.rps, ' (again: a higher rate held in the search)');
    this.buildSloPoint(extra);
  }
}

/** The highest rate above `rps` that a search probe held, if any. */
export function higherRateHeld(rps: number, search: Pick<SearchResult, 'steps'> | undefined): SearchResult['steps'][number] | undefined {
  const held = (search?.steps ?? []).filter((s) => s.ok && s.offeredRps > rps);
  return held.sort((a, b) => b.offeredRps - a.offeredRps)[0];
}

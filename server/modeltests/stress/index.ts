// The stress suite: drives a running ModelGate server through its TF Serving
// REST endpoint from a separate load-generator process, and judges the
// manifest SLO (p99 at the target rate, highest sustainable rate, error
// rate) and correctness under load. The runs at the target rate also pace a
// trivial endpoint in a third process, so every verdict comes with the
// machine's own latency at the same moments (the noise floor).
import type { LoadedManifest } from '../../manifest/load';
import type { GateResult, ProgressEvent, StressResult } from '../../protocol/report';
import { buildBodyPool, type BodyPool } from './bodies';
import { checkCorrectness, type CorrectnessResult } from './correctness';
import { formatNumber as fmt, sourceOf } from '../gates';
import type { SuiteContext } from '../suite';
import { evaluateStressGates, type StressThresholds } from './gates';
import { reportHistogram } from './latency';
import { defaultLoadgenCommand, LoadgenProcess, type LoadgenCommand } from './loadgenProcess';
import { CPU_BOUND, LAG_BOUND_US } from './points';
import { parseDuration } from '../../manifest/durations';
import { resolveStressPlan, type StressOptions, type StressPlan } from './plan';
import { StressRun, type StressMeasured } from './stressRun';
import { fmtMs, gateMeasurements, msOf, sloCheck } from './gateMeasurements';

export type { StressOptions } from './plan';
export { StressSetupError } from './bodies';

export interface StressContext {
  loaded: LoadedManifest;
  /** Base URL of a running ModelGate server, e.g. http://127.0.0.1:8501 */
  baseUrl: string;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  options?: StressOptions & {
    /** How to start the load generator (default: this bundle's `modelgate __loadgen`, or the sources under tsx). */
    loadgen?: LoadgenCommand;
    /** Called with the pid of each child once it runs: the load generator, then the trivial endpoint of the noise floor. */
    onLoadgenStart?: (pid: number) => void;
  };
}

/** A StressContext from the context the pipeline gives every suite. */
export function stressContextFrom(suite: SuiteContext, options: StressContext['options'] = {}): StressContext {
  const durationMs = suite.duration ? parseDuration(suite.duration) : undefined;
  return {
    loaded: suite.loaded,
    baseUrl: suite.url,
    signal: suite.signal,
    onProgress: ({ suite: _s, ...e }) => suite.progress(e),
    options: {
      ...(durationMs ? { durationS: durationMs / 1000 } : {}),
      ...(suite.concurrency?.length ? { concurrency: suite.concurrency } : {}),
      ...options,
    },
  };
}

export function predictUrl(baseUrl: string, model: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(model)}:predict`;
}

async function postOnce(url: string, body: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: `request failed: ${(err as Error).message}` };
  }
}

export async function runStressSuite(ctx: StressContext): Promise<{ result: StressResult; gates: GateResult[] }> {
  const plan = resolveStressPlan(ctx.loaded.manifest, ctx.options);
  const pool = await buildBodyPool(ctx.loaded);
  const endpoint = predictUrl(ctx.baseUrl, ctx.loaded.manifest.metadata.name);
  const emit = (e: ProgressEvent) => ctx.onProgress?.(e);
  const signal = ctx.signal;
  let measured: StressMeasured | undefined;
  let cancelled = !!signal?.aborted;
  let correctness: CorrectnessResult | undefined;
  let loadgenPid = -1;
  let noiseNote: string | undefined;

  if (!cancelled) {
    const cmd = ctx.options?.loadgen ?? defaultLoadgenCommand();
    const lg = await LoadgenProcess.start(cmd, endpoint, pool.bodies);
    loadgenPid = lg.pid;
    ctx.options?.onLoadgenStart?.(lg.pid);
    // The noise floor is only measured beside slo.rps, where the p99 gate is judged.
    let trivial: Awaited<ReturnType<typeof LoadgenProcess.startTrivial>> | undefined;
    if (plan.rps !== undefined) {
      try {
        trivial = await LoadgenProcess.startTrivial(cmd);
        ctx.options?.onLoadgenStart?.(trivial.process.pid);
      } catch (err) {
        noiseNote = `Noise floor: not measured, the trivial endpoint did not start (${(err as Error).message}); gates are judged without it.`;
      }
    }
    const stopAll = async (how: 'kill' | 'close') => {
      await Promise.all([lg, trivial?.process].map((x) => (x ? (how === 'kill' ? x.kill() : x.close()) : undefined)));
    };
    const onAbort = () => void stopAll('kill');
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = new StressRun(
      lg,
      plan,
      pool,
      emit,
      async () => {
        await postOnce(endpoint, pool.bodies[0]!);
      },
      trivial?.url,
    );
    measured = run.measured;
    try {
      if (signal?.aborted) throw new Error('cancelled');
      await run.execute();
    } catch (err) {
      if (!signal?.aborted) {
        await stopAll('kill');
        throw err;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await stopAll(signal?.aborted ? 'kill' : 'close');
    }
    cancelled = !!signal?.aborted;
    if (!cancelled && measured.captured.length > 0) {
      emit({
        suite: 'stress',
        step: 'correctness',
        percent: 99,
        message: `comparing ${measured.captured.length} responses under load with unbatched predictions`,
      });
      try {
        correctness = await checkCorrectness(
          measured.captured,
          (row) => {
            if (signal?.aborted) throw new Error('cancelled');
            return postOnce(endpoint, pool.bodies[row]!);
          },
          plan.skewTolerance,
        );
      } catch (err) {
        if (!signal?.aborted) throw err;
        cancelled = true;
      }
    }
  }

  const judged = gateMeasurements(plan, measured, correctness, cancelled);
  const result = assembleResult(ctx, plan, pool, endpoint, measured, correctness, cancelled, loadgenPid, judged.disagreement, noiseNote);
  const gates = evaluateStressGates(stressThresholds(ctx.loaded, plan), judged);
  emit({ suite: 'stress', step: cancelled ? 'cancelled' : 'done', percent: 100, message: cancelled ? 'stress test cancelled' : 'stress test finished' });
  return { result, gates };
}

/** The SLO thresholds the stress gates judge, with the manifest line of each. */
export function stressThresholds(loaded: LoadedManifest, plan: StressPlan): StressThresholds {
  return {
    ...(plan.p99Ms !== undefined ? { p99Ms: plan.p99Ms } : {}),
    ...(plan.rps !== undefined ? { rps: plan.rps } : {}),
    errorRate: plan.errorRate,
    p99Tolerance: plan.p99Tolerance,
    sources: {
      p99Ms: sourceOf(loaded, ['slo', 'p99Ms']),
      rps: sourceOf(loaded, ['slo', 'rps']),
      errorRate: sourceOf(loaded, ['slo', 'errorRate']),
      skewTolerance: sourceOf(loaded, ['gates', 'skewTolerance']),
    },
  };
}

/** The stress gates the manifest declares, each `not run` for `why` (suite skipped, cancelled, crashed). */
export function declaredStressGates(loaded: LoadedManifest, why: string): GateResult[] {
  return evaluateStressGates(stressThresholds(loaded, resolveStressPlan(loaded.manifest, {})), { missingWhy: why });
}

function assembleResult(
  ctx: StressContext,
  plan: StressPlan,
  pool: BodyPool,
  endpoint: string,
  m: StressMeasured | undefined,
  c: CorrectnessResult | undefined,
  cancelled: boolean,
  pid: number,
  disagreement: string | undefined,
  noiseNote: string | undefined,
): StressResult {
  const notes: string[] = [
    `Load generator: a separate process${pid > 0 ? ` (pid ${pid})` : ''}, so it never shares the server's event loop.`,
    "Closed model (sweep): autocannon with N keep-alive connections, each sending its next request when the previous answer arrives. Latency per request from the client's hrtime around the request, recorded in µs (hdr-histogram, 3 significant digits); the first answer on each connection (TCP handshake) is not in the latency figures.",
    'Open model (search, SLO rate): requests released on a fixed schedule (request i at i / rate) over up to ' +
      `${plan.openSockets} keep-alive sockets, whether or not earlier ones were answered. autocannon's rate limit is not used because it sends each connection's per-second quota in a burst. Latency runs from release to the end of the response, so waiting for a free socket counts (no coordinated omission); release lag behind the schedule is reported as sendLagUs.`,
    `Each sweep point runs ${plan.minRuns}–${plan.maxRuns} times for ${plan.durationS} s, until its last two runs agree on throughput within ${plan.tolerance * 100} % (stable), with at most ${plan.sweepExtraRuns} extra run(s) over the whole sweep so the time goes to the SLO point; spread is (max − min) / mean over all its runs. Throughput is the median run; latency merges all runs.`,
    `loadGeneratorBound: the generator used ≥ ${CPU_BOUND * 100} % of one core, or (open model) released requests more than ${LAG_BOUND_US / 1000} ms late on average; such figures describe the generator more than the server.`,
    `Request bodies: ${pool.bodies.length} distinct rows of ${pool.source}, one row per request, in rotation${pool.skipped ? ` (${pool.skipped} rows with empty values or duplicates left out)` : ''}.`,
  ];
  const result: StressResult = {
    endpoint,
    bodies: { source: pool.source, distinct: pool.bodies.length },
    warmupS: m?.warmupS ?? 0,
    tolerance: plan.tolerance,
    points: m?.points ?? [],
    notes,
  };
  if (cancelled) {
    result.cancelled = true;
    notes.push(`Cancelled: ${result.points.length} point(s) measured before the cancel; the result is incomplete.`);
  }
  if (!m) return result;
  notes.push(...m.notes);
  if (noiseNote) notes.push(noiseNote);
  if (m.sloPoint && plan.rps !== undefined) {
    result.slo = sloCheck(plan, m.sloPoint, disagreement);
    const s = result.slo;
    notes.push(
      `SLO point (open model, ${plan.rps} rps): ${s.runs} run(s) of ${plan.durationS} s, at least ${plan.minRuns} and up to ${plan.sloMaxRuns} until the p99 interval settles the gate ` +
        `(lies wholly on one side of slo.p99Ms, or is narrower than ${plan.p99Tolerance * 100} % of the p99). ` +
        `Interval: ${Math.round(s.p99IntervalMs.level * 100)} % block bootstrap of the pooled p99, resampling ${plan.windowS} s windows of every run, so a burst of stalls stays together. ` +
        `p99 ${fmtMs(s.p99Ms)} (${fmtMs(s.p99IntervalMs.low)}–${fmtMs(s.p99IntervalMs.high)})${s.p99Stable ? '' : ', not settled within the budget'}.`,
    );
    if (m.sloPoint.point.noiseFloor) {
      const n = m.sloPoint.point.noiseFloor;
      notes.push(
        `Noise floor: every run at slo.rps also sent the same schedule, half an interval apart, to a trivial endpoint (plain node:http, no model) in another process: ` +
          `p50 ${fmtMs(msOf(n.latencyUs.p50))}, p99 ${fmtMs(msOf(n.latencyUs.p99))}, ${n.failed} of ${n.requests} failed. That latency is the machine's and the load generator's own; ` +
          `a p99 fail is inconclusive when the noise floor alone exceeds slo.p99Ms, or is enough to carry the server over it.` +
          (s.otherCpuCores !== undefined ? ` Other processes used ${s.otherCpuCores} of ${s.cores} cores meanwhile.` : ''),
      );
    }
    if (disagreement) notes.push(`Disagreement: ${disagreement}`);
  }
  for (const p of m.points) {
    const where = p.mode === 'closed' ? `closed ${p.connections} connection(s)` : `open ${p.offeredRps} rps`;
    if (!p.stable)
      notes.push(
        `Unstable: ${where} throughput varied by ${fmt(p.spread * 100)} % over ${p.runs.length} runs (${p.runs.join(', ')} rps); the last two differ by more than the ${plan.tolerance * 100} % tolerance.`,
      );
    if (p.loadGeneratorBound) {
      notes.push(
        `Load-generator bound: ${where} (generator CPU ${fmt(p.loadGeneratorCpu * 100)} % of a core${p.sendLagUs ? `, release lag ${p.sendLagUs.mean} µs` : ''}); ` +
          (p === m.sloPoint?.point
            ? 'a p99 within the limit still passes (a busy generator only adds latency), one over it is inconclusive.'
            : 'its figures are a lower bound for the server.'),
      );
    }
  }
  if (m.search) {
    result.maxSustainableRps = { value: m.search.value, p99Ms: m.search.p99Ms, steps: m.search.steps };
    notes.push(
      `Max sustainable rate (open model, like the SLO point): bisection below ${m.search.hi} rps (1.1 × best closed throughput)` +
        `${m.sloPoint?.sustained && plan.rps !== undefined && plan.rps < m.search.hi ? ` and above slo.rps ${plan.rps} (held in its own run)` : ''}, ${m.search.steps.length} probe(s) of ${plan.searchDurationS} s, stopped by ${m.search.stoppedBy}; ` +
        `a rate is sustainable when at least ${Math.round((1 - plan.tolerance) * 100)} % of it was achieved with error rate ≤ ${plan.errorRate}${plan.p99Ms !== undefined ? ` and p99 ≤ ${plan.p99Ms} ms` : ''}.` +
        (m.search.stoppedBy === 'upper-bound-ok' ? ' The highest rate tried still held: the real maximum may be higher.' : '') +
        ' A probe is one short run without a noise floor, so the p99 gate is judged on the longer runs at slo.rps; when a probe above slo.rps holds while slo.rps did not, slo.rps is measured again and the report says why the two differ.',
    );
  }
  const hist = m.sloPoint ? m.sloPoint.buckets : m.closedBuckets;
  result.histogram = reportHistogram(hist);
  notes.push(
    `Latency histogram: ${m.sloPoint ? `open model at ${plan.rps} rps` : 'all closed sweep points'}, log-spaced buckets (10 per decade, upper bounds in µs).`,
  );
  if (c) {
    result.correctness = { sampled: c.sampled, mismatches: c.mismatches, maxAbsDiff: c.maxAbsDiff, tolerance: c.tolerance };
    for (const e of c.examples) notes.push(`Mismatch under load: ${e}`);
  }
  const perHour = ctx.loaded.manifest.cost?.perHour;
  const rps = result.maxSustainableRps?.value ?? 0;
  if (perHour !== undefined && rps > 0) {
    result.costPerMillion = { usd: Math.round((perHour / (rps * 3600)) * 1e6 * 10000) / 10000, perHour, rps };
    notes.push(`Cost per million predictions: cost.perHour ${perHour} USD / (${rps} rps × 3600 s) × 10⁶, at the highest sustainable rate of one instance.`);
  } else if (perHour !== undefined) {
    notes.push('Cost per million predictions: not computed, no sustainable rate was measured.');
  }
  return result;
}

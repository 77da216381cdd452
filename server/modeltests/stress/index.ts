// The stress suite: drives a running ModelGate server through its TF Serving
// REST endpoint from a separate load-generator process, and judges the
// manifest SLO (p99 at the target rate, highest sustainable rate, error
// rate) and correctness under load.
import type { LoadedManifest } from '../../manifest/load';
import type { GateResult, ProgressEvent, StressResult } from '../../protocol/report';
import { buildBodyPool, type BodyPool } from './bodies';
import { checkCorrectness, type CorrectnessResult } from './correctness';
import { formatNumber as fmt, sourceOf } from '../gates';
import type { SuiteContext } from '../suite';
import { evaluateStressGates, type StressMeasurements, type StressThresholds } from './gates';
import { reportHistogram } from './latency';
import { defaultLoadgenCommand, LoadgenProcess, type LoadgenCommand } from './loadgenProcess';
import { CPU_BOUND, LAG_BOUND_US } from './points';
import { parseDuration } from '../../manifest/durations';
import { resolveStressPlan, type StressOptions, type StressPlan } from './plan';
import { StressRun, type StressMeasured } from './stressRun';

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
    /** Called with the load generator's pid once it runs. */
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

  if (!cancelled) {
    const lg = await LoadgenProcess.start(ctx.options?.loadgen ?? defaultLoadgenCommand(), endpoint, pool.bodies);
    loadgenPid = lg.pid;
    ctx.options?.onLoadgenStart?.(lg.pid);
    const onAbort = () => void lg.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = new StressRun(lg, plan, pool, emit, async () => {
      await postOnce(endpoint, pool.bodies[0]!);
    });
    measured = run.measured;
    try {
      if (signal?.aborted) throw new Error('cancelled');
      await run.execute();
    } catch (err) {
      if (!signal?.aborted) {
        await lg.kill();
        throw err;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) await lg.kill();
      else await lg.close();
    }
    cancelled = !!signal?.aborted;
    if (!cancelled && measured.captured.length > 0) {
      emit({ suite: 'stress', step: 'correctness', percent: 99, message: `comparing ${measured.captured.length} responses under load with unbatched predictions` });
      try {
        correctness = await checkCorrectness(measured.captured, (row) => {
          if (signal?.aborted) throw new Error('cancelled');
          return postOnce(endpoint, pool.bodies[row]!);
        }, plan.skewTolerance);
      } catch (err) {
        if (!signal?.aborted) throw err;
        cancelled = true;
      }
    }
  }

  const result = assembleResult(ctx, plan, pool, endpoint, measured, correctness, cancelled, loadgenPid);
  const gates = evaluateStressGates(
    stressThresholds(ctx.loaded, plan),
    gateMeasurements(plan, measured, correctness, cancelled),
  );
  emit({ suite: 'stress', step: cancelled ? 'cancelled' : 'done', percent: 100, message: cancelled ? 'stress test cancelled' : 'stress test finished' });
  return { result, gates };
}

/** The SLO thresholds the stress gates judge, with the manifest line of each. */
export function stressThresholds(loaded: LoadedManifest, plan: StressPlan): StressThresholds {
  return {
    ...(plan.p99Ms !== undefined ? { p99Ms: plan.p99Ms } : {}),
    ...(plan.rps !== undefined ? { rps: plan.rps } : {}),
    errorRate: plan.errorRate,
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

function gateMeasurements(plan: StressPlan, m: StressMeasured | undefined, c: CorrectnessResult | undefined, cancelled: boolean): StressMeasurements {
  const out: StressMeasurements = { missingWhy: cancelled ? 'the run was cancelled before this was measured' : 'the run ended before this was measured' };
  if (!m) return out;
  const closed = m.points.filter((p) => p.mode === 'closed');
  const slo = m.sloPoint;
  if (plan.rps !== undefined && slo) {
    out.latency = {
      p99Ms: slo.point.latencyUs.p99 / 1000,
      at: `${plan.rps} rps (open model)`,
      how: `open model: fixed arrival rate ${plan.rps} rps offered (achieved ${slo.point.throughputRps} rps), ${slo.point.runs.length} run(s) of ${plan.durationS} s; latency from each request's release to the end of its response`,
    };
  } else if (plan.rps === undefined && closed[0]) {
    out.latency = {
      p99Ms: closed[0].latencyUs.p99 / 1000,
      at: `${closed[0].connections} connection(s) (closed model)`,
      how: `closed model, ${closed[0].connections} connection(s) sending back to back (no slo.rps set), ${closed[0].runs.length} run(s) of ${plan.durationS} s`,
    };
  }
  if (m.search) {
    const fromSlo = slo?.sustained && plan.rps !== undefined && plan.rps > m.search.value;
    out.sustainable = fromSlo
      ? { rps: plan.rps!, how: `open-model run at slo.rps ${plan.rps} sustained the rate within the limits (the bisection's best was ${m.search.value} rps)` }
      : { rps: m.search.value, how: m.search.skipped ?? `open-model bisection, ${m.search.steps.length} probe(s) of ${plan.searchDurationS} s: achieved ≥ ${Math.round((1 - plan.tolerance) * 100)} % of offered, error rate ≤ ${plan.errorRate}${plan.p99Ms !== undefined ? `, p99 ≤ ${plan.p99Ms} ms` : ''}` };
  }
  const counted = [...closed, ...(slo ? [slo.point] : [])];
  if (counted.length) {
    out.errors = {
      failed: counted.reduce((a, p) => a + p.errors + p.timeouts + p.non2xx, 0),
      requests: counted.reduce((a, p) => a + p.requests, 0),
      how: `connection errors + timeouts + non-2xx over requests sent, in the closed sweep${slo ? ' and the open run at slo.rps' : ''} (the search probes overload on purpose and are not counted)`,
    };
  }
  if (c) {
    out.correctness = {
      ...c,
      how: `${c.sampled} responses captured under load (every ${plan.captureEvery}th, sampled evenly) compared with the same rows sent one at a time after the load; numbers within ${c.tolerance}`,
    };
  }
  return out;
}

function assembleResult(
  ctx: StressContext, plan: StressPlan, pool: BodyPool, endpoint: string, m: StressMeasured | undefined,
  c: CorrectnessResult | undefined, cancelled: boolean, pid: number,
): StressResult {
  const notes: string[] = [
    `Load generator: a separate process${pid > 0 ? ` (pid ${pid})` : ''}, so it never shares the server's event loop.`,
    'Closed model (sweep): autocannon with N keep-alive connections, each sending its next request when the previous answer arrives. Latency per request from the client\'s hrtime around the request, recorded in µs (hdr-histogram, 3 significant digits); the first answer on each connection (TCP handshake) is not in the latency figures.',
    'Open model (search, SLO rate): requests released on a fixed schedule (request i at i / rate) over up to ' +
      `${plan.openSockets} keep-alive sockets, whether or not earlier ones were answered. autocannon's rate limit is not used because it sends each connection's per-second quota in a burst. Latency runs from release to the end of the response, so waiting for a free socket counts (no coordinated omission); release lag behind the schedule is reported as sendLagUs.`,
    `Each point runs ${plan.minRuns}–${plan.maxRuns} times for ${plan.durationS} s, until its last two runs agree on throughput within ${plan.tolerance * 100} % (stable); spread is (max − min) / mean over all its runs. Throughput is the median run; latency merges all runs.`,
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
  for (const p of m.points) {
    const where = p.mode === 'closed' ? `closed ${p.connections} connection(s)` : `open ${p.offeredRps} rps`;
    if (!p.stable) notes.push(`Unstable: ${where} throughput varied by ${fmt(p.spread * 100)} % over ${p.runs.length} runs (${p.runs.join(', ')} rps); the last two differ by more than the ${plan.tolerance * 100} % tolerance.`);
    if (p.loadGeneratorBound) notes.push(`Load-generator bound: ${where} (generator CPU ${fmt(p.loadGeneratorCpu * 100)} % of a core${p.sendLagUs ? `, release lag ${p.sendLagUs.mean} µs` : ''}).`);
  }
  if (m.search) {
    result.maxSustainableRps = { value: m.search.value, p99Ms: m.search.p99Ms, steps: m.search.steps };
    notes.push(
      m.search.skipped
        ? `Max sustainable rate: not searched, ${m.search.skipped}.`
        : `Max sustainable rate (open model): bisection below ${m.search.hi} rps (1.1 × best closed throughput)` +
            `${m.sloPoint?.sustained && plan.rps !== undefined && plan.rps < m.search.hi ? ` and above slo.rps ${plan.rps} (held in its own run)` : ''}, ${m.search.steps.length} probe(s) of ${plan.searchDurationS} s, stopped by ${m.search.stoppedBy}; ` +
            `a rate is sustainable when at least ${Math.round((1 - plan.tolerance) * 100)} % of it was achieved with error rate ≤ ${plan.errorRate}${plan.p99Ms !== undefined ? ` and p99 ≤ ${plan.p99Ms} ms` : ''}.` +
            (m.search.stoppedBy === 'upper-bound-ok' ? ' The highest rate tried still held: the real maximum may be higher.' : ''),
    );
  }
  const hist = m.sloPoint ? m.sloPoint.buckets : m.closedBuckets;
  result.histogram = reportHistogram(hist);
  notes.push(`Latency histogram: ${m.sloPoint ? `open model at ${plan.rps} rps` : 'all closed sweep points'}, log-spaced buckets (10 per decade, upper bounds in µs).`);
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

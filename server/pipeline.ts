// lint → serve → test → gate: loads the manifest, serves the model (or uses
// a running server), runs the selected suites with progress and cancel, and
// returns one report. The server it started is always stopped, also when a
// suite fails or the run is cancelled; a cancelled run still returns what
// was measured, marked incomplete.
import { isAbsolute } from 'node:path';
import { resolveDataPath } from './manifest/dataset';
import { loadManifest, type LoadedManifest, type LoadOptions } from './manifest/load';
import { artifactPath, createPredictor, type Predictor } from './manifest/predict';
import { runMetricsSuite } from './modeltests/metrics';
import { runStalenessSuite } from './modeltests/staleness';
import { runStressSuite, stressContextFrom, type StressContext } from './modeltests/stress';
import { SuiteCancelled, type SuiteContext } from './modeltests/suite';
import { SUITES, type DatasetUse, type GateResult, type ProgressEvent, type Report, type SuiteId } from './protocol/report';
import { completeGates } from './modeltests/declaredGates';
import { buildReport, sha256File } from './report/build';
import { startServer } from './serving/server';
import { publishedReference } from './pipeline/baselineRef';
import { pullManifest, type PulledManifest } from './pipeline/pulledManifest';
import type { StoreOptions } from './publish/openStore';

export { SUITES };
export {
  scoreCsv,
  scoredPath,
  validationInput,
  ScoreError,
  DEFAULT_BATCH_SIZE,
  type ScoreOptions,
  type ScoreProgress,
  type ScoreResult,
} from './pipeline/score';
export { scoreCsvQueue, type QueueScoreOptions, type QueueScoreResult } from './pipeline/scoreQueue';
export { QueueError } from './serving/queue/queueClient';

/** A problem with how the tests were asked for (exit code 2), not a failed gate. */
export class TestUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestUsageError';
  }
}

export interface RunTestsOptions {
  /** Suites to run (default: all). */
  only?: SuiteId[];
  /** Test this already running server instead of starting one. */
  url?: string;
  /** The champion: a manifest path, or a published version (oci://…, layout-dir:tag) pulled to a temp dir for the run. */
  baseline?: string;
  /** Registry options (credentials, plain http) for pulling a published baseline. */
  store?: StoreOptions;
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
  /** "Now" for the age gates (default: the current time). */
  now?: Date;
  /** Per-point stress duration (`--duration 5s`), overriding slo.duration. */
  duration?: string;
  /** Connection counts of the stress sweep (`--concurrency 1,8,32`), overriding slo.concurrency. */
  concurrency?: number[];
  /** Port of the server the tests start (default 0: a free one), e.g. to reach it from a firewall-bound browser or a profiler. */
  port?: number;
  /** Extra options for the stress suite (tests use `quick`). */
  stress?: StressContext['options'];
  /** CSV files to use instead of the manifest's data (`--data validation=val.csv`), e.g. for a pulled artifact, which holds none. */
  data?: LoadOptions['data'];
}

export function isOciReference(ref: string): boolean {
  return /^oci:\/\//i.test(ref) || (!isAbsolute(ref) && !ref.startsWith('.') && /^[a-z0-9.-]+(:\d+)?\/[^\s]+[:@][\w.-]+$/i.test(ref) && !/\.ya?ml$/i.test(ref));
}

/** Loads the manifest(s) and runs the suites. Throws ManifestError / TestUsageError for configuration problems. */
export async function runTests(manifestPath: string, opts: RunTestsOptions = {}): Promise<Report> {
  const startedAt = new Date();
  const signal = opts.signal ?? new AbortController().signal;
  const emit = (e: ProgressEvent) => opts.onProgress?.(e);
  const only = opts.only ?? [...SUITES];
  for (const s of only) if (!SUITES.includes(s)) throw new TestUsageError(`unknown suite "${s}"; choose from ${SUITES.join(', ')}`);

  emit({ suite: 'lint', step: 'loading manifest', message: manifestPath });
  // Missing data files do not stop the run: each gate that needs one is reported not run, with the file and the --data flag.
  const loaded = await loadManifest(manifestPath, { dataOptional: true, ...(opts.data ? { data: opts.data } : {}) });
  let baseline: LoadedManifest | undefined;
  let pulledBaseline: PulledManifest | undefined;
  try {
    if (opts.baseline) {
      const ref = publishedReference(opts.baseline, opts.store?.cwd);
      if (ref) {
        emit({ suite: 'lint', step: 'pulling the baseline', message: ref });
        try {
          pulledBaseline = await pullManifest(ref, opts.store);
        } catch (err) {
          throw new TestUsageError(`--baseline ${opts.baseline}: ${(err as Error).message}`);
        }
        // Its data files are not in the artifact and are not needed: the champion is scored on this model's validation rows.
        baseline = await loadManifest(pulledBaseline.manifestPath, { semantic: false });
      } else {
        baseline = await loadManifest(opts.baseline);
      }
    }
    return await runLoaded(loaded, baseline, startedAt, signal, emit, only, opts);
  } finally {
    await pulledBaseline?.dispose();
  }
}

async function runLoaded(
  loaded: LoadedManifest,
  baseline: LoadedManifest | undefined,
  startedAt: Date,
  signal: AbortSignal,
  emit: (e: ProgressEvent) => void,
  only: SuiteId[],
  opts: RunTestsOptions,
): Promise<Report> {
  const artifactSha256 = await sha256File(artifactPath(loaded));

  const suites: Report['suites'] = {};
  const gates: GateResult[] = [];
  const datasets: DatasetUse[] = [];
  const errors: string[] = [];
  const now = opts.now ?? new Date();
  // Why each suite did not run to the end; its declared gates become `not run` with this reason.
  const notRun = new Map<SuiteId, string>();
  for (const s of SUITES) if (!only.includes(s)) notRun.set(s, `this run was limited to ${only.join(', ')} (--only)`);
  const ran: SuiteId[] = [];
  let cancelled = signal.aborted;
  let predictor: Predictor | undefined;
  let server: { url: string; close(): Promise<void> } | undefined;
  try {
    if (!cancelled) {
      emit({ suite: 'serve', step: 'loading model in-process' });
      predictor = await createPredictor(loaded);
    }
    if (!cancelled && !signal.aborted) {
      if (opts.url) {
        await checkServes(opts.url, loaded);
        server = { url: opts.url.replace(/\/+$/, ''), close: async () => undefined };
      } else {
        emit({ suite: 'serve', step: 'starting server' });
        const running = await startServer({ manifests: [loaded.path], host: '127.0.0.1', port: opts.port ?? 0, logger: false });
        server = running;
        emit({ suite: 'serve', step: 'serving', message: running.url });
      }
    }
    for (const suite of SUITES.filter((s) => only.includes(s))) {
      if (signal.aborted) {
        cancelled = true;
        break;
      }
      const ctx: SuiteContext = {
        loaded,
        url: server!.url,
        model: { name: loaded.manifest.metadata.name, version: loaded.manifest.metadata.version },
        predictor: predictor!,
        progress: (e) => emit({ ...e, suite }),
        signal,
        now,
        ...(opts.duration ? { duration: opts.duration } : {}),
        ...(opts.concurrency?.length ? { concurrency: opts.concurrency } : {}),
      };
      emit({ suite, step: 'starting', percent: 0 });
      try {
        if (suite === 'staleness') {
          const out = await runStalenessSuite(ctx);
          suites.staleness = out.result;
          gates.push(...out.gates);
          datasets.push(...(out.datasets ?? []));
        } else if (suite === 'metrics') {
          const out = await runMetricsSuite(ctx, baseline ? { baseline } : {});
          suites.metrics = out.result;
          gates.push(...out.gates);
          datasets.push(...(out.datasets ?? []));
        } else {
          const out = await runStressSuite(stressContextFrom(ctx, opts.stress));
          suites.stress = out.result;
          addCost(loaded, out.result);
          // A cancelled stress run reports partial points; its gates are not judged.
          if (out.result.cancelled) throw new SuiteCancelled();
          gates.push(...out.gates);
        }
        if (signal.aborted) throw new SuiteCancelled();
        ran.push(suite);
      } catch (err) {
        if (err instanceof SuiteCancelled || signal.aborted) {
          cancelled = true;
          break;
        }
        const message = `${suite} suite failed: ${(err as Error).message}`;
        errors.push(message);
        notRun.set(suite, message);
      }
      if (signal.aborted) {
        cancelled = true;
        break;
      }
    }
  } catch (err) {
    if (!(err instanceof SuiteCancelled) && !signal.aborted) throw err;
    cancelled = true;
  } finally {
    emit({ suite: 'serve', step: 'stopping server' });
    await server?.close().catch(() => undefined);
    await predictor?.close().catch(() => undefined);
  }
  for (const s of only) {
    if (!ran.includes(s) && !notRun.has(s)) notRun.set(s, cancelled ? `the run was cancelled before the ${s} suite finished` : `the ${s} suite did not run`);
  }
  const all = completeGates(
    loaded,
    now,
    SUITES,
    gates.filter((g) => !notRun.has(g.suite)),
    notRun,
  );
  explainMissingData(loaded, all, errors);
  const complete = !cancelled && errors.length === 0;
  return buildReport({
    loaded,
    startedAt,
    finishedAt: new Date(),
    suites,
    gates: all,
    errors,
    complete,
    cancelled,
    datasets,
    suitesRun: SUITES.filter((s) => ran.includes(s)),
    suitesNotRun: SUITES.filter((s) => !ran.includes(s)),
    ...(artifactSha256 ? { artifactSha256 } : {}),
  });
}

/**
 * Gates that could not run because a data file the manifest names is not
 * there (a pulled artifact holds no data) say which file and how to give it.
 */
function explainMissingData(loaded: LoadedManifest, gates: GateResult[], errors: string[]): void {
  const misses = (loaded.missingData ?? []).map((miss) => {
    const role = miss.field.replace(/^data\./, '').replace(/[[.].*$/, '');
    return {
      abs: resolveDataPath(loaded.dir, miss.file),
      role,
      why: `${miss.field} "${miss.file}" is not in ${loaded.dir} (a published model holds its model and manifest, not its data)`,
      next: `give the file on the command line: modelgate test ${loaded.path} --data ${role}=<csv> (a CSV with the same columns)`,
    };
  });
  if (misses.length === 0) return;
  // one file may serve several roles: name the role the suite reads it as
  const preferred = (suite: string): string[] => (suite === 'staleness' ? ['reference', 'current'] : ['validation']);
  for (const g of gates) {
    if (g.status !== 'not run' || !g.reason) continue;
    const hits = misses.filter((m) => g.reason!.includes(m.abs));
    const hit = hits.find((m) => preferred(g.suite).includes(m.role)) ?? hits[0];
    if (!hit) continue;
    g.reason = hit.why;
    g.nextStep = hit.next;
  }
  for (let i = 0; i < errors.length; i++) {
    const hits = misses.filter((m) => errors[i]!.includes(m.abs));
    const hit = hits.find((m) => m.role === 'validation') ?? hits[0];
    if (hit) errors[i] = `${errors[i]!.replace(/:.*$/, '')}: ${hit.why}; ${hit.next}`;
  }
}

/** Fails early, with a usable message, when --url does not serve this model version. */
async function checkServes(url: string, loaded: LoadedManifest): Promise<void> {
  const { name, version } = loaded.manifest.metadata;
  const status = `${url.replace(/\/+$/, '')}/v1/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
  let res: Response;
  try {
    res = await fetch(status);
  } catch (err) {
    throw new TestUsageError(
      `--url ${url}: cannot connect (${(err as Error).message}); start it with \`modelgate serve ${loaded.path}\` or leave --url out to let the test start its own server`,
    );
  }
  if (!res.ok) {
    throw new TestUsageError(
      `--url ${url} does not serve ${name} version ${version} (GET ${status} answered ${res.status}); serve this manifest there, or leave --url out`,
    );
  }
}

/** Cost per million predictions, when the stress suite measured a sustainable rate but did not price it. */
function addCost(loaded: LoadedManifest, stress: NonNullable<Report['suites']['stress']>): void {
  const perHour = loaded.manifest.cost?.perHour;
  const rps = stress.maxSustainableRps?.value;
  if (stress.costPerMillion || perHour === undefined || !rps || rps <= 0) return;
  stress.costPerMillion = { usd: (perHour / (rps * 3600)) * 1e6, perHour, rps };
}

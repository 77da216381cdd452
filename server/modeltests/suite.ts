// What every suite (stress, staleness, metrics) receives from the pipeline,
// and what it hands back. The pipeline owns the server and the predictor;
// suites only use them, report progress, and stop when the signal aborts.
import { isAbsolute, relative } from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import type { Predictor } from '../manifest/predict';
import type { DatasetUse, GateResult, ProgressEvent } from '../protocol/report';

export interface SuiteContext {
  loaded: LoadedManifest;
  /** Base URL of the server that serves this model, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** Model name and version as served (from the manifest's metadata). */
  model: { name: string; version: string };
  /** In-process predictions with the manifest's pre/post-processing (the unbatched reference path). */
  predictor: Predictor;
  /** Progress of this suite; the pipeline fills in `suite`. */
  progress(event: Omit<ProgressEvent, 'suite'>): void;
  /** Aborted on Ctrl-C or cancel from the editor: stop promptly, free what you started, then throw SuiteCancelled. */
  signal: AbortSignal;
  /** "Now" for ages (injectable so tests are deterministic). */
  now: Date;
  /** `--duration`: overrides slo.duration for each stress point (e.g. `2s`). */
  duration?: string;
  /** `--concurrency`: connection counts of the stress sweep, overriding slo.concurrency. */
  concurrency?: number[];
}

export interface SuiteOutput<R> {
  result: R;
  gates: GateResult[];
  /** The datasets the suite's gates were computed on, with rows read, used and dropped. */
  datasets?: DatasetUse[];
}

export class SuiteCancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'SuiteCancelled';
  }
}

/** Throws SuiteCancelled when the run was cancelled; call between steps. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new SuiteCancelled();
}

/** A file path as reports show it: relative to the working directory when that is shorter. */
export function displayPath(p: string): string {
  if (!isAbsolute(p)) return p;
  const r = relative(process.cwd(), p);
  return r && r.length < p.length ? r : p;
}

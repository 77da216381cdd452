// Custom requests that run the engine for the editor: tests with work-done
// progress and cancellation, publishing (cancellable until the manifest is
// written), and a local model server. The jobs run in an engine host, a child
// process (engineProcess.ts): a fresh one per run, and one that lives as long
// as the model server it serves. Configuration problems come back as
// ResponseErrors whose message says what and where, so the editor can show
// them as they are; a host that dies fails its request and says how.
import { dirname } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { buildStarterManifest } from '../../manifest/init';
import { SUITES } from '../../protocol/report';
import {
  CreateManifestRequest,
  DeployRequest,
  PublishRequest,
  RunTestsRequest,
  ScoreRequest,
  ServeRequest,
  ServerStatusNotification,
  StopRequest,
  VersionsRequest,
} from '../../protocol/lsp';
import type { EngineJob, EngineJobs } from '../../protocol/engineHost';
import { EngineJobError, EngineProcess, type HostCommand } from './engineProcess';
import { overallPercent, progressMessage } from './progressText';
import { publishedVersions } from './publishedVersions';
import { errorData, type ErrorData } from '../../protocol/errors';
import type { ProgressEvent } from '../../protocol/report';

// Progress arrives many times a second during stress points; the editor needs a few.
const PROGRESS_INTERVAL_MS = 200;

/**
 * A ModelGate error goes to the editor as RequestFailed with its code, exit
 * code and HTTP status in `data`, so the editor can offer the fix that fits;
 * anything else is a bug and goes as InternalError.
 */
export function toResponseError(err: unknown): ResponseError<ErrorData | undefined> {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof EngineJobError && err.error.cancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, message, undefined);
  const data = err instanceof EngineJobError ? err.error.data : errorData(err);
  return data ? new ResponseError(LSPErrorCodes.RequestFailed, message, data) : new ResponseError(ErrorCodes.InternalError, message, undefined);
}

/** Engine progress to work-done reports, at most one per PROGRESS_INTERVAL_MS unless `always` says so. */
function throttledProgress(
  workDone: WorkDoneProgressReporter,
  percentOf: (e: ProgressEvent) => number,
  always: (e: ProgressEvent) => boolean = () => false,
): (e: ProgressEvent) => void {
  let last = 0;
  const started = Date.now();
  return (e) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && !always(e)) return;
    last = now;
    const percent = percentOf(e);
    workDone.report(percent, progressMessage(e, { percent, elapsedMs: now - started }));
  };
}

export interface EngineRequestOptions {
  /** How to start the engine host (default: dist/engine.js beside this bundle). */
  host?: HostCommand;
}

export function registerEngineRequests(connection: Connection, opts: EngineRequestOptions = {}): void {
  const log = (line: string, stream: 'stdout' | 'stderr') => {
    if (stream === 'stderr') connection.console.error(`engine: ${line}`);
    else connection.console.log(`engine: ${line}`);
  };

  /** One job in a fresh host, which leaves when the job is done; $/cancelRequest aborts it there. */
  async function inHost<J extends EngineJob>(
    job: J,
    params: EngineJobs[J]['params'],
    cli: string,
    token: CancellationToken,
    onProgress?: (e: EngineJobs[J]['progress']) => void,
  ): Promise<EngineJobs[J]['result']> {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    let host: EngineProcess | undefined;
    try {
      host = new EngineProcess({ log, command: opts.host });
      return await host.run(job, params, { cli, signal: controller.signal, onProgress });
    } finally {
      cancel.dispose();
      void host?.close();
    }
  }

  // The model server lives in a host of its own, kept between serve and stop.
  let serving: EngineProcess | undefined;
  let served: { url: string; models: { name: string; version: string }[]; manifests: string[] } | undefined;
  function servingHost(): EngineProcess {
    if (serving?.running) return serving;
    const host = new EngineProcess({
      log,
      command: opts.host,
      onRate: (requestsPerSecond) => {
        if (served && serving === host) void connection.sendNotification(ServerStatusNotification.type, { running: true, ...served, requestsPerSecond });
      },
    });
    void host.closed.then(() => {
      if (serving !== host) return;
      serving = undefined;
      if (served) {
        connection.console.error(
          `modelgate: the engine serving ${served.url} stopped; the model server is gone (see the engine lines above). Serve again to restart it.`,
        );
        served = undefined;
        void connection.sendNotification(ServerStatusNotification.type, { running: false });
      }
    });
    serving = host;
    return host;
  }

  connection.onRequest(RunTestsRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const suites = params.only?.length ? params.only : [...SUITES];
    // The client shows the cancel button and cancels the request itself ($/cancelRequest).
    workDone.begin('ModelGate: running tests', 0, params.manifest, false);
    try {
      const cli = `modelgate test ${params.manifest}${params.only?.length ? ` --only ${params.only.join(',')}` : ''}`;
      return await inHost(
        'runTests',
        params,
        cli,
        token,
        throttledProgress(workDone, (e) => overallPercent(suites, e) ?? 0),
      );
    } catch (err) {
      throw toResponseError(err);
    } finally {
      workDone.done();
    }
  });

  connection.onRequest(ServeRequest.type, async (params) => {
    // Starting replaces (stops) a running server, so until the new one is up nothing is served.
    served = undefined;
    const cli = `modelgate serve ${params.manifests.join(' ')}`;
    try {
      const host = servingHost();
      const result = await host.run('serve', params, { cli });
      served = { url: result.url, models: result.models, manifests: [...params.manifests] };
      void connection.sendNotification(ServerStatusNotification.type, { running: true, ...served, requestsPerSecond: 0 });
      return result;
    } catch (err) {
      // a failed start leaves nothing served: the host goes too
      const host = serving;
      serving = undefined;
      void host?.close();
      void connection.sendNotification(ServerStatusNotification.type, { running: false });
      throw toResponseError(err);
    }
  });

  connection.onRequest(StopRequest.type, async () => {
    served = undefined;
    const host = serving;
    serving = undefined;
    if (!host?.running) {
      void connection.sendNotification(ServerStatusNotification.type, { running: false });
      return { stopped: false };
    }
    try {
      return await host.run('stop', {}, { cli: 'modelgate serve' });
    } catch (err) {
      throw toResponseError(err);
    } finally {
      await host.close();
      void connection.sendNotification(ServerStatusNotification.type, { running: false });
    }
  });

  connection.onRequest(PublishRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    workDone.begin('ModelGate: publishing', 0, params.manifest, false);
    try {
      const cli = `modelgate publish ${params.manifest}${params.target ? ` --to ${params.target}` : ''}`;
      return await inHost('publish', params, cli, token, (e) => workDone.report(e.percent ?? 0, e.message));
    } catch (err) {
      throw toResponseError(err);
    } finally {
      workDone.done();
    }
  });

  connection.onRequest(DeployRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    // lint, then the suites, then publish: the bar moves through the suites as a test run's does
    workDone.begin('ModelGate: testing and deploying', 0, params.manifest, false);
    try {
      const onProgress = throttledProgress(
        workDone,
        (e) => (e.suite === 'publish' ? 100 : (overallPercent(SUITES, e) ?? 0)),
        (e) => e.suite === 'publish',
      );
      const cli = `modelgate deploy ${params.manifest}${params.target ? ` --to ${params.target}` : ''}`;
      return await inHost('deploy', params, cli, token, onProgress);
    } catch (err) {
      throw toResponseError(err);
    } finally {
      workDone.done();
    }
  });

  // Versions and CreateManifest stay in this process: Versions reads a layout
  // or registry index and never touches onnxruntime; CreateManifest reads the
  // model's signature through the same cached metadata load that linting
  // already does here, with no inference and no load. Neither measures
  // anything, so the host's plain flags would change nothing, and a process
  // per call would only add its start-up to a view refresh.
  connection.onRequest(VersionsRequest.type, async (params) => {
    try {
      return await publishedVersions(params);
    } catch (err) {
      throw toResponseError(err);
    }
  });

  connection.onRequest(CreateManifestRequest.type, async (params) => {
    try {
      const starter = await buildStarterManifest({ modelPath: params.model, outputPath: params.output, cwd: dirname(params.output) });
      return { text: starter.text, notes: starter.notes, files: starter.files };
    } catch (err) {
      throw toResponseError(err);
    }
  });

  connection.onRequest(ScoreRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    workDone.begin('ModelGate: scoring', 0, params.input ?? params.manifest, false);
    let last = 0;
    try {
      const cli = `modelgate score ${params.manifest}${params.input ? ` --input ${params.input}` : ''}`;
      return await inHost('score', params, cli, token, (e) => {
        if (Date.now() - last < PROGRESS_INTERVAL_MS) return;
        last = Date.now();
        workDone.report(e.percent ?? 0, e.message);
      });
    } catch (err) {
      throw toResponseError(err);
    } finally {
      workDone.done();
    }
  });

  // No shutdown hook of our own (server.ts owns onShutdown): when this process
  // exits, the IPC channel closes and every host exits with it.
}

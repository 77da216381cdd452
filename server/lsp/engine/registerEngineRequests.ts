// Custom requests that run the engine for the editor: tests with work-done
// progress and cancellation, publishing (cancellable until the manifest is
// written), and a local model server. Configuration problems
// come back as ResponseErrors whose message says what and where, so the editor
// can show them as they are.
import { dirname } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import { PublishCancelledError } from '../../publish';
import { buildStarterManifest } from '../../manifest/init';
import { runTests, SUITES } from '../../pipeline';
import { CreateManifestRequest, DeployRequest, PublishRequest, RunTestsRequest, ScoreRequest, ServeRequest, ServerStatusNotification, StopRequest, VersionsRequest } from '../../protocol/lsp';
import { LocalServer } from './localServer';
import { overallPercent, progressMessage } from './progressText';
import { deployManifest } from './deployManifest';
import { publishManifest } from './publishManifest';
import { publishedVersions } from './publishedVersions';
import { scoreFile } from './scoreFile';
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
  const data = errorData(err);
  return data ? new ResponseError(LSPErrorCodes.RequestFailed, message, data) : new ResponseError(ErrorCodes.InternalError, message, undefined);
}

/** Engine progress to work-done reports, at most one per PROGRESS_INTERVAL_MS unless `always` says so. */
function throttledProgress(workDone: WorkDoneProgressReporter, percentOf: (e: ProgressEvent) => number, always: (e: ProgressEvent) => boolean = () => false): (e: ProgressEvent) => void {
  let last = 0;
  return (e) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && !always(e)) return;
    last = now;
    workDone.report(percentOf(e), progressMessage(e));
  };
}

export function registerEngineRequests(connection: Connection): void {
  let served: { url: string; models: { name: string; version: string }[] } | undefined;
  const local = new LocalServer({
    onRate: (requestsPerSecond) => {
      if (served) void connection.sendNotification(ServerStatusNotification.type, { running: true, ...served, requestsPerSecond });
    },
  });

  connection.onRequest(RunTestsRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const suites = params.only?.length ? params.only : [...SUITES];
    // The client shows the cancel button and cancels the request itself ($/cancelRequest).
    workDone.begin('ModelGate: running tests', 0, params.manifest, false);
    try {
      const report = await runTests(params.manifest, {
        only: suites,
        duration: params.duration,
        concurrency: params.concurrency,
        url: params.url,
        signal: controller.signal,
        onProgress: throttledProgress(workDone, (e) => overallPercent(suites, e) ?? 0),
      });
      return { report };
    } catch (err) {
      throw toResponseError(err);
    } finally {
      cancel.dispose();
      workDone.done();
    }
  });

  connection.onRequest(ServeRequest.type, async (params) => {
    // Starting replaces (stops) a running server, so until the new one is up nothing is served.
    served = undefined;
    try {
      const result = await local.start(params);
      served = { url: result.url, models: result.models };
      void connection.sendNotification(ServerStatusNotification.type, { running: true, ...served, requestsPerSecond: 0 });
      return result;
    } catch (err) {
      if (!local.url) void connection.sendNotification(ServerStatusNotification.type, { running: false });
      throw toResponseError(err);
    }
  });

  connection.onRequest(StopRequest.type, async () => {
    served = undefined;
    const result = await local.stop();
    void connection.sendNotification(ServerStatusNotification.type, { running: false });
    return result;
  });
  connection.onRequest(PublishRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    workDone.begin('ModelGate: publishing', 0, params.manifest, false);
    try {
      return await publishManifest(params, (e) => workDone.report(e.percent ?? 0, e.message), controller.signal);
    } catch (err) {
      if (err instanceof PublishCancelledError) throw new ResponseError(LSPErrorCodes.RequestCancelled, err.message);
      throw toResponseError(err);
    } finally {
      cancel.dispose();
      workDone.done();
    }
  });

  connection.onRequest(DeployRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    // lint, then the suites, then publish: the bar moves through the suites as a test run's does
    workDone.begin('ModelGate: testing and deploying', 0, params.manifest, false);
    try {
      const onProgress = throttledProgress(workDone, (e) => (e.suite === 'publish' ? 100 : overallPercent(SUITES, e) ?? 0), (e) => e.suite === 'publish');
      return await deployManifest(params, onProgress, controller.signal);
    } catch (err) {
      throw toResponseError(err);
    } finally {
      cancel.dispose();
      workDone.done();
    }
  });

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
      return { text: starter.text, notes: starter.notes };
    } catch (err) {
      throw toResponseError(err);
    }
  });

  connection.onRequest(ScoreRequest.type, async (params, token) => {
    const workDone = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    workDone.begin('ModelGate: scoring', 0, params.input ?? params.manifest, false);
    let last = 0;
    try {
      return await scoreFile(params, (percent, message) => {
        if (Date.now() - last < PROGRESS_INTERVAL_MS) return;
        last = Date.now();
        workDone.report(percent, message);
      }, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, err instanceof Error ? err.message : String(err));
      throw toResponseError(err);
    } finally {
      cancel.dispose();
      workDone.done();
    }
  });

  // No shutdown hook of our own (server.ts owns onShutdown): the model server
  // lives in this process and its socket closes when the process exits.
}

// The messages between the language server and its engine host, the child
// process that runs engine jobs (dist/engine.js), over the Node IPC channel.
// The language server keeps the LSP side (work-done progress, cancel,
// ResponseErrors); the host runs the job and reports back. One job kind per
// engine request, each with its parameters, progress events and result.
import type { ErrorData } from './errors';
import type { DeployRequest, PublishRequest, RunTestsRequest, ScoreRequest, ServeRequest, StopRequest } from './lsp';
import type { ProgressEvent } from './report';

/** A step of a job that reports a share done and a line of text (publish, score). */
export interface PercentProgress {
  percent?: number;
  message: string;
}

export interface EngineJobs {
  runTests: { params: RunTestsRequest.Params; progress: ProgressEvent; result: RunTestsRequest.Result };
  deploy: { params: DeployRequest.Params; progress: ProgressEvent; result: DeployRequest.Result };
  publish: { params: PublishRequest.Params; progress: PercentProgress; result: PublishRequest.Result };
  score: { params: ScoreRequest.Params; progress: PercentProgress; result: ScoreRequest.Result };
  /** The local model server: the host that serves stays up until `stop`. */
  serve: { params: ServeRequest.Params; progress: never; result: ServeRequest.Result };
  stop: { params: StopRequest.Params; progress: never; result: StopRequest.Result };
}

export type EngineJob = keyof EngineJobs;

/** Language server → host. */
export type HostRequest =
  | { [J in EngineJob]: { type: 'start'; id: number; job: J; params: EngineJobs[J]['params'] } }[EngineJob]
  /** Abort the job (the LSP client sent $/cancelRequest). */
  | { type: 'cancel'; id: number };

/** How a job failed, as the LSP side needs it to pick the ResponseError. */
export interface HostError {
  message: string;
  /** A ModelGate error's code, exit code, hint and HTTP status; absent for a bug. */
  data?: ErrorData;
  /** The job stopped because it was cancelled (answered as RequestCancelled). */
  cancelled?: boolean;
  stack?: string;
}

/** Host → language server. */
export type HostEvent =
  /** Sent once when the host is ready to take jobs: which process runs the engine. */
  | { type: 'ready'; pid: number; execArgv: string[] }
  | { [J in EngineJob]: { type: 'progress'; id: number; job: J; event: EngineJobs[J]['progress'] } }[EngineJob]
  | { [J in EngineJob]: { type: 'result'; id: number; job: J; result: EngineJobs[J]['result'] } }[EngineJob]
  | { type: 'error'; id: number; error: HostError }
  /** The local model server's request rate changed (requests per second). */
  | { type: 'rate'; requestsPerSecond: number };

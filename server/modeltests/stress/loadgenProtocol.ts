// Messages between the stress suite and its load-generator child process.
// The child owns all sockets and clocks; the parent only plans and reports,
// so the load generator never shares an event loop with the server.

/** One measured run at one load level. */
export interface LoadJob {
  /** closed: `connections` connections, each sending back-to-back; open: fixed arrival rate. */
  mode: 'closed' | 'open';
  /** closed: connection count; open: most sockets the pacer may open. */
  connections: number;
  /** open mode: requests per second to offer. */
  rate?: number;
  durationS: number;
  /** Per-request timeout; a request still unanswered after it counts as a timeout. */
  timeoutS: number;
  /** Keep every n-th response body (with its row) for the correctness check; 0 = none. */
  captureEvery: number;
  /** Most captured responses to send back. */
  captureMax: number;
  /**
   * open mode: also offer the same rate to this trivial endpoint (another
   * process, no model), half an interval out of step, so the run measures
   * the machine's own latency beside the server's (the noise floor).
   */
  noiseUrl?: string;
  /** open mode: also return the latencies of each window of this many seconds (by release time), for a block bootstrap. */
  windowS?: number;
}

/** Latencies (µs) released in one time window of a run: how many, and the largest ones, descending. */
export interface LatencyWindow {
  count: number;
  /** The window's largest latencies, descending; all of them unless the window held more than TAIL_MAX. */
  tailUs: number[];
}

/** Most latencies kept per window: enough for an exact pooled p99 of up to ~100 windows at 5,000 rps. */
export const TAIL_MAX = 5000;

/** The same schedule against the trivial endpoint: what the machine and the generator add without any model. */
export interface NoiseRunResult {
  sent: number;
  responses: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  throughputRps: number;
  histogram: string;
  windows: LatencyWindow[];
}

/** One captured response under load: which body row was sent and what came back. */
export interface CapturedResponse {
  row: number;
  status: number;
  body: string;
}

export interface LoadRunResult {
  mode: 'closed' | 'open';
  /** closed: connections used; open: most sockets open at once. */
  connections: number;
  offeredRps?: number;
  /** Wall time from the first request to the last response, in seconds. */
  elapsedS: number;
  /** Responses received (any status). */
  responses: number;
  /** Requests sent. */
  sent: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  throughputRps: number;
  /** hdr-histogram-js compressed base64 of per-request latency in µs. */
  histogram: string;
  /** Counts per LOG_BUCKETS_US bucket (see latency.ts), for the report's histogram. */
  buckets: number[];
  /** Load generator CPU (user + system) over wall time, as a fraction of one core. */
  cpu: number;
  captured: CapturedResponse[];
  /** open mode: how late requests left compared with their schedule (µs). */
  sendLagUs?: { mean: number; max: number };
  /** open mode with `windowS`: the model endpoint's latencies per window. */
  windows?: LatencyWindow[];
  /** open mode with `noiseUrl`: the trivial endpoint's figures over the same run. */
  noise?: NoiseRunResult;
}

export type ParentMessage =
  | { type: 'init'; url: string; bodies: string[] }
  /** Become the trivial endpoint instead of a load generator (see noiseEndpoint.ts). */
  | { type: 'serve-trivial' }
  | { type: 'run'; id: number; job: LoadJob }
  | { type: 'exit' };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'trivial-listening'; url: string }
  | { type: 'result'; id: number; result: LoadRunResult }
  | { type: 'error'; id: number; message: string };

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
}

export type ParentMessage =
  | { type: 'init'; url: string; bodies: string[] }
  | { type: 'run'; id: number; job: LoadJob }
  | { type: 'exit' };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: LoadRunResult }
  | { type: 'error'; id: number; message: string };

// Sends a row range to the server in chunks, a few requests in flight, and
// turns transport failures and error answers into messages that say which
// rows and endpoint failed.
import { SuiteCancelled } from '../suite';

export interface HttpScoringOptions {
  rowsPerRequest?: number;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (doneRows: number, totalRows: number) => void;
  /** Ready-made JSON text of each row's instance (see instanceTexts), or a function building it, used only on the JSON path. */
  instanceText?: string[] | (() => string[] | undefined);
  /** Force the JSON path even where binary tensors fit. */
  json?: boolean;
}

export const DEFAULT_CONCURRENCY = 2;

export class HttpScoringError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpScoringError';
  }
}

/**
 * Runs the chunks [from, to) of `rows`, `concurrency` requests at a time;
 * `read` consumes each successful answer.
 */
export async function inFlight(
  endpoint: string,
  rows: number,
  rowsPerRequest: number,
  opts: HttpScoringOptions,
  request: (from: number, to: number) => { headers: Record<string, string>; body: string | Uint8Array<ArrayBuffer> },
  read: (res: Response, from: number, to: number) => Promise<void>,
): Promise<{ requests: number; elapsedMs: number; concurrency: number }> {
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const chunks: [number, number][] = [];
  for (let from = 0; from < rows; from += rowsPerRequest) chunks.push([from, Math.min(rows, from + rowsPerRequest)]);
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < chunks.length) {
      if (opts.signal?.aborted) throw new SuiteCancelled();
      const [from, to] = chunks[next++]!;
      let res: Response;
      try {
        res = await fetch(endpoint, { method: 'POST', ...request(from, to), signal: opts.signal });
      } catch (err) {
        if (opts.signal?.aborted) throw new SuiteCancelled();
        throw new HttpScoringError(`cannot reach ${endpoint}: ${(err as Error).message}. Is the server running?`);
      }
      if (!res.ok) {
        const text = await res.text();
        let reason = text.slice(0, 300);
        try {
          reason = (JSON.parse(text) as { error?: string }).error ?? reason;
        } catch {
          // not JSON: show the raw text
        }
        throw new HttpScoringError(`POST ${endpoint} (rows ${from}–${to - 1}) answered ${res.status}: ${reason}`, res.status);
      }
      await read(res, from, to);
      done += to - from;
      opts.onProgress?.(done, rows);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return { requests: chunks.length, elapsedMs: performance.now() - t0, concurrency };
}

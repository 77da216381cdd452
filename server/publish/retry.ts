// Bounded retries with exponential backoff for transient registry failures:
// HTTP 429 and 5xx, and network errors (refused, reset, timeouts).

export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  attempts?: number;
  /** First backoff delay in ms (default 250), doubled each time. */
  baseDelayMs?: number;
  /** Upper bound for one delay, including Retry-After (default 8000). */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

export function backoffDelay(attempt: number, opts: Required<RetryOptions>, retryAfterMs?: number): number {
  const exp = opts.baseDelayMs * 2 ** (attempt - 1);
  // up to 20 % jitter so parallel clients do not retry in lockstep
  const jittered = exp + Math.floor(exp * 0.2 * Math.random());
  return Math.min(opts.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After in seconds or as an HTTP date → milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// Polls a condition until it holds, for the few things that announce
// themselves by no event (a counter in /metrics, a process that only starts
// answering). Prefer an event when there is one. The deadline is generous:
// it only bounds a hang, it is not a measurement, and the error says what
// was awaited and what was last seen.
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; last?: () => unknown } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) {
      const seen = opts.last ? `; last seen: ${JSON.stringify(opts.last())}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}

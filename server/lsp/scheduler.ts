// Per-document validation timing: debounced while the user types, and a
// newer version cancels the older run, so stale results are never published.

export interface RunToken {
  readonly cancelled: boolean;
}

interface Pending {
  timer?: NodeJS.Timeout;
  token: { cancelled: boolean };
}

export class ValidationScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly run: (uri: string, version: number, token: RunToken) => Promise<void>,
    public debounceMs: number,
  ) {}

  /** Validates `uri` at `version` after the debounce (or at once), cancelling any older run. */
  schedule(uri: string, version: number, immediate = false): void {
    this.cancel(uri);
    const entry: Pending = { token: { cancelled: false } };
    const go = (): void => {
      entry.timer = undefined;
      this.run(uri, version, entry.token).finally(() => {
        if (this.pending.get(uri) === entry) this.pending.delete(uri);
      });
    };
    const delay = immediate ? 0 : this.debounceMs;
    if (delay <= 0) queueMicrotask(go);
    else entry.timer = setTimeout(go, delay);
    this.pending.set(uri, entry);
  }

  cancel(uri: string): void {
    const old = this.pending.get(uri);
    if (!old) return;
    old.token.cancelled = true;
    if (old.timer) clearTimeout(old.timer);
    this.pending.delete(uri);
  }

  dispose(): void {
    for (const uri of [...this.pending.keys()]) this.cancel(uri);
  }
}

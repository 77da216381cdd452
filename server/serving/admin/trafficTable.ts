// Which version answers a request that names neither a version nor a label,
// per model: a stable version, optionally a canary taking `weight` percent of
// those requests, and the stables that came before (for rollback). Requests
// naming a version or label never pass through here. The random source is
// injectable so tests can drive the split deterministically.
import type { DefaultRoute } from '../repository';

export interface Split {
  stable: string;
  canary?: string;
  /** Percent of unnamed requests sent to the canary, 0–100. */
  weight: number;
  /** Earlier stable versions, most recent last. */
  history: string[];
}

export class TrafficError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficError';
  }
}

export class TrafficTable implements DefaultRoute {
  private readonly splits = new Map<string, Split>();

  constructor(private readonly random: () => number = Math.random) {}

  pick(name: string): string | undefined {
    const s = this.splits.get(name);
    if (!s) return undefined;
    // random() is in [0, 1): weight 100 always picks the canary, 0 never does
    if (s.canary !== undefined && this.random() * 100 < s.weight) return s.canary;
    return s.stable;
  }

  stable(name: string): string | undefined {
    return this.splits.get(name)?.stable;
  }

  get(name: string): Readonly<Split> | undefined {
    const s = this.splits.get(name);
    return s && { ...s, history: [...s.history] };
  }

  /** Fixes the current default so that loading a higher version does not move traffic. */
  pin(name: string, version: string): void {
    if (!this.splits.has(name)) this.splits.set(name, { stable: version, weight: 0, history: [] });
  }

  /** All unnamed traffic to `version`; the old stable is remembered for rollback. */
  activate(name: string, version: string): Split {
    const s = this.splits.get(name);
    if (!s) {
      const fresh = { stable: version, weight: 0, history: [] };
      this.splits.set(name, fresh);
      return fresh;
    }
    if (s.stable !== version) s.history.push(s.stable);
    s.stable = version;
    delete s.canary;
    s.weight = 0;
    return s;
  }

  /** `weight` percent of unnamed traffic to `version`, the rest to the stable version. */
  canary(name: string, version: string, weight: number): Split {
    if (!Number.isFinite(weight) || weight < 0 || weight > 100)
      throw new TrafficError(`canary weight ${weight} is out of range; give a percentage from 0 to 100`);
    const s = this.splits.get(name);
    if (!s) throw new TrafficError(`model "${name}" has no stable version to split traffic with; activate one first`);
    if (s.stable === version) throw new TrafficError(`version ${version} of "${name}" is already the stable version; a canary must be another loaded version`);
    s.canary = version;
    s.weight = weight;
    return s;
  }

  /**
   * With a canary: drops it (all traffic back to the stable version).
   * Without: the previous stable version becomes stable again.
   */
  rollback(name: string): { from: string; to: string } {
    const s = this.splits.get(name);
    if (s?.canary !== undefined) {
      const from = s.canary;
      delete s.canary;
      s.weight = 0;
      return { from, to: s.stable };
    }
    const previous = s?.history.pop();
    if (!s || previous === undefined) throw new TrafficError(`model "${name}" has no earlier version to roll back to; activate a loaded version instead`);
    const from = s.stable;
    s.stable = previous;
    return { from, to: previous };
  }

  /** Forgets an unloaded version (history entries; the split itself must not use it). */
  forget(name: string, version: string): void {
    const s = this.splits.get(name);
    if (!s) return;
    s.history = s.history.filter((v) => v !== version);
    if (s.canary === version) {
      delete s.canary;
      s.weight = 0;
    }
  }

  /** Percent of unnamed traffic each of `versions` receives; `fallback` is what the repository serves without a split. */
  weights(name: string, versions: string[], fallback: string | undefined): Record<string, number> {
    const s = this.splits.get(name);
    const stable = s && versions.includes(s.stable) ? s.stable : fallback;
    const canary = s?.canary !== undefined && versions.includes(s.canary) ? s.canary : undefined;
    const out: Record<string, number> = {};
    for (const v of versions) out[v] = 0;
    if (stable !== undefined) out[stable] = canary ? 100 - s!.weight : 100;
    if (canary) out[canary] = s!.weight;
    return out;
  }
}

// What is served: model names → versions → servables, plus version labels.
// The default version of a model is its highest semantic version. Lookups
// are synchronous map reads, so a swap is atomic for every request.
import semver from 'semver';
import { notFound } from './errors';
import { v1VersionNumber } from './modelName';
import { publicPath, publicText } from './publicPath';
import type { Servable } from './servable';

export interface VersionSelector {
  version?: string;
  label?: string;
}

export interface ModelStatus {
  name: string;
  defaultVersion: string;
  versions: {
    version: string;
    /** TF Serving's integer version (v1VersionNumber), when the version has one. */
    versionNumber?: string;
    state: string;
    labels: string[];
    manifest: string;
    task: string;
    loadedAt: string;
    /** Worker threads computing this version (0: inline on the main thread), and why that many. */
    workers: number;
    workersReason: string;
    /** What was adjusted in batching and why (a model exported with a fixed batch size). */
    batchingNote?: string;
  }[];
  labels: Record<string, string>;
  lastError?: string;
}

/** Chooses the version for requests that name none (the admin API's traffic split). */
export interface DefaultRoute {
  /** A version of `name`, or undefined for the highest one. */
  pick(name: string): string | undefined;
  /** The version reported as the default. */
  stable(name: string): string | undefined;
}

interface Entry {
  versions: Map<string, Servable>;
  /** sorted highest first */
  order: string[];
  labels: Map<string, string>;
}

export class ModelRepository {
  private models = new Map<string, Entry>();
  /** Why the last reload of a model failed (cleared by a successful one). */
  readonly errors = new Map<string, string>();
  /** Set by the admin API; without it the highest version answers. */
  traffic: DefaultRoute | undefined;

  /** Adds or replaces (same name and version) a servable; returns the one it replaced. */
  put(s: Servable): Servable | undefined {
    let e = this.models.get(s.name);
    if (!e) {
      e = { versions: new Map(), order: [], labels: new Map() };
      this.models.set(s.name, e);
    }
    const old = e.versions.get(s.version);
    e.versions.set(s.version, s);
    this.reindex(e);
    return old;
  }

  /** Removes this servable if it is the one registered under its name and version. */
  remove(s: Servable): void {
    const e = this.models.get(s.name);
    if (!e || e.versions.get(s.version) !== s) return;
    e.versions.delete(s.version);
    if (e.versions.size === 0) this.models.delete(s.name);
    else this.reindex(e);
  }

  private reindex(e: Entry): void {
    e.order = [...e.versions.keys()].sort((a, b) => semver.rcompare(a, b));
    e.labels = new Map();
    // a label claimed by several versions points at the highest of them
    for (const v of [...e.order].reverse()) for (const l of e.versions.get(v)!.labels) e.labels.set(l, v);
  }

  has(name: string): boolean {
    return this.models.has(name);
  }

  names(): string[] {
    return [...this.models.keys()].sort();
  }

  all(): Servable[] {
    const out: Servable[] = [];
    for (const e of this.models.values()) for (const v of e.order) out.push(e.versions.get(v)!);
    return out;
  }

  versionsOf(name: string): Servable[] {
    const e = this.models.get(name);
    return e ? e.order.map((v) => e.versions.get(v)!) : [];
  }

  /** The servable for a name and an optional version or label; throws a 404 ServingError a user can act on. */
  resolve(name: string, sel: VersionSelector = {}): Servable {
    const e = this.models.get(name);
    if (!e) {
      const known = this.names();
      throw notFound(`model "${name}" is not served; served models: ${known.length ? known.join(', ') : '(none)'} (GET /v1/models lists them)`, 'MG321');
    }
    const version = sel.version;
    if (version !== undefined) {
      const wanted = /^\d+$/.test(version) ? version.replace(/^0+(?=\d)/, '') : undefined;
      const s = wanted !== undefined ? e.order.map((v) => e.versions.get(v)!).find((x) => v1VersionNumber(x.version) === wanted) : e.versions.get(version);
      if (!s) {
        const served = e.order.map((v) => {
          const n = v1VersionNumber(v);
          return n ? `${v} (${n})` : v;
        });
        throw notFound(`model "${name}" has no version ${version}; served versions: ${served.join(', ')}`, 'MG322');
      }
      return s;
    }
    if (sel.label !== undefined) {
      const v = e.labels.get(sel.label);
      if (!v) {
        const labels = [...e.labels.keys()];
        throw notFound(
          `model "${name}" has no version labelled "${sel.label}"; labels: ${labels.length ? labels.map((l) => `${l} → ${e.labels.get(l)}`).join(', ') : '(none; set serving.labels in a manifest)'}`,
          'MG323',
        );
      }
      return e.versions.get(v)!;
    }
    if (this.traffic) {
      const v = this.traffic.pick(name);
      const s = v === undefined ? undefined : e.versions.get(v);
      if (s) return s;
    }
    return e.versions.get(e.order[0]!)!;
  }

  status(name: string): ModelStatus | undefined {
    const e = this.models.get(name);
    if (!e) return undefined;
    const pinned = this.traffic?.stable(name);
    const out: ModelStatus = {
      name,
      defaultVersion: pinned !== undefined && e.versions.has(pinned) ? pinned : e.order[0]!,
      versions: e.order.map((v) => {
        const s = e.versions.get(v)!;
        return {
          version: v,
          ...(v1VersionNumber(v) ? { versionNumber: v1VersionNumber(v) } : {}),
          state: s.state,
          labels: [...e.labels].filter(([, lv]) => lv === v).map(([l]) => l),
          manifest: publicPath(s.manifestPath),
          task: s.task,
          loadedAt: s.loadedAt.toISOString(),
          workers: s.workerChoice.workers,
          workersReason: s.workerChoice.reason,
          ...(s.batching?.note ? { batchingNote: s.batching.note } : {}),
        };
      }),
      labels: Object.fromEntries(e.labels),
    };
    const err = this.errors.get(name);
    if (err) out.lastError = publicText(err);
    return out;
  }

  list(): ModelStatus[] {
    return this.names().map((n) => this.status(n)!);
  }
}

// Load, swap and unload model versions. Each manifest path is a slot holding
// the servable loaded from it. A reload builds and warms the new servable
// first, swaps it into the repository in one synchronous step, and only then
// unloads the old one once its in-flight requests are answered. If the new
// files are broken, the old version keeps serving and the error is logged.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ManifestError, resolveManifestPath } from '../manifest/load';
import { loadServable, type LoadOptions } from './loadServable';
import type { ModelRepository } from './repository';
import type { Servable } from './servable';

export interface LifecycleLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

interface Slot {
  path: string;
  current: Servable | undefined;
  watchers: FSWatcher[];
  timer: NodeJS.Timeout | undefined;
  loading: Promise<void> | undefined;
  again: boolean;
}

export interface ReloadEvent {
  path: string;
  ok: boolean;
  name?: string;
  version?: string;
  previousVersion?: string;
  error?: string;
}

/** Expands the CLI's `<manifest|dir>...`: a file, a directory with model.yaml, or a directory of model directories. */
export async function resolveManifestPaths(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) {
    const abs = resolve(a);
    let isDir = false;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      /* reported when loading */
    }
    if (!isDir) {
      out.push(abs);
      continue;
    }
    const direct = await resolveManifestPath(abs);
    if (await exists(direct)) {
      out.push(direct);
      continue;
    }
    const found: string[] = [];
    for (const name of (await readdir(abs)).sort()) {
      const p = join(abs, name, 'model.yaml');
      if (await exists(p)) found.push(p);
    }
    if (found.length === 0)
      throw new ManifestError(direct, [], `no model.yaml in ${abs} or in its subdirectories; pass a manifest file or a directory holding model.yaml`);
    out.push(...found);
  }
  return [...new Set(out)];
}

async function exists(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

export class ModelLifecycle {
  private slots: Slot[] = [];
  private closed = false;
  /** Called after every reload attempt (tests and the CLI listen). */
  onReload: ((e: ReloadEvent) => void) | undefined;

  constructor(
    private readonly repo: ModelRepository,
    private readonly opts: LoadOptions,
    private readonly log: LifecycleLogger,
  ) {}

  /** Loads every manifest; fails with every error at once if any is unusable or two claim the same name and version. */
  async loadAll(paths: string[]): Promise<Servable[]> {
    const results = await Promise.allSettled(paths.map((p) => loadServable(p, this.opts)));
    const loaded: Servable[] = [];
    const errors: Error[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') loaded.push(r.value);
      else errors.push(r.reason as Error);
    }
    const seen = new Map<string, Servable>();
    for (const s of loaded) {
      const key = `${s.name}@${s.version}`;
      const other = seen.get(key);
      if (other)
        errors.push(
          new Error(
            `model ${s.name} version ${s.version} is declared by both ${other.manifestPath} and ${s.manifestPath}; give one of them another metadata.version`,
          ),
        );
      seen.set(key, s);
    }
    if (errors.length) {
      await Promise.all(loaded.map((s) => s.unload()));
      throw errors.length === 1 ? errors[0] : new AggregateError(errors, errors.map((e) => e.message).join('\n'));
    }
    for (const s of loaded) {
      this.repo.put(s);
      this.opts.metrics.reloads.labels(s.name, 'ok').inc();
      this.slots.push({ path: s.manifestPath, current: s, watchers: [], timer: undefined, loading: undefined, again: false });
    }
    return loaded;
  }

  /** Loads and warms one more manifest (the admin API); refuses a name and version already served. */
  async add(path: string, opts: { semantic?: boolean } = {}): Promise<Servable> {
    const s = await loadServable(path, { ...this.opts, ...opts });
    const clash = this.repo.versionsOf(s.name).find((o) => o.version === s.version);
    if (this.closed || clash) {
      await s.unload();
      if (clash) throw new Error(`${s.name} ${s.version} is already served (from ${clash.manifestPath}); unload it first or publish another metadata.version`);
      throw new Error('the server is shutting down');
    }
    this.repo.put(s);
    this.opts.metrics.reloads.labels(s.name, 'ok').inc();
    this.slots.push({ path: s.manifestPath, current: s, watchers: [], timer: undefined, loading: undefined, again: false });
    this.log.info({ manifest: s.manifestPath, model: s.name, version: s.version }, `loaded ${s.name} ${s.version}`);
    return s;
  }

  /** Takes one version out of the repository at once, then drains and closes it. */
  async unloadVersion(name: string, version: string): Promise<boolean> {
    const s = this.repo.versionsOf(name).find((o) => o.version === version);
    if (!s) return false;
    this.repo.remove(s);
    for (const slot of this.slots.filter((sl) => sl.current === s)) {
      for (const w of slot.watchers) w.close();
      if (slot.timer) clearTimeout(slot.timer);
    }
    this.slots = this.slots.filter((sl) => sl.current !== s);
    this.log.info({ model: name, version }, `unloading ${name} ${version}`);
    await s.unload();
    return true;
  }

  /** Reloads one manifest now (also what the file watcher calls). */
  reload(path: string): Promise<void> {
    const slot = this.slots.find((s) => s.path === path);
    if (!slot) return Promise.reject(new Error(`${path} is not served`));
    if (slot.loading) {
      slot.again = true;
      return slot.loading;
    }
    slot.loading = this.doReload(slot).finally(() => {
      slot.loading = undefined;
      if (slot.again && !this.closed) {
        slot.again = false;
        void this.reload(slot.path);
      }
    });
    return slot.loading;
  }

  private async doReload(slot: Slot): Promise<void> {
    const old = slot.current;
    let next: Servable;
    try {
      next = await loadServable(slot.path, this.opts);
    } catch (err) {
      const msg = (err as Error).message;
      const name = old?.name ?? basename(dirname(slot.path));
      this.repo.errors.set(name, msg);
      this.opts.metrics.reloads.labels(name, 'failed').inc();
      this.log.error(
        { manifest: slot.path, model: old?.name, keptVersion: old?.version },
        `reload failed; version ${old?.version ?? '(none)'} keeps serving: ${msg}`,
      );
      this.onReload?.({ path: slot.path, ok: false, name: old?.name, version: old?.version, error: msg });
      return;
    }
    if (this.closed) {
      await next.unload();
      return;
    }
    const clash = this.repo.versionsOf(next.name).find((s) => s.version === next.version && s !== old);
    if (clash) {
      await next.unload();
      const msg = `${slot.path} now declares ${next.name} ${next.version}, which ${clash.manifestPath} already serves; change metadata.version`;
      this.repo.errors.set(next.name, msg);
      this.log.error({ manifest: slot.path }, `reload refused: ${msg}`);
      this.onReload?.({ path: slot.path, ok: false, name: next.name, version: old?.version, error: msg });
      return;
    }
    // The swap: one synchronous step, so every request sees old or new.
    this.repo.put(next);
    if (old && (old.name !== next.name || old.version !== next.version)) this.repo.remove(old);
    slot.current = next;
    this.repo.errors.delete(next.name);
    this.opts.metrics.reloads.labels(next.name, 'ok').inc();
    this.log.info(
      { manifest: slot.path, model: next.name, version: next.version, previous: old?.version },
      `loaded ${next.name} ${next.version}${old ? ` (was ${old.version})` : ''}`,
    );
    this.onReload?.({ path: slot.path, ok: true, name: next.name, version: next.version, previousVersion: old?.version });
    if (old) {
      old.unload().catch((err) => this.log.warn({ model: old.name, version: old.version }, `closing the old session failed: ${(err as Error).message}`));
    }
  }

  /** Watches each manifest and its artifact (through their directories, since editors replace files). */
  watch(debounceMs = 150): void {
    for (const slot of this.slots) this.watchSlot(slot, debounceMs);
  }

  private watchSlot(slot: Slot, debounceMs: number): void {
    for (const w of slot.watchers) w.close();
    slot.watchers = [];
    const files = new Set([slot.path, ...(slot.current ? [slot.current.artifact] : [])]);
    const byDir = new Map<string, Set<string>>();
    for (const f of files) {
      const d = dirname(f);
      if (!byDir.has(d)) byDir.set(d, new Set());
      byDir.get(d)!.add(basename(f));
    }
    for (const [dir, names] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, filename) => {
          if (filename && !names.has(filename.toString())) return;
          if (slot.timer) clearTimeout(slot.timer);
          slot.timer = setTimeout(() => {
            slot.timer = undefined;
            void this.reload(slot.path).then(() => {
              // the artifact path may have changed with the manifest
              if (!this.closed && slot.current && !files.has(slot.current.artifact)) this.watchSlot(slot, debounceMs);
            });
          }, debounceMs);
        });
        w.on('error', (err) => this.log.warn({ dir }, `watching ${dir} failed: ${err.message}`));
        slot.watchers.push(w);
      } catch (err) {
        this.log.warn({ dir }, `cannot watch ${dir}: ${(err as Error).message}`);
      }
    }
  }

  /** Stops watching, waits for reloads in progress, drains and unloads every version. */
  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) {
      for (const w of slot.watchers) w.close();
      if (slot.timer) clearTimeout(slot.timer);
    }
    await Promise.all(this.slots.map((s) => s.loading?.catch(() => undefined)));
    const all = this.repo.all();
    for (const s of all) this.repo.remove(s);
    await Promise.all(all.map((s) => s.unload()));
  }
}

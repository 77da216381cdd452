// What the language services know about files next to a manifest: the ONNX
// model's inputs and outputs, CSV headers, directory listings. Completion and
// hover must answer while the user types, so a request gets the last known
// value at once (refreshed in the background when older than `ttlMs`) and
// waits for a first load only up to a small budget.
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { readHeader } from '../manifest/dataset';
import { loadModelMetadata, type ModelMetadata } from '../runtime/onnx';

export interface Known<T> {
  value?: T;
  /** Why the value could not be read, for the user. */
  error?: string;
}

interface Entry<T> extends Known<T> {
  at: number;
  pending?: Promise<void>;
  /** Change stamp of the file the value was read from. */
  stamp?: string;
}

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

class Cache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: string, previous: Entry<T> | undefined) => Promise<Entry<T>>,
  ) {}

  private refresh(key: string, entry: Entry<T> | undefined): Entry<T> {
    const e: Entry<T> = entry ?? { at: 0 };
    e.pending = this.load(key, entry)
      .then(
        (fresh) => {
          e.value = fresh.value;
          e.error = fresh.error;
          e.stamp = fresh.stamp;
        },
        (err: unknown) => {
          e.value = undefined;
          e.error = (err as Error).message;
        },
      )
      .finally(() => {
        e.at = Date.now();
        e.pending = undefined;
      });
    this.entries.set(key, e);
    return e;
  }

  /** Starts a load when nothing fresh is known; never waits. */
  touch(key: string): Entry<T> {
    const e = this.entries.get(key);
    if (!e) return this.refresh(key, undefined);
    if (!e.pending && Date.now() - e.at > this.ttlMs) this.refresh(key, e);
    return e;
  }

  /** The known value now, or the first load if it ends within `budgetMs`. */
  async get(key: string, budgetMs: number): Promise<Known<T> & { pending: boolean }> {
    const e = this.touch(key);
    if (e.at === 0 && e.pending) await within(e.pending, budgetMs);
    return { value: e.value, error: e.error, pending: e.at === 0 };
  }

  /** Waits for the current load, however long it takes (background warm-up, tests). */
  async settle(key: string): Promise<Known<T>> {
    const e = this.touch(key);
    if (e.pending) await e.pending;
    return { value: e.value, error: e.error };
  }
}

function within(p: Promise<unknown>, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    p.finally(() => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function fileStamp(path: string): Promise<string> {
  const st = await stat(path);
  return `${st.mtimeMs}:${st.size}`;
}

export class FileFacts {
  readonly models: Cache<ModelMetadata>;
  readonly headers: Cache<string[]>;
  readonly dirs: Cache<DirEntry[]>;
  readonly exists: Cache<boolean>;

  constructor(ttlMs = 1000) {
    // loadModelMetadata keeps its own cache keyed by mtime, shared with validation.
    this.models = new Cache(ttlMs, async (path) => ({ at: 0, value: await loadModelMetadata(path) }));
    this.headers = new Cache(ttlMs, async (path, previous) => {
      const stamp = await fileStamp(path);
      if (previous?.stamp === stamp && previous.value) return { at: 0, stamp, value: previous.value };
      return { at: 0, stamp, value: await readHeader(path) };
    });
    this.dirs = new Cache(ttlMs, async (dir) => {
      const list: Dirent[] = await readdir(dir, { withFileTypes: true });
      return { at: 0, value: list.map((d) => ({ name: d.name, isDirectory: d.isDirectory() })) };
    });
    this.exists = new Cache(ttlMs, async (path) => {
      try {
        await stat(path);
        return { at: 0, value: true };
      } catch {
        return { at: 0, value: false };
      }
    });
  }
}

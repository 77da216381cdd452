// ArtifactStore over an OCI image layout directory (image-spec
// image-layout.md): `oci-layout`, `index.json`, `blobs/sha256/<hex>`. Tags
// are `org.opencontainers.image.ref.name` annotations in index.json, which
// is what `skopeo inspect oci:DIR:TAG` looks up.
//
// Crash safety: every file is written to a temp file in `.tmp/`, fsynced
// and renamed into place; blobs land before the manifest that names them,
// and index.json is replaced last. A crash at any point leaves the previous,
// consistent layout (plus at most some unreferenced blobs).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore, OciDescriptor, OciIndex } from './artifactStore';
import { DigestMismatchError, digestHex, digestOf, isDigest } from './digest';
import { ANNOTATION, OCI_INDEX } from './mediaTypes';
import type { LayoutTarget } from './reference';
import type { BlobSource, FetchedManifest, PutManifestResult, ReferrerDescriptor } from './registryClient';
import { delay } from './retry';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

const LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: '1.0.0' });

export class LayoutError extends ModelGateError {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(ERROR_CODES.layout, message, 2);
  }
}

export class LayoutStore implements ArtifactStore {
  readonly location: string;
  readonly dir: string;

  constructor(readonly target: LayoutTarget) {
    this.dir = target.dir;
    this.location = target.dir;
  }

  private blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  private tmpPath(): string {
    return join(this.dir, '.tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /** Creates the skeleton on first write; checks an existing one is a layout. */
  private async ensureLayout(): Promise<void> {
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(this.dir, '.tmp'), { recursive: true });
    let existing: string | undefined;
    try {
      existing = await readFile(join(this.dir, 'oci-layout'), 'utf8');
    } catch {
      await this.writeAtomic(join(this.dir, 'oci-layout'), Buffer.from(LAYOUT_FILE));
    }
    if (existing !== undefined) {
      let version: unknown;
      try {
        version = (JSON.parse(existing) as { imageLayoutVersion?: unknown }).imageLayoutVersion;
      } catch {
        /* reported below */
      }
      if (version !== '1.0.0')
        throw new LayoutError(this.dir, `${join(this.dir, 'oci-layout')} is not an OCI image layout 1.0.0 marker; choose another directory or remove it`);
    }
    try {
      await stat(join(this.dir, 'index.json'));
    } catch {
      await this.writeIndex({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
    }
  }

  private async writeAtomic(dest: string, data: Buffer): Promise<void> {
    const tmp = this.tmpPath();
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async readIndex(): Promise<OciIndex> {
    let text: string;
    try {
      text = await readFile(join(this.dir, 'index.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
      throw err;
    }
    try {
      const idx = JSON.parse(text) as OciIndex;
      if (!Array.isArray(idx.manifests)) throw new Error('no manifests array');
      return idx;
    } catch (err) {
      throw new LayoutError(
        this.dir,
        `${join(this.dir, 'index.json')} is not a valid OCI index (${(err as Error).message}); restore it or publish into a new directory`,
      );
    }
  }

  private async writeIndex(idx: OciIndex): Promise<void> {
    await this.writeAtomic(join(this.dir, 'index.json'), Buffer.from(JSON.stringify(idx, null, 2) + '\n'));
  }

  /**
   * Serialises read-modify-write of index.json between processes with an
   * O_EXCL lock file holding the owner's pid; a lock left by a dead process
   * is taken over.
   */
  private async withIndexLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = join(this.dir, 'index.json.lock');
    const deadline = Date.now() + 10_000;
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      try {
        const fh = await open(lock, 'wx');
        await fh.writeFile(String(process.pid));
        await fh.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
        if (owner && owner !== process.pid && !isAlive(owner)) {
          await unlink(lock).catch(() => undefined);
          continue;
        }
        if (Date.now() > deadline) {
          throw new LayoutError(
            this.dir,
            `${lock} is held by process ${owner || '?'}; wait for that publish to finish, or delete the file if no modelgate process is running`,
          );
        }
        await delay(wait);
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  async pushBlob(blob: BlobSource, onBytes?: (sent: number) => void): Promise<boolean> {
    await this.ensureLayout();
    const dest = this.blobPath(blob.digest);
    try {
      if ((await stat(dest)).size === blob.size) return false;
    } catch {
      // absent: write it
    }
    const tmp = this.tmpPath();
    const hash = createHash('sha256');
    let written = 0;
    try {
      if (blob.data) {
        hash.update(blob.data);
        written = blob.data.length;
        const fh = await open(tmp, 'w');
        try {
          await fh.writeFile(blob.data);
          await fh.sync();
        } finally {
          await fh.close();
        }
      } else if (blob.path) {
        const src = createReadStream(blob.path);
        src.on('data', (c) => {
          hash.update(c as Buffer);
          written += (c as Buffer).length;
          onBytes?.(written);
        });
        const out = createWriteStream(tmp);
        await pipeline(src, out);
        const fh = await open(tmp, 'r+');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
      } else {
        throw new Error(`blob ${blob.digest} has neither data nor path`);
      }
      const actual = 'sha256:' + hash.digest('hex');
      if (actual !== blob.digest || written !== blob.size) {
        throw new DigestMismatchError(blob.path ? `${blob.path} changed while publishing` : 'blob', blob.digest, actual);
      }
      await rename(tmp, dest);
      onBytes?.(written);
      return true;
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async putManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PutManifestResult> {
    const digest = digestOf(bytes);
    const parsed = JSON.parse(bytes.toString('utf8')) as { artifactType?: string; config?: { mediaType?: string }; annotations?: Record<string, string> };
    // every blob the manifest names must already be here, as a registry would insist
    for (const d of referencedDescriptors(bytes)) {
      try {
        await stat(this.blobPath(d.digest));
      } catch {
        throw new LayoutError(this.dir, `manifest refers to blob ${d.digest} that is not in ${this.dir}; publish again`);
      }
    }
    await this.pushBlob({ digest, size: bytes.length, data: bytes });
    await this.withIndexLock(async () => {
      const idx = await this.readIndex();
      const entry: OciDescriptor = { mediaType, digest, size: bytes.length };
      const artifactType = parsed.artifactType ?? (mediaType === OCI_INDEX ? undefined : parsed.config?.mediaType);
      if (artifactType) entry.artifactType = artifactType;
      if (tag) {
        entry.annotations = { [ANNOTATION.refName]: tag };
        const title = parsed.annotations?.[ANNOTATION.title];
        if (title) entry.annotations[ANNOTATION.title] = title;
        // moving a tag: drop whatever held it before
        idx.manifests = idx.manifests.filter((m) => m.annotations?.[ANNOTATION.refName] !== tag);
      } else if (idx.manifests.some((m) => m.digest === digest)) {
        return;
      }
      idx.manifests.push(entry);
      await this.writeIndex(idx);
    });
    return { digest, subjectProcessed: false };
  }

  async getManifest(reference: string): Promise<FetchedManifest | undefined> {
    let desc: OciDescriptor | undefined;
    if (isDigest(reference)) {
      desc = (await this.readIndex()).manifests.find((m) => m.digest === reference);
      if (!desc) {
        try {
          await stat(this.blobPath(reference));
        } catch {
          return undefined;
        }
      }
    } else {
      desc = (await this.readIndex()).manifests.find((m) => m.annotations?.[ANNOTATION.refName] === reference);
      if (!desc) return undefined;
    }
    const digest = desc?.digest ?? reference;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.blobPath(digest));
    } catch {
      throw new LayoutError(this.dir, `index.json names manifest ${digest} but ${this.blobPath(digest)} is missing; the layout is damaged — publish again`);
    }
    const actual = digestOf(bytes);
    if (actual !== digest) throw new DigestMismatchError(`manifest ${digest} in ${this.dir}`, digest, actual);
    const mediaType = desc?.mediaType ?? (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
    return { bytes, mediaType, digest };
  }

  async listTags(): Promise<string[]> {
    const idx = await this.readIndex();
    return idx.manifests.map((m) => m.annotations?.[ANNOTATION.refName]).filter((t): t is string => !!t);
  }

  async fetchBlob(digest: string): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.blobPath(digest));
    } catch {
      throw new LayoutError(this.dir, `blob ${digest} is missing from ${this.dir}; the layout is damaged — publish again`);
    }
    const actual = digestOf(bytes);
    if (actual !== digest) throw new DigestMismatchError(`blob ${digest} in ${this.dir}`, digest, actual);
    return bytes;
  }

  async downloadBlob(digest: string, size: number | undefined, dest: string): Promise<void> {
    const src = this.blobPath(digest);
    const tmp = `${dest}.part-${process.pid}`;
    const hash = createHash('sha256');
    let n = 0;
    try {
      const rs = createReadStream(src);
      rs.on('data', (c) => {
        hash.update(c as Buffer);
        n += (c as Buffer).length;
      });
      await pipeline(rs, createWriteStream(tmp));
      const actual = 'sha256:' + hash.digest('hex');
      if (actual !== digest) throw new DigestMismatchError(`blob ${digest} in ${this.dir}`, digest, actual);
      if (size !== undefined && n !== size) throw new LayoutError(this.dir, `blob ${digest} in ${this.dir} has ${n} bytes, the manifest says ${size}`);
      await rename(tmp, dest);
    } catch (err) {
      await rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (err as NodeJS.ErrnoException).path === src) {
        throw new LayoutError(this.dir, `blob ${digest} is missing from ${this.dir}; the layout is damaged — publish again`);
      }
      throw err;
    }
  }

  async referrers(): Promise<ReferrerDescriptor[] | undefined> {
    return undefined; // a layout has no Referrers API; callers use the tag schema
  }
}

function referencedDescriptors(bytes: Buffer): OciDescriptor[] {
  const m = JSON.parse(bytes.toString('utf8')) as { config?: OciDescriptor; layers?: OciDescriptor[]; manifests?: OciDescriptor[] };
  return [...(m.config ? [m.config] : []), ...(m.layers ?? []), ...(m.manifests ?? [])];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

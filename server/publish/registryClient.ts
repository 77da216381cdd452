// A small OCI distribution client on Node's global fetch. Blobs go up
// before manifests, HEAD first to skip existing ones; small blobs use the
// two-step upload (POST, then PUT ?digest= with the body — docker-registry
// 2.8 ignores a single-POST monolithic body), large ones the chunked upload
// (PATCH with Content-Range, then PUT ?digest=). Everything uploaded and
// downloaded is hashed and checked. Transient failures are retried with
// bounded exponential backoff.
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CredentialsProvider } from './credentials';
import { DigestMismatchError, digestOf, isDigest } from './digest';
import { DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_V2, OCI_INDEX, OCI_MANIFEST } from './mediaTypes';
import { RegistryAuth } from './registryAuth';
import { PublishCancelledError, RegistryError, RegistryUnreachableError, registryError } from './registryErrors';
import { DEFAULT_RETRY, backoffDelay, delay, isRetryableStatus, parseRetryAfter, type RetryOptions } from './retry';

declare const MODELGATE_VERSION: string;

export interface BlobSource {
  digest: string;
  size: number;
  /** In-memory content, or … */
  data?: Buffer;
  /** … a file read in chunks. */
  path?: string;
}

export interface RegistryClientOptions {
  /** host[:port] */
  registry: string;
  plainHttp?: boolean;
  credentials?: CredentialsProvider;
  retry?: RetryOptions;
  /** Blobs larger than this many bytes use the chunked upload (default 16 MiB). */
  chunkThreshold?: number;
  /** Size of one PATCH in a chunked upload (default 8 MiB). */
  chunkSize?: number;
  /** Per-request timeout in ms (default 120 000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Aborts requests in flight and refuses new ones (cancel from the editor). */
  signal?: AbortSignal;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

export interface PutManifestResult {
  digest: string;
  /** The registry processed `subject` (OCI-Subject header): no referrers fallback needed. */
  subjectProcessed: boolean;
}

export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_V2, DOCKER_MANIFEST_LIST];

type Actions = 'pull' | 'pull,push';

interface RequestSpec {
  op: string;
  method: string;
  url: string | URL;
  repo?: string;
  actions?: Actions;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Retry 429/5xx/network errors at this level (not for PATCH of a chunk). */
  retry?: boolean;
  /** No per-request timeout (streamed downloads). */
  noTimeout?: boolean;
}

export class RegistryClient {
  readonly registry: string;
  readonly baseUrl: string;
  readonly chunkThreshold: number;
  readonly chunkSize: number;
  private readonly retryOpts: Required<RetryOptions>;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;
  private readonly doFetch: typeof fetch;
  private readonly auth: RegistryAuth;
  private readonly userAgent: string;

  constructor(opts: RegistryClientOptions) {
    this.registry = opts.registry;
    this.baseUrl = `${opts.plainHttp ? 'http' : 'https'}://${opts.registry}`;
    this.chunkThreshold = opts.chunkThreshold ?? 16 * 1024 * 1024;
    this.chunkSize = Math.max(1, opts.chunkSize ?? 8 * 1024 * 1024);
    this.retryOpts = { ...DEFAULT_RETRY, ...opts.retry };
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.signal = opts.signal;
    this.doFetch = opts.fetch ?? fetch;
    this.userAgent = `modelgate/${typeof MODELGATE_VERSION === 'string' ? MODELGATE_VERSION : 'dev'}`;
    this.auth = new RegistryAuth(opts.registry, opts.credentials, this.doFetch, this.userAgent, this.timeoutMs);
  }

  /** The per-request timeout and the caller's cancel, whichever comes first. */
  private requestSignal(noTimeout: boolean | undefined): AbortSignal | undefined {
    const signals = [...(noTimeout ? [] : [AbortSignal.timeout(this.timeoutMs)]), ...(this.signal ? [this.signal] : [])];
    return signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  /**
   * One HTTP exchange with auth challenges answered and transient failures
   * retried. Returns the final response, whatever its status.
   */
  async request(spec: RequestSpec): Promise<Response> {
    const scope = spec.repo ? `repository:${spec.repo}:${spec.actions ?? 'pull'}` : undefined;
    const attempts = spec.retry === false ? 1 : this.retryOpts.attempts;
    let authRetried = false;
    for (let attempt = 1; ; attempt++) {
      if (this.signal?.aborted) throw new PublishCancelledError(spec.op);
      const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...spec.headers };
      const authHeader = this.auth.headerFor(scope);
      if (authHeader) headers.Authorization = authHeader;
      let res: Response;
      try {
        res = await this.doFetch(spec.url, {
          method: spec.method,
          headers,
          body: spec.body as unknown as BodyInit | undefined,
          redirect: 'follow',
          signal: this.requestSignal(spec.noTimeout),
        });
      } catch (err) {
        if (this.signal?.aborted) throw new PublishCancelledError(spec.op);
        if (attempt < attempts) {
          await delay(backoffDelay(attempt, this.retryOpts));
          continue;
        }
        throw new RegistryUnreachableError(this.registry, spec.op, err, attempt);
      }
      if (res.status === 401 && !authRetried) {
        authRetried = true;
        this.auth.invalidate(scope);
        if (await this.auth.answer(res.headers.get('www-authenticate'), scope)) {
          await res.body?.cancel();
          attempt--; // answering a challenge is not a failed attempt
          continue;
        }
        return res; // nothing to answer with: the caller reports the 401
      }
      if (isRetryableStatus(res.status) && attempt < attempts) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        await res.body?.cancel();
        await delay(backoffDelay(attempt, this.retryOpts, retryAfter));
        continue;
      }
      return res;
    }
  }

  private async fail(op: string, res: Response): Promise<never> {
    const text = await res.text().catch(() => '');
    throw registryError(this.registry, op, res.status, text, this.auth.credentialSource);
  }

  /** GET /v2/: reachable and authenticated. */
  async ping(): Promise<void> {
    const res = await this.request({ op: 'GET /v2/', method: 'GET', url: this.url('/v2/') });
    if (!res.ok) await this.fail('GET /v2/', res);
    await res.body?.cancel();
  }

  /** HEAD a blob; its size when present, undefined when not. */
  async blobExists(repo: string, digest: string, actions: Actions = 'pull'): Promise<number | undefined> {
    const op = `HEAD blob ${repo}@${digest}`;
    const res = await this.request({ op, method: 'HEAD', url: this.url(`/v2/${repo}/blobs/${digest}`), repo, actions });
    if (res.status === 404) return undefined;
    if (!res.ok) await this.fail(op, res);
    return Number(res.headers.get('content-length') ?? NaN);
  }

  /**
   * Uploads a blob unless the registry already has it. Returns false when it
   * was skipped. `onBytes` reports bytes sent so far.
   */
  async pushBlob(repo: string, blob: BlobSource, onBytes?: (sent: number) => void): Promise<boolean> {
    const existing = await this.blobExists(repo, blob.digest, 'pull,push');
    if (existing !== undefined && (Number.isNaN(existing) || existing === blob.size)) return false;
    // A failed upload session cannot be resumed reliably across registries;
    // start a fresh one, a bounded number of times.
    for (let attempt = 1; ; attempt++) {
      try {
        if (blob.size > this.chunkThreshold) await this.uploadChunked(repo, blob, onBytes);
        else await this.uploadTwoStep(repo, blob, onBytes);
        return true;
      } catch (err) {
        const transient = err instanceof RegistryUnreachableError || (err instanceof RegistryError && isRetryableStatus(err.status));
        if (!transient || attempt >= this.retryOpts.attempts) throw err;
        await delay(backoffDelay(attempt, this.retryOpts));
      }
    }
  }

  private async startUpload(repo: string, op: string): Promise<URL> {
    const res = await this.request({
      op,
      method: 'POST',
      url: this.url(`/v2/${repo}/blobs/uploads/`),
      repo,
      actions: 'pull,push',
      headers: { 'Content-Length': '0' },
    });
    if (res.status !== 202) await this.fail(op, res);
    await res.body?.cancel();
    return this.location(res, op);
  }

  private location(res: Response, op: string): URL {
    const loc = res.headers.get('location');
    if (!loc) throw new Error(`registry ${this.registry}: ${op} returned no upload Location; the registry does not follow the OCI distribution spec`);
    return new URL(loc, this.baseUrl);
  }

  private async finishUpload(repo: string, blob: BlobSource, location: URL, body: Buffer | undefined, op: string): Promise<void> {
    location.searchParams.set('digest', blob.digest);
    const res = await this.request({
      op,
      method: 'PUT',
      url: location,
      repo,
      actions: 'pull,push',
      retry: false,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body?.length ?? 0) },
      body: body ?? Buffer.alloc(0),
    });
    if (res.status !== 201 && res.status !== 204) await this.fail(op, res);
    await res.body?.cancel();
    const stored = res.headers.get('docker-content-digest');
    if (stored && isDigest(stored) && stored !== blob.digest)
      throw new DigestMismatchError(`registry ${this.registry} stored blob ${blob.digest}`, blob.digest, stored);
  }

  private async readAll(blob: BlobSource): Promise<Buffer> {
    if (blob.data) return blob.data;
    if (!blob.path) throw new Error(`blob ${blob.digest} has neither data nor path`);
    const chunks: Buffer[] = [];
    for await (const c of createReadStream(blob.path)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  private async uploadTwoStep(repo: string, blob: BlobSource, onBytes?: (sent: number) => void): Promise<void> {
    const op = `upload blob ${blob.digest} to ${repo}`;
    const data = await this.readAll(blob);
    // hash what is actually sent: a file edited after hashing must not be published under the old digest
    const actual = digestOf(data);
    if (actual !== blob.digest || data.length !== blob.size)
      throw new DigestMismatchError(blob.path ? `${blob.path} changed while publishing` : 'blob', blob.digest, actual);
    const location = await this.startUpload(repo, op);
    await this.finishUpload(repo, blob, location, data, op);
    onBytes?.(data.length);
  }

  private async uploadChunked(repo: string, blob: BlobSource, onBytes?: (sent: number) => void): Promise<void> {
    const op = `chunked upload of blob ${blob.digest} to ${repo}`;
    let location = await this.startUpload(repo, op);
    const hash = createHash('sha256');
    let offset = 0;
    const handle = blob.path ? await open(blob.path, 'r') : undefined;
    try {
      while (offset < blob.size) {
        const len = Math.min(this.chunkSize, blob.size - offset);
        let chunk: Buffer;
        if (handle) {
          chunk = Buffer.alloc(len);
          const { bytesRead } = await handle.read(chunk, 0, len, offset);
          if (bytesRead !== len)
            throw new DigestMismatchError(`${blob.path} changed while publishing (it is shorter than when it was hashed)`, blob.digest, 'unknown');
        } else {
          chunk = blob.data!.subarray(offset, offset + len);
        }
        hash.update(chunk);
        const res = await this.request({
          op,
          method: 'PATCH',
          url: location,
          repo,
          actions: 'pull,push',
          retry: false,
          headers: {
            'Content-Type': 'application/octet-stream',
            'Content-Range': `${offset}-${offset + len - 1}`,
            'Content-Length': String(len),
          },
          body: chunk,
        });
        if (res.status !== 202) await this.fail(op, res);
        await res.body?.cancel();
        // Range says what the registry holds: 0-<last byte>
        const range = res.headers.get('range');
        if (range && range !== `0-${offset + len - 1}`) {
          throw new Error(`registry ${this.registry}: ${op}: the registry holds bytes ${range} after sending up to ${offset + len - 1}; publish again`);
        }
        location = this.location(res, op);
        offset += len;
        onBytes?.(offset);
      }
    } finally {
      await handle?.close();
    }
    const actual = 'sha256:' + hash.digest('hex');
    if (actual !== blob.digest) throw new DigestMismatchError(blob.path ? `${blob.path} changed while publishing` : 'blob', blob.digest, actual);
    await this.finishUpload(repo, blob, location, undefined, op);
  }

  async putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string): Promise<PutManifestResult> {
    const op = `PUT manifest ${repo}:${reference}`;
    const res = await this.request({
      op,
      method: 'PUT',
      url: this.url(`/v2/${repo}/manifests/${reference}`),
      repo,
      actions: 'pull,push',
      headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
      body: bytes,
    });
    if (res.status !== 201 && res.status !== 200) await this.fail(op, res);
    await res.body?.cancel();
    const digest = digestOf(bytes);
    const stored = res.headers.get('docker-content-digest');
    if (stored && isDigest(stored) && stored !== digest)
      throw new DigestMismatchError(`registry ${this.registry} stored manifest ${repo}:${reference}`, digest, stored);
    return { digest, subjectProcessed: res.headers.has('oci-subject') };
  }

  /** GET a manifest by tag or digest; undefined when it does not exist. */
  async getManifest(repo: string, reference: string, accept: string[] = MANIFEST_ACCEPT): Promise<FetchedManifest | undefined> {
    const op = `GET manifest ${repo}${isDigest(reference) ? '@' : ':'}${reference}`;
    const res = await this.request({ op, method: 'GET', url: this.url(`/v2/${repo}/manifests/${reference}`), repo, headers: { Accept: accept.join(', ') } });
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) await this.fail(op, res);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = digestOf(bytes);
    if (isDigest(reference) && reference !== digest) throw new DigestMismatchError(`manifest ${repo}@${reference} from ${this.registry}`, reference, digest);
    const header = res.headers.get('docker-content-digest');
    if (header && isDigest(header) && header !== digest) throw new DigestMismatchError(`manifest ${repo}:${reference} from ${this.registry}`, header, digest);
    const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim() || mediaTypeOf(bytes);
    return { bytes, mediaType, digest };
  }

  async deleteManifest(repo: string, digest: string): Promise<void> {
    const op = `DELETE manifest ${repo}@${digest}`;
    const res = await this.request({ op, method: 'DELETE', url: this.url(`/v2/${repo}/manifests/${digest}`), repo, actions: 'pull,push' });
    if (!res.ok && res.status !== 404) await this.fail(op, res);
    await res.body?.cancel();
  }

  /** Every tag, following `Link: <…>; rel="next"` pagination. [] for an unknown repository. */
  async listTags(repo: string, pageSize = 1000): Promise<string[]> {
    const op = `list tags of ${repo}`;
    const tags: string[] = [];
    let next: URL | undefined = this.url(`/v2/${repo}/tags/list?n=${pageSize}`);
    for (let page = 0; next && page < 10_000; page++) {
      const res = await this.request({ op, method: 'GET', url: next, repo });
      if (res.status === 404) {
        const text = await res.text();
        if (tags.length === 0 && /NAME_UNKNOWN/.test(text)) return [];
        throw registryError(this.registry, op, 404, text, this.auth.credentialSource);
      }
      if (!res.ok) await this.fail(op, res);
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      next = nextLink(res.headers.get('link'), this.baseUrl);
    }
    return tags;
  }

  /**
   * GET /v2/<repo>/referrers/<digest>. The descriptors when the registry
   * implements the Referrers API; undefined when it does not (404), so the
   * caller falls back to the referrers tag schema.
   */
  async referrers(repo: string, digest: string, artifactType?: string): Promise<ReferrerDescriptor[] | undefined> {
    const op = `list referrers of ${repo}@${digest}`;
    let next: URL | undefined = this.url(`/v2/${repo}/referrers/${digest}${artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : ''}`);
    const out: ReferrerDescriptor[] = [];
    for (let page = 0; next && page < 1000; page++) {
      const res = await this.request({ op, method: 'GET', url: next, repo });
      if (res.status === 404 || res.status === 405) {
        await res.body?.cancel();
        return page === 0 ? undefined : out;
      }
      if (!res.ok) await this.fail(op, res);
      const type = res.headers.get('content-type') ?? '';
      if (!type.includes(OCI_INDEX) && !type.includes('json')) {
        await res.body?.cancel();
        return undefined;
      }
      const body = (await res.json()) as { manifests?: ReferrerDescriptor[] };
      let list = body.manifests ?? [];
      // registries that ignore the filter do not set OCI-Filters-Applied
      if (artifactType && !(res.headers.get('oci-filters-applied') ?? '').includes('artifactType')) list = list.filter((d) => d.artifactType === artifactType);
      out.push(...list);
      next = nextLink(res.headers.get('link'), this.baseUrl);
    }
    return out;
  }

  /** Streams a blob into `dest` (via a temp file), verifying size and digest. */
  async downloadBlob(repo: string, digest: string, size: number | undefined, dest: string): Promise<void> {
    const op = `GET blob ${repo}@${digest}`;
    for (let attempt = 1; ; attempt++) {
      const tmp = `${dest}.part-${process.pid}`;
      try {
        const res = await this.request({ op, method: 'GET', url: this.url(`/v2/${repo}/blobs/${digest}`), repo, noTimeout: true });
        if (!res.ok || !res.body) await this.fail(op, res);
        const hash = createHash('sha256');
        let received = 0;
        const source = Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream<Uint8Array>);
        source.on('data', (c: Buffer) => {
          hash.update(c);
          received += c.length;
        });
        await pipeline(source, createWriteStream(tmp));
        const actual = 'sha256:' + hash.digest('hex');
        if (actual !== digest) throw new DigestMismatchError(`blob ${repo}@${digest} from ${this.registry}`, digest, actual);
        if (size !== undefined && received !== size)
          throw new Error(`blob ${repo}@${digest} from ${this.registry} has ${received} bytes, the manifest says ${size}; the registry storage may be damaged`);
        await rename(tmp, dest);
        return;
      } catch (err) {
        await rm(tmp, { force: true });
        const transient =
          err instanceof RegistryUnreachableError || err instanceof TypeError || (err instanceof RegistryError && isRetryableStatus(err.status));
        if (!transient || attempt >= this.retryOpts.attempts) {
          if (err instanceof TypeError) throw new RegistryUnreachableError(this.registry, op, err, attempt);
          throw err;
        }
        await delay(backoffDelay(attempt, this.retryOpts));
      }
    }
  }

  /** Reads a (small) blob into memory, verifying its digest. */
  async fetchBlob(repo: string, digest: string): Promise<Buffer> {
    const op = `GET blob ${repo}@${digest}`;
    const res = await this.request({ op, method: 'GET', url: this.url(`/v2/${repo}/blobs/${digest}`), repo });
    if (!res.ok) await this.fail(op, res);
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = digestOf(bytes);
    if (actual !== digest) throw new DigestMismatchError(`blob ${repo}@${digest} from ${this.registry}`, digest, actual);
    return bytes;
  }
}

export interface ReferrerDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export function nextLink(link: string | null, base: string): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part.trim());
    if (m) return new URL(m[1]!, base);
  }
  return undefined;
}

function mediaTypeOf(bytes: Buffer): string {
  try {
    const mt = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
    return mt ?? OCI_MANIFEST;
  } catch {
    return OCI_MANIFEST;
  }
}

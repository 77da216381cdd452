// ArtifactStore over an OCI distribution registry.
import type { ArtifactStore } from './artifactStore';
import { digestOf } from './digest';
import { formatReference, type RegistryTarget } from './reference';
import {
  RegistryClient,
  type BlobSource,
  type FetchedManifest,
  type PutManifestResult,
  type ReferrerDescriptor,
  type RegistryClientOptions,
} from './registryClient';

export class RegistryStore implements ArtifactStore {
  readonly location: string;
  readonly client: RegistryClient;
  private readonly repo: string;

  constructor(
    readonly target: RegistryTarget,
    opts: Omit<RegistryClientOptions, 'registry' | 'plainHttp'> = {},
  ) {
    this.client = new RegistryClient({ ...opts, registry: target.registry, plainHttp: target.plainHttp });
    this.repo = target.repository;
    this.location = formatReference({ ...target, tag: undefined, digest: undefined });
  }

  pushBlob(blob: BlobSource, onBytes?: (sent: number) => void): Promise<boolean> {
    return this.client.pushBlob(this.repo, blob, onBytes);
  }

  putManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PutManifestResult> {
    return this.client.putManifest(this.repo, tag ?? digestOf(bytes), bytes, mediaType);
  }

  getManifest(reference: string): Promise<FetchedManifest | undefined> {
    return this.client.getManifest(this.repo, reference);
  }

  listTags(): Promise<string[]> {
    return this.client.listTags(this.repo);
  }

  fetchBlob(digest: string): Promise<Buffer> {
    return this.client.fetchBlob(this.repo, digest);
  }

  downloadBlob(digest: string, size: number | undefined, dest: string): Promise<void> {
    return this.client.downloadBlob(this.repo, digest, size, dest);
  }

  referrers(digest: string, artifactType?: string): Promise<ReferrerDescriptor[] | undefined> {
    return this.client.referrers(this.repo, digest, artifactType);
  }
}

// One repository of OCI content, wherever it lives: a registry
// (RegistryStore) or an OCI image layout directory (LayoutStore). Publish,
// pull, versions and referrers are written once against this interface.
import type { Target } from './reference';
import type { BlobSource, FetchedManifest, PutManifestResult, ReferrerDescriptor } from './registryClient';

export type { BlobSource, FetchedManifest, PutManifestResult, ReferrerDescriptor };

export interface ArtifactStore {
  readonly target: Target;
  /** For messages: `oci://host/repo` or the layout's absolute path. */
  readonly location: string;
  /** Stores a blob unless present; false when it was skipped. */
  pushBlob(blob: BlobSource, onBytes?: (sent: number) => void): Promise<boolean>;
  /** Stores a manifest (after its blobs), under `tag` or by digest only. */
  putManifest(bytes: Buffer, mediaType: string, tag?: string): Promise<PutManifestResult>;
  /** By tag or digest; undefined when absent. */
  getManifest(reference: string): Promise<FetchedManifest | undefined>;
  listTags(): Promise<string[]>;
  /** Small blobs (config, reports) into memory, digest-checked. */
  fetchBlob(digest: string): Promise<Buffer>;
  /** Any blob into a file (atomically), size- and digest-checked. */
  downloadBlob(digest: string, size: number | undefined, dest: string): Promise<void>;
  /** Referrers API result; undefined when the store has none (use the tag-schema fallback). */
  referrers(digest: string, artifactType?: string): Promise<ReferrerDescriptor[] | undefined>;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface OciImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  subject?: OciDescriptor;
  annotations?: Record<string, string>;
}

export interface OciIndex {
  schemaVersion: 2;
  mediaType: string;
  manifests: OciDescriptor[];
  annotations?: Record<string, string>;
}

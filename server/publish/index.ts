// The publishing API for the pipeline, the CLI and the language server.
export {
  publishModel,
  resolvePublishTarget,
  defaultLayoutDir,
  PublishError,
  type PublishOptions,
  type PublishResult,
  type PublishProgress,
} from './publishModel';
export { pullModel, PullError, type PullResult } from './pullModel';
export { listVersions, type VersionInfo } from './listVersions';
export { attachReport, listReferrers, referrersTag, type AttachResult } from './attachReport';
export { openStore, type StoreOptions } from './openStore';
export { PublishCancelledError } from './registryErrors';
export type { ArtifactStore } from './artifactStore';
export { parseReference, formatReference, type Target } from './reference';
export type { CredentialsProvider, RegistryCredentials } from './credentials';

// Kubernetes / KServe deployment of a published model artifact.
// Pure: generation, validation, rollout planning, YAML. Cluster I/O: apply.ts
// (loads @kubernetes/client-node 1.x on demand). docs/kubernetes.md.
export { generateInferenceService, DEFAULT_RUNTIME, type InferenceServiceInput, type ArtifactInput, type Revision } from './generateInferenceService';
export {
  generateStorageContainer,
  modelRepositoryPath,
  MODELGATE_URI_SCHEME,
  STORAGE_INITIALIZER_COMMAND,
  DEFAULT_CREDENTIALS_SECRET,
  CREDENTIAL_ENV,
  type StorageContainerOptions,
} from './generateStorageContainer';
export { storageUriFor, type ArtifactLocation } from './storageUri';
export { predictorResources, GPU_RESOURCE, type ResourceChoice } from './predictorResources';
export {
  revisionOf,
  previousRevisionOf,
  previousFor,
  stripServerFields,
  planRollback,
  planPromotion,
  checkModeChange,
  type RollbackInput,
} from './rolloutPlan';
export { renderYaml } from './renderYaml';
export { deploymentWarnings } from './deploymentWarnings';
export { validateObject, validateResources, predictorHostLabel, isClusterScoped, type ObjectProblem } from './validateObject';
export { isDns1123Label, isDns1123Subdomain, isQualifiedName, isLabelValue, toLabelValue, isInferenceServiceName } from './names';
export { isQuantity, parseQuantity, QUANTITY_PATTERN } from './quantity';
export { ANNOTATION, LABEL, KSERVE_DEPLOYMENT_MODE, DEPLOYMENT_MODE, MANAGED_BY } from './keys';
export { KServeError } from './kserveError';
export { describeApplyError, type ApplyTarget } from './describeApplyError';
export {
  connectCluster,
  loadKubernetesClient,
  CLIENT_PACKAGE,
  CLIENT_INSTALL,
  FIELD_MANAGER,
  type Cluster,
  type ClusterOptions,
  type AppliedObject,
} from './apply';
export type { KubeObject, InferenceService, ClusterStorageContainer, ResourceRequirements } from './objects';
export { isInferenceService } from './objects';

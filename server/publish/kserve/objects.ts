// The Kubernetes objects ModelGate writes, typed down to the fields it
// generates. KServe's CRDs allow far more; anything else is left to the
// cluster's defaults on purpose, so a server-side apply owns only these.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  // Present on objects read back from a cluster; stripped before re-applying.
  [serverField: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type Quantity = string;

export interface ResourceRequirements {
  requests?: Record<string, Quantity>;
  limits?: Record<string, Quantity>;
}

export interface ModelSpec {
  modelFormat: { name: string; version?: string };
  runtime?: string;
  protocolVersion?: 'v1' | 'v2' | 'grpc-v1' | 'grpc-v2';
  storageUri: string;
  resources?: ResourceRequirements;
}

export interface PredictorSpec {
  minReplicas?: number;
  maxReplicas?: number;
  canaryTrafficPercent?: number;
  model: ModelSpec;
}

export interface InferenceService extends KubeObject {
  apiVersion: 'serving.kserve.io/v1beta1';
  kind: 'InferenceService';
  spec: { predictor: PredictorSpec };
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}

export interface StorageContainerSpec {
  container: {
    name: 'storage-initializer';
    image: string;
    imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
    command: string[];
    env?: EnvVar[];
    resources?: ResourceRequirements;
    securityContext?: {
      allowPrivilegeEscalation?: boolean;
      runAsNonRoot?: boolean;
      capabilities?: { drop: string[] };
      seccompProfile?: { type: 'RuntimeDefault' };
    };
  };
  supportedUriFormats: Array<{ prefix: string } | { regex: string }>;
  workloadType?: 'initContainer' | 'localModelDownloadJob';
}

export interface ClusterStorageContainer extends KubeObject {
  apiVersion: 'serving.kserve.io/v1alpha1';
  kind: 'ClusterStorageContainer';
  spec: StorageContainerSpec;
}

export function isInferenceService(o: unknown): o is InferenceService {
  const k = o as Partial<KubeObject> | null;
  return !!k && k.apiVersion === 'serving.kserve.io/v1beta1' && k.kind === 'InferenceService' && !!k.metadata;
}

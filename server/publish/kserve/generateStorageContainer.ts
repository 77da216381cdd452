// How the cluster fetches a ModelGate artifact: a KServe ClusterStorageContainer
// for the `modelgate://` URI scheme. KServe runs its container as the
// predictor's storage-initializer init container with the arguments
// [storageUri, /mnt/models]; ours runs `modelgate pull`, which resolves the
// artifact by digest, verifies every blob and writes the model where the
// serving runtime (Triton) looks for it. docs/kubernetes.md explains why this
// was chosen over a modelcar image.
import { KServeError } from './kserveError';
import { LABEL, MANAGED_BY } from './keys';
import { isDns1123Subdomain } from './names';
import type { ClusterStorageContainer, EnvVar, ResourceRequirements } from './objects';
import { validateObject } from './validateObject';

export const MODELGATE_URI_SCHEME = 'modelgate://';

/**
 * What the init container runs. KServe appends its own args (the storage URI
 * and /mnt/models), so fixed flags live here and never in `args`.
 * `--layout triton` writes `<dest>/<model name>/1/model.onnx`, a Triton model
 * repository the kserve-tritonserver runtime loads with --model-store=/mnt/models.
 */
export const STORAGE_INITIALIZER_COMMAND = ['modelgate', 'pull', '--layout', 'triton'] as const;

/** Where the model lands inside the pod, relative to /mnt/models. */
export function modelRepositoryPath(modelName: string): string {
  return `${modelName}/1/model.onnx`;
}

/** Secret (type kubernetes.io/basic-auth) holding registry credentials, per namespace. */
export const DEFAULT_CREDENTIALS_SECRET = 'modelgate-registry';
/** The environment variables `modelgate pull` reads credentials from (server/publish/credentials.ts). */
export const CREDENTIAL_ENV = { username: 'MODELGATE_REGISTRY_USERNAME', password: 'MODELGATE_REGISTRY_PASSWORD' } as const;

export interface StorageContainerOptions {
  /** Image with `modelgate` on PATH (see docs/kubernetes.md for a Dockerfile). Required. */
  image: string;
  /** Name of the ClusterStorageContainer object (default `modelgate`). */
  name?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Secret with `username` / `password` keys, looked up in the namespace of
   * each InferenceService; optional, so anonymous registries work without it.
   * `null` leaves credentials out entirely.
   */
  credentialsSecret?: string | null;
  /** Pull over plain HTTP (an in-cluster registry without TLS): adds `--plain-http`. */
  plainHttp?: boolean;
  resources?: ResourceRequirements;
}

/** Same budget as KServe's default storage initializer: pulling streams to disk. */
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

export function generateStorageContainer(opts: StorageContainerOptions): ClusterStorageContainer {
  const image = opts.image?.trim() ?? '';
  if (!image || /\s/.test(image)) {
    throw new KServeError(
      `storage container: "${opts.image ?? ''}" is not an image reference; pass the image that contains the modelgate CLI, e.g. registry.example.com/tools/modelgate:0.1.0 (docs/kubernetes.md shows how to build it)`,
    );
  }
  const name = opts.name ?? 'modelgate';
  if (!isDns1123Subdomain(name)) {
    throw new KServeError(`storage container name "${name}" is not a DNS-1123 subdomain; use lowercase letters, digits, '-' and '.'`);
  }
  const command: string[] = [...STORAGE_INITIALIZER_COMMAND];
  if (opts.plainHttp) command.push('--plain-http');

  const secret = opts.credentialsSecret === undefined ? DEFAULT_CREDENTIALS_SECRET : opts.credentialsSecret;
  const env: EnvVar[] | undefined =
    secret === null
      ? undefined
      : [
          { name: CREDENTIAL_ENV.username, valueFrom: { secretKeyRef: { name: secret, key: 'username', optional: true } } },
          { name: CREDENTIAL_ENV.password, valueFrom: { secretKeyRef: { name: secret, key: 'password', optional: true } } },
        ];

  const csc: ClusterStorageContainer = {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ClusterStorageContainer',
    metadata: { name, labels: { [LABEL.managedBy]: MANAGED_BY } },
    spec: {
      container: {
        name: 'storage-initializer',
        image,
        ...(opts.imagePullPolicy ? { imagePullPolicy: opts.imagePullPolicy } : {}),
        command,
        ...(env ? { env } : {}),
        resources: opts.resources ?? DEFAULT_RESOURCES,
        securityContext: {
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
      // One prefix, owned only by us: KServe picks an arbitrary container when two claim a URI.
      supportedUriFormats: [{ prefix: MODELGATE_URI_SCHEME }],
      workloadType: 'initContainer',
    },
  };
  const problems = validateObject(csc);
  if (problems.length) {
    throw new KServeError(`storage container "${name}" would be rejected: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  return csc;
}

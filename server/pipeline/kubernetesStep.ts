// The KServe step of a deploy: the InferenceService for the published
// digest. --dry-run writes the YAML and applies nothing; otherwise it is
// server-side applied through connectCluster (which loads
// @kubernetes/client-node on demand and says how to install it).
import { writeFile } from 'node:fs/promises';
import type { LoadedManifest } from '../manifest/load';
import {
  checkModeChange,
  connectCluster,
  deploymentWarnings,
  generateInferenceService,
  isInferenceService,
  previousFor,
  renderYaml,
  type AppliedObject,
  type Cluster,
  type ClusterOptions,
  type InferenceServiceInput,
} from '../publish/kserve';

export interface KubernetesOutcome {
  yaml: string;
  /** Where the YAML was written (dry run). */
  yamlPath?: string;
  warnings: string[];
  applied?: AppliedObject[];
  context?: string;
}

export function wantsKubernetes(loaded: LoadedManifest, flag: boolean | undefined): boolean {
  return flag === true || loaded.manifest.deploy?.kubernetes !== undefined;
}

export async function kubernetesStep(input: {
  loaded: LoadedManifest;
  reference: string;
  digest: string;
  gated: boolean;
  gates: string;
  dryRun: boolean;
  yamlPath: string;
  /** Default connectCluster (kubeconfig + @kubernetes/client-node); tests pass a fake cluster. */
  connect?: (opts: ClusterOptions) => Promise<Cluster>;
}): Promise<KubernetesOutcome> {
  const manifest = input.loaded.manifest;
  const base: InferenceServiceInput = {
    manifest,
    artifact: { reference: input.reference, digest: input.digest, gated: input.gated, ...(input.gates ? { gates: input.gates } : {}) },
  };
  if (input.dryRun) {
    const isvc = generateInferenceService(base);
    const yaml = renderYaml([isvc]);
    await writeFile(input.yamlPath, yaml);
    return { yaml, yamlPath: input.yamlPath, warnings: deploymentWarnings(base) };
  }
  const k8s = manifest.deploy?.kubernetes ?? {};
  const cluster = await (input.connect ?? connectCluster)({
    ...(k8s.context ? { context: k8s.context } : {}),
    ...(k8s.namespace ? { namespace: k8s.namespace } : {}),
  });
  const draft = generateInferenceService(base);
  const stored = await cluster.read({
    apiVersion: draft.apiVersion,
    kind: draft.kind,
    metadata: { name: draft.metadata.name, namespace: draft.metadata.namespace ?? cluster.namespace },
  });
  const current = stored && isInferenceService(stored) ? stored : undefined;
  const previous = previousFor(current, input.digest);
  const input2: InferenceServiceInput = previous ? { ...base, previous } : base;
  const isvc = generateInferenceService(input2);
  checkModeChange(current, isvc);
  const applied = await cluster.apply([isvc]);
  return { yaml: renderYaml([isvc]), warnings: deploymentWarnings(input2), applied, context: cluster.context };
}

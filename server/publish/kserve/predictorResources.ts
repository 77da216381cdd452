// Container resources for the predictor, from the manifest's serving section.
// Requests equal limits so the pod gets the Guaranteed QoS class: the latency
// SLO was measured with a fixed CPU budget, and a throttled or evicted
// Burstable pod would not meet it.
import type { ModelManifest } from '../../manifest/types';
import type { ResourceRequirements } from './objects';

const GI = 2 ** 30;
/** lean: KServe's own default for the Triton runtime; mega: a dedicated-size pod. */
const BASE_MEMORY_GI = { lean: 2, mega: 8 } as const;
export const GPU_RESOURCE = 'nvidia.com/gpu';

export interface ResourceChoice {
  resources: ResourceRequirements;
  /** How each number was chosen, for --dry-run output and docs. */
  reasons: string[];
}

/**
 * cpu = serving.threads (intra-op threads, at least 1), memory by
 * metadata.type, or 1 GiB + 3 × the model size when that is larger (the
 * runtime holds the graph, its optimised copy and the arena), in whole GiB;
 * hardware gpu adds one nvidia.com/gpu.
 */
export function predictorResources(manifest: ModelManifest, modelBytes?: number): ResourceChoice {
  const reasons: string[] = [];
  const threads = Math.max(1, Math.floor(manifest.serving?.threads ?? 1));
  const cpu = String(threads);
  reasons.push(`cpu ${cpu}: serving.threads ${manifest.serving?.threads ?? '(unset, 1)'}`);

  const type = manifest.metadata.type ?? 'lean';
  let memGi: number = BASE_MEMORY_GI[type];
  if (modelBytes !== undefined && modelBytes > 0) {
    const needed = Math.ceil((GI + 3 * modelBytes) / GI);
    if (needed > memGi) memGi = needed;
  }
  const memory = `${memGi}Gi`;
  reasons.push(`memory ${memory}: metadata.type ${type}${modelBytes ? `, model ${modelBytes} bytes` : ''}`);

  const requests: Record<string, string> = { cpu, memory };
  const limits: Record<string, string> = { cpu, memory };
  const hardware = manifest.serving?.hardware ?? 'cpu';
  if (hardware === 'gpu') {
    // Extended resources are requested through limits (a request would have to equal it).
    limits[GPU_RESOURCE] = '1';
    reasons.push(`${GPU_RESOURCE} 1: serving.hardware gpu`);
  } else if (hardware === 'any') {
    reasons.push('no GPU: serving.hardware any (a pod cannot ask for a GPU only when one is free)');
  }
  return { resources: { requests, limits }, reasons };
}

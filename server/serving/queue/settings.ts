// A model's queue settings: the manifest's serving.queue, with the command
// line's --queue URL over it, and the defaults the schema documents.
import type { ModelManifest } from '../../manifest/types';

export interface QueueSettings {
  url: string;
  readCount: number;
  maxInflight: number;
  claimIdleMs: number;
  maxDeliveries: number;
  maxLength: number;
}

export const QUEUE_DEFAULTS: Omit<QueueSettings, 'url'> = {
  readCount: 32,
  maxInflight: 128,
  claimIdleMs: 30_000,
  maxDeliveries: 5,
  maxLength: 100_000,
};

/** Settings for one model, or undefined when neither the manifest nor the command line names a queue. */
export function queueSettings(manifest: ModelManifest, overrides: Partial<QueueSettings> = {}): QueueSettings | undefined {
  const q = manifest.serving?.queue ?? {};
  const url = overrides.url ?? q.url;
  if (url === undefined) return undefined;
  const pick = <K extends keyof typeof QUEUE_DEFAULTS>(k: K): number => overrides[k] ?? q[k] ?? QUEUE_DEFAULTS[k];
  return {
    url,
    readCount: pick('readCount'),
    maxInflight: pick('maxInflight'),
    claimIdleMs: pick('claimIdleMs'),
    maxDeliveries: pick('maxDeliveries'),
    maxLength: pick('maxLength'),
  };
}

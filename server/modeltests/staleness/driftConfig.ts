// Which drift test and threshold apply to a feature, and which manifest key
// said so: a per-feature entry (staleness.drift.features.<name>) wins over
// the section-wide method/threshold, which wins over the automatic choice.
import type { ModelManifest } from '../../manifest/types';

export type DriftMethod = 'psi' | 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon';
export type DriftMethodSetting = DriftMethod | 'auto';

export interface FeatureDriftConfig {
  method: DriftMethodSetting;
  /** Manifest path of the key that chose the method; undefined for the default (auto). */
  methodPath?: (string | number)[];
  /** Explicit threshold; undefined → the chosen method's default. */
  threshold?: number;
  thresholdPath?: (string | number)[];
  ignore: boolean;
}

/** Defaults as Evidently's: p-value 0.05 (0.95 confidence) for tests, 0.1 for distances, 0.2 for PSI. */
export const DEFAULT_THRESHOLD: Record<DriftMethod, number> = {
  ks: 0.05,
  chisquare: 0.05,
  wasserstein: 0.1,
  jensenshannon: 0.1,
  psi: 0.2,
};

/** true: drift when the p-value falls below the threshold; false: when the distance reaches it. */
export function isPValueMethod(m: DriftMethod): boolean {
  return m === 'ks' || m === 'chisquare';
}

export function driftConfigFor(manifest: ModelManifest, feature: string): FeatureDriftConfig {
  const drift = manifest.staleness?.drift;
  const own = drift?.features?.[feature];
  const base: (string | number)[] = ['staleness', 'drift'];
  const cfg: FeatureDriftConfig = { method: 'auto', ignore: own?.ignore === true };
  if (own?.method) {
    cfg.method = own.method;
    cfg.methodPath = [...base, 'features', feature, 'method'];
  } else if (drift?.method) {
    cfg.method = drift.method;
    cfg.methodPath = [...base, 'method'];
  }
  if (own?.threshold !== undefined) {
    cfg.threshold = own.threshold;
    cfg.thresholdPath = [...base, 'features', feature, 'threshold'];
  } else if (drift?.threshold !== undefined && !own?.method) {
    // The section-wide threshold belongs to the section-wide method; a
    // feature that picks its own method gets that method's default instead.
    cfg.threshold = drift.threshold;
    cfg.thresholdPath = [...base, 'threshold'];
  }
  return cfg;
}

export function pathText(path: (string | number)[]): string {
  return path.join('.');
}

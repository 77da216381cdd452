// The staleness gates a manifest declares, as specs: the suite fills in what
// it measured, and a run that skips the suite lists the same gates as not
// run. One place decides which gates exist, so the two can never differ.
import type { LoadedManifest } from '../../manifest/load';
import { parseDuration } from '../../manifest/durations';
import type { GateResult } from '../../protocol/report';
import { droppedShareSpec } from '../dataGates';
import { sourceOf, unmeasuredGate, type GateSpec } from '../gates';
import { dataAge, DAY_MS } from './ages';
import { DEFAULT_THRESHOLD, driftConfigFor, isPValueMethod, pathText } from './driftConfig';

const SUITE = 'staleness' as const;
/** Jensen–Shannon threshold shown for prediction drift when the manifest sets none (no gate then). */
export const DEFAULT_PREDICTION_THRESHOLD = 0.1;

export const howTraining =
  'Jensen–Shannon distance (base 2) between the predicted-class shares on current data (scored through the served model) and data.labelFrequencies';
export const howReference =
  'Jensen–Shannon distance (base 2) between the predicted-class shares on current data and on reference data, both scored through the served model';

type Spec = Omit<GateSpec, 'measured'>;

export function modelAgeSpec(loaded: LoadedManifest, now: Date): Spec {
  const m = loaded.manifest;
  return {
    id: 'staleness.modelAge',
    suite: SUITE,
    metric: 'model age',
    threshold: { op: '<=', value: (parseDuration(m.staleness?.maxModelAge ?? '') ?? Number.NaN) / DAY_MS, unit: 'd' },
    how: `now (${now.toISOString()}) − model.trainedAt (${m.model.trainedAt ?? 'not set'}), in days`,
    source: sourceOf(loaded, ['staleness', 'maxModelAge']),
  };
}

export function dataAgeSpec(loaded: LoadedManifest, now: Date): Spec {
  const m = loaded.manifest;
  const data = dataAge(m, now);
  return {
    id: 'staleness.dataAge',
    suite: SUITE,
    metric: 'data age',
    threshold: { op: '<=', value: (parseDuration(m.staleness?.maxDataAge ?? '') ?? Number.NaN) / DAY_MS, unit: 'd' },
    how: data
      ? `now − data.training[${data.index}].window.end (${String(m.data?.training?.[data.index]?.window?.end)}), the newest training window end, in days`
      : 'now − the newest data.training[].window.end, in days',
    source: sourceOf(loaded, ['staleness', 'maxDataAge']),
  };
}

/** The drifted-share gate: declared by maxDriftedShare, or implied (share 0) by an explicit drift threshold or method. */
export function driftedShareSpec(loaded: LoadedManifest): Spec | undefined {
  const drift = loaded.manifest.staleness?.drift;
  const sharePath =
    drift?.maxDriftedShare !== undefined
      ? ['staleness', 'drift', 'maxDriftedShare']
      : drift?.threshold !== undefined
        ? ['staleness', 'drift', 'threshold']
        : drift?.method !== undefined && drift.method !== 'auto'
          ? ['staleness', 'drift', 'method']
          : undefined;
  if (!sharePath) return undefined;
  return {
    id: 'staleness.driftedShare',
    suite: SUITE,
    metric: 'share of drifted features',
    threshold: { op: '<=', value: drift?.maxDriftedShare ?? 0 },
    how:
      drift?.maxDriftedShare !== undefined
        ? 'drifted features ÷ tested features (each feature tested as its row of the drift table says)'
        : 'drifted features ÷ tested features; staleness.drift.maxDriftedShare is not set, so no feature may drift',
    source: sourceOf(loaded, sharePath),
  };
}

/** Features with a drift gate of their own (a method or threshold under staleness.drift.features). */
export function featureGateNames(loaded: LoadedManifest): string[] {
  return Object.entries(loaded.manifest.staleness?.drift?.features ?? {})
    .filter(([, v]) => v && !v.ignore && (v.method !== undefined || v.threshold !== undefined))
    .map(([k]) => k);
}

export function featureGateSpec(loaded: LoadedManifest, feature: string): Spec & { how: string } {
  const own = loaded.manifest.staleness?.drift?.features?.[feature];
  const key = own?.threshold !== undefined ? 'threshold' : 'method';
  const cfg = driftConfigFor(loaded.manifest, feature);
  // Shown when the feature cannot be measured; a measured gate restates it from the test that ran.
  const pValue = cfg.method !== 'auto' && isPValueMethod(cfg.method);
  const value = cfg.threshold ?? (cfg.method !== 'auto' ? DEFAULT_THRESHOLD[cfg.method] : 0.05);
  return {
    id: `staleness.drift.${feature}`,
    suite: SUITE,
    metric: `drift of ${feature}`,
    threshold: { op: pValue ? '>=' : '<', value },
    how: `drift test set by ${pathText(['staleness', 'drift', 'features', feature, key])}`,
    source: sourceOf(loaded, ['staleness', 'drift', 'features', feature, key]),
  };
}

export function predictionGateSpec(loaded: LoadedManifest, against: 'training' | 'reference', how: string): Spec {
  const threshold = loaded.manifest.staleness?.drift?.prediction?.threshold;
  return {
    id: `staleness.prediction.${against}`,
    suite: SUITE,
    metric: `prediction drift vs ${against}`,
    threshold: { op: '<=', value: threshold ?? DEFAULT_PREDICTION_THRESHOLD },
    how,
    source: sourceOf(loaded, ['staleness', 'drift', 'prediction', 'threshold']),
  };
}

/**
 * The drift datasets a declared gate uses (drift gates read both tables,
 * prediction drift scores both): each gets a dropped-share gate.
 */
export function stalenessDataRoles(loaded: LoadedManifest): DriftRole[] {
  const m = loaded.manifest;
  const classifier = m.model.task === 'classification' && (m.model.classLabels ?? []).length > 0;
  const used =
    driftedShareSpec(loaded) !== undefined || featureGateNames(loaded).length > 0 || (classifier && m.staleness?.drift?.prediction?.threshold !== undefined);
  return used ? (['reference', 'current'] as const).filter((r) => m.data?.[r] !== undefined) : [];
}

export type DriftRole = 'reference' | 'current';

export function dataDropSpec(loaded: LoadedManifest, role: DriftRole): Spec {
  return droppedShareSpec(
    loaded,
    SUITE,
    role,
    ['data', role],
    "a model feature empty, marked missing or not a number: such rows are not scored for prediction drift, and each feature's drift test leaves out its missing cells",
  );
}

/** Every staleness gate the manifest declares, each `not run` for `why`. */
export function declaredStalenessGates(loaded: LoadedManifest, now: Date, why: string): GateResult[] {
  const m = loaded.manifest;
  const specs: Spec[] = stalenessDataRoles(loaded).map((r) => dataDropSpec(loaded, r));
  if (m.staleness?.maxModelAge !== undefined) specs.push(modelAgeSpec(loaded, now));
  if (m.staleness?.maxDataAge !== undefined) specs.push(dataAgeSpec(loaded, now));
  const share = driftedShareSpec(loaded);
  if (share) specs.push(share);
  for (const f of featureGateNames(loaded)) specs.push(featureGateSpec(loaded, f));
  const classifier = m.model.task === 'classification' && (m.model.classLabels ?? []).length > 0;
  if (classifier && m.staleness?.drift?.prediction?.threshold !== undefined) {
    specs.push(predictionGateSpec(loaded, 'training', howTraining), predictionGateSpec(loaded, 'reference', howReference));
  }
  return specs.map((s) => unmeasuredGate(s, why));
}

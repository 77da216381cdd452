// Semantic rules that tie serving, SLOs, staleness and deployment together:
// settings that each pass the schema but contradict one another.
import type { ManifestDiagnostic } from '../diagnostics';
import { fieldName, report, type SyncValidator, type ValidationContext } from './types';

/** Requests per second one instance plausibly serves; above this, say so. */
export const PLAUSIBLE_RPS_PER_INSTANCE = { cpu: 5000, gpu: 20000 } as const;

/** Drift methods whose threshold is a p-value (auto tests at 0.95 confidence on small samples). */
const P_VALUE_METHODS = new Set(['ks', 'chisquare', 'auto']);

export const operationsValidator: SyncValidator = {
  name: 'operations',
  validate(ctx: ValidationContext): ManifestDiagnostic[] {
    return [...batching(ctx), ...throughput(ctx), ...canary(ctx), ...drift(ctx), ...dataAge(ctx), ...queuePassword(ctx)];
  },
};

function batching(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  const at = ['serving', 'batching', 'maxDelayMs'];
  if (!ctx.valid(['serving', 'batching'], ['slo', 'p99Ms'])) return [];
  const b = manifest.serving?.batching;
  const p99 = manifest.slo?.p99Ms;
  if (!b || b.enabled === false || b.maxDelayMs === undefined || p99 === undefined) return [];
  const d = b.maxDelayMs;
  if (d >= p99) {
    return [
      report(
        parsed,
        at,
        'MG124',
        `${fieldName(at)} ${d} is not below slo.p99Ms ${p99}: a request that waits that long for a batch already misses the latency target; use at most ${+(p99 / 4).toFixed(2)} ms, or disable batching`,
      ),
    ];
  }
  if (d > p99 / 2) {
    return [
      report(
        parsed,
        at,
        'MG124',
        `${fieldName(at)} ${d} is more than half of slo.p99Ms ${p99}, leaving little time for inference under load: use at most ${+(p99 / 4).toFixed(2)} ms`,
        { severity: 'warning' },
      ),
    ];
  }
  return [];
}

function throughput(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  if (!ctx.valid(['slo', 'rps'], ['serving', 'instances'], ['serving', 'hardware'])) return [];
  const rps = manifest.slo?.rps;
  if (rps === undefined) return [];
  const instances = manifest.serving?.instances ?? 1;
  const gpu = manifest.serving?.hardware === 'gpu';
  const limit = gpu ? PLAUSIBLE_RPS_PER_INSTANCE.gpu : PLAUSIBLE_RPS_PER_INSTANCE.cpu;
  const per = rps / instances;
  if (per <= limit) return [];
  const need = Math.ceil(rps / limit);
  return [
    report(
      parsed,
      ['slo', 'rps'],
      'MG126',
      `slo.rps ${rps} with ${instances} instance${instances === 1 ? '' : 's'} asks ${Math.round(per)} requests/s of each; ModelGate assumes one ${gpu ? 'GPU' : 'CPU'} instance serves at most about ${limit} requests/s: set serving.instances to ${need} or more, or lower slo.rps`,
    ),
  ];
}

function canary(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  if (!ctx.valid(['deploy', 'kubernetes'])) return [];
  const k = manifest.deploy?.kubernetes;
  if (!k || k.mode !== 'raw' || k.canaryPercent === undefined) return [];
  return [
    report(
      parsed,
      ['deploy', 'kubernetes', 'canaryPercent'],
      'MG125',
      'deploy.kubernetes.canaryPercent has no effect with mode: raw: KServe ignores canaryTrafficPercent in RawDeployment mode, so every request would go to the new version; set mode: serverless, or remove canaryPercent',
    ),
  ];
}

function thresholdProblem(method: string, t: number): string | undefined {
  if (P_VALUE_METHODS.has(method) && t >= 1) {
    return `is a p-value for ${method}, so it must be between 0 and 1 (drift when p < threshold): use e.g. 0.05`;
  }
  if (method === 'jensenshannon' && t > 1) {
    return 'is a Jensen–Shannon distance, which lies between 0 and 1: use e.g. 0.1';
  }
  return undefined;
}

function drift(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  if (!ctx.valid(['staleness', 'drift', 'method'], ['staleness', 'drift', 'threshold'])) return [];
  const d = manifest.staleness?.drift;
  if (!d) return [];
  const out: ManifestDiagnostic[] = [];
  const method = d.method ?? 'auto';
  if (d.threshold !== undefined) {
    const p = thresholdProblem(method, d.threshold);
    if (p) out.push(report(parsed, ['staleness', 'drift', 'threshold'], 'MG127', `staleness.drift.threshold ${d.threshold} ${p}`));
  }
  if (ctx.valid(['staleness', 'drift', 'features'])) {
    for (const [name, f] of Object.entries(d.features ?? {})) {
      const at = ['staleness', 'drift', 'features', name, 'threshold'];
      if (f.threshold === undefined) continue;
      const fm = f.method ?? method;
      const p = thresholdProblem(fm, f.threshold);
      if (p) out.push(report(parsed, at, 'MG127', `${fieldName(at)} ${f.threshold} ${p}`));
    }
  }
  if (ctx.valid(['staleness', 'drift', 'inputs'], ['signature', 'inputs'])) {
    const inputs = manifest.signature?.inputs ?? [];
    for (const name of Object.keys(d.inputs ?? {})) {
      const index = inputs.findIndex((i) => i.name === name);
      const input = inputs[index];
      const at = ['staleness', 'drift', 'inputs', name];
      if (!input) {
        const names = inputs.map((i) => i.name);
        out.push(
          report(
            parsed,
            at,
            'MG134',
            `staleness.drift.inputs names "${name}", which is not a model input${names.length ? `; the inputs are: ${names.join(', ')}` : '; add the input under signature.inputs'}`,
          ),
        );
      } else if (!input.features?.length) {
        out.push(
          report(
            parsed,
            at,
            'MG134',
            `input "${name}" has no features list, so its dataset columns are unknown and cannot be summarised; list them under signature.inputs[${index}].features`,
          ),
        );
      }
    }
  }
  return out;
}

function dataAge(ctx: ValidationContext): ManifestDiagnostic[] {
  const { manifest, parsed } = ctx;
  if (!ctx.valid(['staleness', 'maxDataAge'], ['data', 'training'])) return [];
  if (manifest.staleness?.maxDataAge === undefined) return [];
  const windows = (manifest.data?.training ?? []).filter((t) => t.window);
  if (windows.length > 0) return [];
  return [
    report(
      parsed,
      ['staleness', 'maxDataAge'],
      'MG128',
      'staleness.maxDataAge cannot be checked: no data.training entry has a window saying when its data ends; add `window: {start: 2026-01-01, end: 2026-10-31}` to a training dataset, or remove maxDataAge',
    ),
  ];
}

/** A queue URL with a password would publish the password with the model. */
function queuePassword(ctx: ValidationContext): ManifestDiagnostic[] {
  const at = ['serving', 'queue', 'url'];
  if (!ctx.valid(at)) return [];
  const url = ctx.manifest.serving?.queue?.url;
  const m = url ? /^rediss?:\/\/([^:@/]*):[^@/]+@([^/]*)/i.exec(url) : null;
  if (!m) return [];
  const user = m[1] ? `${m[1]}@` : '';
  return [
    report(
      ctx.parsed,
      at,
      'MG135',
      `${fieldName(at)} holds a password, which is committed and published with this manifest: write ${url!.slice(0, url!.indexOf('//') + 2)}${user}${m[2]}… and set MODELGATE_REDIS_PASSWORD where the nodes and clients run`,
      { severity: 'warning' },
    ),
  ];
}

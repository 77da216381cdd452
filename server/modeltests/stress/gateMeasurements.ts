// From what a stress run measured to what its gates read: each figure with
// the evidence (interval, noise floor, generator state, machine load) that
// decides whether it can judge its gate, and why the point at slo.rps and
// the rate search disagree when they do.
import type { StressSloCheck } from '../../protocol/report';
import type { CorrectnessResult } from './correctness';
import { p99Doubt, type Doubt } from './doubts';
import { formatNumber as fmt } from '../gates';
import type { StressMeasurements } from './gates';
import { coreCount } from './machineCpu';
import type { StressPlan } from './plan';
import { higherRateHeld, type StressMeasured } from './stressRun';

export const msOf = (us: number) => us / 1000;
export const fmtMs = (x: number) => `${fmt(x)} ms`;

/**
 * Why the point at slo.rps and the rate search disagree (slo.rps missed, a
 * higher rate held), or undefined when they agree. `doubt` is the p99
 * gate's: with it the machine explains the gap, without it the server does.
 */
export function explainDisagreement(
  plan: Pick<StressPlan, 'rps' | 'durationS' | 'searchDurationS'>,
  m: Pick<StressMeasured, 'sloPoint' | 'search'>,
  doubt: Doubt | undefined,
): string | undefined {
  const slo = m.sloPoint;
  if (plan.rps === undefined || !slo || slo.sustained) return undefined;
  const held = higherRateHeld(plan.rps, m.search);
  if (!held) return undefined;
  const noise = slo.point.noiseFloor ? msOf(slo.point.noiseFloor.latencyUs.p99) : undefined;
  const head =
    `slo.rps ${plan.rps} was missed (${slo.why ?? 'not sustained'}) over ${slo.point.runs.length} run(s) of ${plan.durationS} s` +
    (slo.remeasured ? `, ${slo.remeasured} of them measured again after the search` : '') +
    `, while a ${plan.searchDurationS} s probe at ${held.offeredRps} rps held (p99 ${fmtMs(held.p99Ms)}).`;
  if (doubt || slo.point.loadGeneratorBound) {
    return `${head} Latency rarely falls as load rises, and the two were measured at different moments; at slo.rps ${doubt?.reason ?? 'the load generator was the bottleneck'}, so the miss is not held against the server.`;
  }
  return (
    `${head} The trivial endpoint answered with p99 ${noise !== undefined ? fmtMs(noise) : 'unknown'} at the same moments, so the machine does not explain the gap: ` +
    `the server itself does worse at ${plan.rps} rps than at ${held.offeredRps} rps (for example a batching delay that waits for requests that come too rarely at the lower rate).`
  );
}

export function gateMeasurements(
  plan: StressPlan,
  m: StressMeasured | undefined,
  c: CorrectnessResult | undefined,
  cancelled: boolean,
): StressMeasurements & { disagreement?: string } {
  const out: StressMeasurements & { disagreement?: string } = {
    missingWhy: cancelled ? 'the run was cancelled before this was measured' : 'the run ended before this was measured',
  };
  if (!m) return out;
  const closed = m.points.filter((p) => p.mode === 'closed');
  const slo = m.sloPoint;
  const cores = coreCount();
  if (plan.rps !== undefined && slo) {
    const pt = slo.point;
    const ci = pt.p99IntervalUs;
    const noise = pt.noiseFloor;
    const evidence = {
      generatorBound: pt.loadGeneratorBound,
      generatorCpu: pt.loadGeneratorCpu,
      cores,
      ...(pt.sendLagUs ? { sendLagMeanUs: pt.sendLagUs.mean } : {}),
      ...(ci ? { interval: { lowMs: msOf(ci.low), highMs: msOf(ci.high), level: ci.level, windows: ci.windows } } : {}),
      ...(noise ? { noiseFloorP99Ms: msOf(noise.latencyUs.p99) } : {}),
      ...(pt.otherCpuCores !== undefined ? { otherCpuCores: pt.otherCpuCores } : {}),
    };
    out.latency = {
      p99Ms: msOf(pt.latencyUs.p99),
      at: `${plan.rps} rps (open model)`,
      how:
        `open model: fixed arrival rate ${plan.rps} rps offered (achieved ${pt.throughputRps} rps), ${pt.runs.length} run(s) of ${plan.durationS} s (up to ${plan.sloMaxRuns} until the p99 interval settles the gate); latency from each request's release to the end of its response` +
        (ci
          ? `; ${Math.round(ci.level * 100)} % interval ${fmtMs(msOf(ci.low))}–${fmtMs(msOf(ci.high))} by block bootstrap over ${ci.windows} windows of ${ci.windowS} s`
          : '') +
        (noise ? `; noise floor (a trivial endpoint in another process, same schedule, same moments) p99 ${fmtMs(msOf(noise.latencyUs.p99))}` : ''),
      evidence,
    };
    if (plan.p99Ms !== undefined) {
      const doubt = p99Doubt(plan.p99Ms, { p99Ms: out.latency.p99Ms, ...evidence }, plan.p99Tolerance);
      const why = explainDisagreement(plan, m, slo.miss === 'p99' ? doubt : undefined);
      if (why) {
        out.disagreement = why;
        const held = higherRateHeld(plan.rps, m.search)!;
        if (!doubt && out.latency.p99Ms > plan.p99Ms) {
          out.latency.explained = `a probe at ${held.offeredRps} rps met p99 ${fmtMs(held.p99Ms)}, but the noise floor of ${noise ? fmtMs(msOf(noise.latencyUs.p99)) : 'the machine'} rules the machine out: the server is slower at the lower rate (see slo.disagreement)`;
        }
      }
    }
  } else if (plan.rps === undefined && closed[0]) {
    out.latency = {
      p99Ms: closed[0].latencyUs.p99 / 1000,
      at: `${closed[0].connections} connection(s) (closed model)`,
      how: `closed model, ${closed[0].connections} connection(s) sending back to back (no slo.rps set), ${closed[0].runs.length} run(s) of ${plan.durationS} s`,
      evidence: { generatorBound: closed[0].loadGeneratorBound, generatorCpu: closed[0].loadGeneratorCpu },
    };
  }
  if (m.search) {
    const fromSlo = slo?.sustained && plan.rps !== undefined && plan.rps > m.search.value;
    out.sustainable = fromSlo
      ? { rps: plan.rps!, how: `open-model run at slo.rps ${plan.rps} sustained the rate within the limits (the bisection's best was ${m.search.value} rps)` }
      : {
          rps: m.search.value,
          how: `open-model bisection, ${m.search.steps.length} probe(s) of ${plan.searchDurationS} s: achieved ≥ ${Math.round((1 - plan.tolerance) * 100)} % of offered, error rate ≤ ${plan.errorRate}${plan.p99Ms !== undefined ? `, p99 ≤ ${plan.p99Ms} ms` : ''}`,
        };
    if (slo && plan.rps !== undefined) {
      const noise = slo.point.noiseFloor;
      out.sustainable.atSlo = {
        generatorBound: slo.point.loadGeneratorBound,
        cores,
        ...(slo.sustained ? {} : { miss: slo.miss ?? 'rate' }),
        ...(noise ? { noiseFellBehind: noise.throughputRps < (1 - plan.tolerance) * plan.rps, noiseFailed: noise.failed } : {}),
        ...(slo.point.otherCpuCores !== undefined ? { otherCpuCores: slo.point.otherCpuCores } : {}),
      };
    }
  }
  const counted = [...closed, ...(slo ? [slo.point] : [])];
  if (counted.length) {
    const boundFailed = closed.filter((p) => p.loadGeneratorBound).reduce((a, p) => a + p.errors + p.timeouts, 0) + (slo?.generatorBoundFailed ?? 0);
    const noise = slo?.point.noiseFloor;
    out.errors = {
      failed: counted.reduce((a, p) => a + p.errors + p.timeouts + p.non2xx, 0),
      requests: counted.reduce((a, p) => a + p.requests, 0),
      how: `connection errors + timeouts + non-2xx over requests sent, in the closed sweep${slo ? ' and the open run at slo.rps' : ''} (the search probes overload on purpose and are not counted)`,
      evidence: {
        non2xx: counted.reduce((a, p) => a + p.non2xx, 0),
        generatorBoundFailed: boundFailed,
        cores,
        ...(noise ? { noiseFailed: noise.failed, noiseRequests: noise.requests } : {}),
        ...(slo?.point.otherCpuCores !== undefined ? { otherCpuCores: slo.point.otherCpuCores } : {}),
      },
    };
  }
  if (c) {
    out.correctness = {
      ...c,
      how: `${c.sampled} responses captured under load (every ${plan.captureEvery}th, sampled evenly) compared with the same rows sent one at a time after the load; numbers within ${c.tolerance}`,
    };
  }
  return out;
}

/** The point at slo.rps in the manifest's units, beside its noise floor. */
export function sloCheck(plan: StressPlan, slo: NonNullable<StressMeasured['sloPoint']>, disagreement: string | undefined): StressSloCheck {
  const pt = slo.point;
  const ci = pt.p99IntervalUs;
  const out: StressSloCheck = {
    rps: plan.rps!,
    p99Ms: msOf(pt.latencyUs.p99),
    p99IntervalMs: { low: msOf(ci?.low ?? pt.latencyUs.p99), high: msOf(ci?.high ?? pt.latencyUs.p99), level: ci?.level ?? 0.95 },
    noiseFloorP99Ms: pt.noiseFloor ? msOf(pt.noiseFloor.latencyUs.p99) : 0,
    runs: pt.runs.length,
    maxRuns: plan.sloMaxRuns,
    p99Stable: pt.p99Stable ?? false,
    sustained: slo.sustained,
    loadGeneratorBound: pt.loadGeneratorBound,
    cores: coreCount(),
  };
  if (plan.p99Ms !== undefined) out.p99LimitMs = plan.p99Ms;
  if (slo.why) out.why = slo.why;
  if (pt.otherCpuCores !== undefined) out.otherCpuCores = pt.otherCpuCores;
  if (disagreement) out.disagreement = disagreement;
  return out;
}

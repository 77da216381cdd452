// Stress suite: latency/throughput vs concurrency, the sweep table with the
// mode and run-to-run spread of every figure, the max-RPS search, the latency
// histogram, correctness under load, load-generator warnings and cost.
import type { StressPoint, StressResult } from '../../server/protocol/report';
import { findGate, type Ctx } from '../context';
import { card, dataTable, h, kpi, notes } from '../dom';
import { int, latency, num, op, pct, rps, withUnit } from '../format';
import { rerunButton } from './rerun';
import { histogramChart, latencyThroughputChart, rpsSearchChart } from './stress-charts';

/** The p99 SLO in milliseconds, from the stress gate that set it. */
export function sloP99Ms(ctx: Ctx): number | undefined {
  const g = findGate(ctx.report, 'stress', /p99/i);
  if (!g) return undefined;
  const u = (g.threshold.unit ?? 'ms').toLowerCase();
  return u === 's' ? g.threshold.value * 1000 : u === 'us' || u === 'µs' ? g.threshold.value / 1000 : g.threshold.value;
}

const SLO_WORD: Record<'passed' | 'failed' | 'inconclusive' | 'not run', string> = {
  passed: 'met',
  failed: 'missed',
  inconclusive: 'inconclusive',
  'not run': 'not run',
};
const SLO_CLASS: Record<'passed' | 'failed' | 'inconclusive' | 'not run', string> = { passed: 'pass', failed: 'fail', inconclusive: 'warn', 'not run': '' };

const pointName = (p: StressPoint): string => (p.mode === 'open' ? `${num(p.offeredRps)} req/s offered` : `c=${p.connections}`);

export function renderStress(ctx: Ctx, s: StressResult): HTMLElement {
  const slo = sloP99Ms(ctx);
  const closed = s.points.filter((p) => p.mode === 'closed').sort((a, b) => a.connections - b.connections);
  const sloGate = findGate(ctx.report, 'stress', /p99/i);
  const peak = closed.reduce<StressPoint | undefined>((best, p) => (!best || p.throughputRps > best.throughputRps ? p : best), undefined);
  const requests = s.points.reduce((n, p) => n + p.requests, 0);
  const failures = s.points.reduce((n, p) => n + p.errors + p.timeouts + p.non2xx, 0);

  const kpis = h(
    'div',
    { class: 'kpis' },
    s.maxSustainableRps
      ? kpi(
          'Max sustainable throughput',
          rps(s.maxSustainableRps.value),
          `p99 ${num(s.maxSustainableRps.p99Ms, 3)} ms · ${s.maxSustainableRps.steps.length} search steps`,
        )
      : kpi('Max sustainable throughput', '—', 'no search ran'),
    peak
      ? kpi(
          'Peak closed-loop throughput',
          rps(peak.throughputRps),
          `at ${peak.connections} connections${peak.loadGeneratorBound ? ' · load-generator bound' : ''}`,
        )
      : null,
    sloGate
      ? kpi(
          'p99 SLO',
          withUnit(sloGate.measured, sloGate.threshold.unit),
          [
            `${op(sloGate.threshold.op)} ${withUnit(sloGate.threshold.value, sloGate.threshold.unit)} · ${SLO_WORD[sloGate.status]}`,
            s.slo
              ? ` · at ${rps(s.slo.rps)}: ${Math.round(s.slo.p99IntervalMs.level * 100)}% interval ${num(s.slo.p99IntervalMs.low, 3)}–${num(s.slo.p99IntervalMs.high, 3)} ms over ${int(s.slo.runs)} run${s.slo.runs === 1 ? '' : 's'} · noise floor ${num(s.slo.noiseFloorP99Ms, 3)} ms`
              : '',
          ].join(''),
          SLO_CLASS[sloGate.status],
        )
      : null,
    kpi('Errors', pct(requests ? failures / requests : 0, 2), `${int(failures)} of ${int(requests)} requests`, failures ? 'fail' : ''),
    s.correctness
      ? kpi(
          'Correctness under load',
          `${int(s.correctness.mismatches)} mismatches`,
          `${int(s.correctness.sampled)} sampled · max |Δ| ${num(s.correctness.maxAbsDiff)} (tol. ${num(s.correctness.tolerance)})`,
          s.correctness.mismatches ? 'fail' : 'pass',
        )
      : null,
    s.costPerMillion
      ? kpi('Cost per million predictions', `$${num(s.costPerMillion.usd, 3)}`, `$${num(s.costPerMillion.perHour)}/h at ${rps(s.costPerMillion.rps)}`)
      : null,
  );

  const sloPoint = s.slo;
  const warnings = [
    ...(sloPoint && !sloPoint.p99Stable
      ? [
          `p99 at ${rps(sloPoint.rps)} did not settle in ${int(sloPoint.runs)} of at most ${int(sloPoint.maxRuns)} runs: its interval is too wide to decide the gate.`,
        ]
      : []),
    ...(sloPoint?.loadGeneratorBound ? [`The run at ${rps(sloPoint.rps)} was load-generator bound: the rate was not really offered.`] : []),
    ...(sloPoint?.otherCpuCores
      ? [`Other programs used ${num(sloPoint.otherCpuCores, 2)} of ${int(sloPoint.cores ?? 0)} cores during the run at ${rps(sloPoint.rps)}.`]
      : []),
    ...(sloPoint?.disagreement ? [sloPoint.disagreement] : []),
    ...s.points
      .filter((p) => p.loadGeneratorBound)
      .map(
        (p) =>
          `${pointName(p)} (${p.mode}): the load generator used ${pct(p.loadGeneratorCpu, 0)} of a core and limited the run — ${num(p.throughputRps)} req/s is a lower bound for the server.`,
      ),
    ...s.points
      .filter((p) => !p.stable)
      .map(
        (p) =>
          `${pointName(p)} (${p.mode}): throughput did not settle — spread ${pct(p.spread)} over ${p.runs.length} runs exceeds the ${pct(s.tolerance, 0)} tolerance.`,
      ),
  ];

  const sweep = dataTable(
    [
      { label: 'Mode', title: 'closed: N connections back-to-back; open: fixed arrival rate (no coordinated omission)' },
      { label: 'Connections', num: true },
      { label: 'Offered', num: true },
      { label: 'Throughput', num: true },
      { label: 'Spread', num: true, title: '(max − min) / mean throughput over the repeated runs' },
      { label: 'Runs', num: true },
      { label: 'p50', num: true },
      { label: 'p90', num: true },
      { label: 'p99', num: true },
      { label: 'p99.9', num: true },
      { label: 'max', num: true },
      { label: 'Errors', num: true, title: 'errors / timeouts / non-2xx' },
      { label: 'LG CPU', num: true, title: 'load generator CPU, share of one core' },
      { label: 'Flags' },
    ],
    s.points.map((p) => ({
      class: p.sloExceeded ? 'failed' : '',
      data: { point: `${p.mode}-${p.connections}-${p.offeredRps ?? ''}` },
      cells: [
        p.mode,
        int(p.connections),
        p.offeredRps === undefined ? '—' : num(p.offeredRps),
        num(p.throughputRps),
        h('span', { class: p.stable ? '' : 'warn', title: `runs: ${p.runs.map((x) => num(x)).join(', ')} req/s` }, `±${pct(p.spread / 2)}`),
        int(p.runs.length),
        latency(p.latencyUs.p50),
        latency(p.latencyUs.p90),
        h('span', { class: p.sloExceeded ? 'fail' : '' }, latency(p.latencyUs.p99)),
        latency(p.latencyUs.p999),
        latency(p.latencyUs.max),
        `${int(p.errors)} / ${int(p.timeouts)} / ${int(p.non2xx)}`,
        pct(p.loadGeneratorCpu, 0),
        [p.sloExceeded ? 'SLO exceeded' : '', p.loadGeneratorBound ? 'LG-bound' : '', p.stable ? '' : 'unstable'].filter(Boolean).join(', ') || '—',
      ],
    })),
  );

  const charts = h(
    'div',
    { class: 'grid2' },
    closed.length
      ? card(
          'Latency percentiles and throughput vs concurrency (closed loop)',
          ctx.charts.add('latency-throughput', 'Latency percentiles and throughput against concurrent connections', latencyThroughputChart(closed, slo)),
          h(
            'p',
            { class: 'caption' },
            'Left axis: latency (log scale). Right axis: throughput; the bar spans the slowest to fastest repeated run.',
            slo ? ` Dashed red: p99 SLO ${num(slo)} ms.` : '',
          ),
        )
      : null,
    s.histogram && s.histogram.counts.length
      ? card(
          'Latency histogram',
          ctx.charts.add('latency-histogram', 'Histogram of request latencies', histogramChart(s.histogram)),
          h('p', { class: 'caption' }, 'Log-spaced buckets (µs resolution), all measured requests; count axis is logarithmic so the tail stays visible.'),
        )
      : null,
  );

  const search = s.maxSustainableRps
    ? h(
        'div',
        { class: 'grid2' },
        card(
          'Max sustainable RPS search (open loop)',
          ctx.charts.add('max-rps-search', 'p99 latency at each offered rate of the binary search', rpsSearchChart(s, slo), 260),
          h(
            'p',
            { class: 'caption' },
            `Binary search on the offered rate until p99 stays within the SLO; found ${rps(s.maxSustainableRps.value)} at p99 ${num(s.maxSustainableRps.p99Ms, 3)} ms.`,
          ),
        ),
        card(
          'Search steps',
          dataTable(
            [{ label: 'Step', num: true }, { label: 'Offered', num: true }, { label: 'p99', num: true }, { label: 'Within SLO' }],
            s.maxSustainableRps.steps.map((st, i) => ({
              cells: [int(i + 1), rps(st.offeredRps), `${num(st.p99Ms, 3)} ms`, h('span', { class: st.ok ? 'pass' : 'fail' }, st.ok ? 'yes' : 'no')],
            })),
            { data: { table: 'rps-search' } },
          ),
        ),
      )
    : null;

  const setup = h(
    'dl',
    { class: 'kv' },
    h('dt', null, 'Endpoint'),
    h('dd', { class: 'mono' }, s.endpoint),
    h('dt', null, 'Request bodies'),
    h('dd', null, `${s.bodies.source} (${int(s.bodies.distinct)} distinct rows)`),
    h('dt', null, 'Warm-up'),
    h('dd', null, `${num(s.warmupS)} s`),
    h('dt', null, 'Stability tolerance'),
    h('dd', null, `${pct(s.tolerance, 0)} run-to-run throughput spread`),
  );

  return h(
    'section',
    { data: { section: 'stress' } },
    rerunButton(ctx, 'stress'),
    kpis,
    warnings.length
      ? h(
          'div',
          { class: 'banner warning', data: { warnings: 'stress' } },
          h('b', null, 'Read these figures with care'),
          h(
            'ul',
            null,
            warnings.map((w) => h('li', null, w)),
          ),
        )
      : null,
    charts,
    search,
    h('h2', null, 'Sweep'),
    h('div', { class: 'scroll' }, sweep),
    h('h2', null, 'Setup'),
    setup,
    notes(s.notes),
  );
}

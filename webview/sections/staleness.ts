// Staleness suite: model and data age against their limits, per-feature
// drift (which test ran and why), the distribution of one selected feature,
// and prediction drift.
import type { FeatureDrift, StalenessResult } from '../../server/protocol/report';
import { findGate, type Ctx } from '../context';
import { card, dataTable, h, kpi, notes } from '../dom';
import { days, int, num, op, pct, withUnit } from '../format';
import { driftComparison, driftScore } from './drift-score';
import { distributionChart, featureDriftChart, predictionDriftChart } from './staleness-charts';
import { rerunButton } from './rerun';

const methodNames: Record<FeatureDrift['method'], string> = {
  psi: 'population stability index (PSI)',
  ks: 'Kolmogorov–Smirnov (KS)',
  wasserstein: 'Wasserstein distance',
  chisquare: 'chi-square',
  jensenshannon: 'Jensen–Shannon distance',
};
const methodShort: Record<FeatureDrift['method'], string> = { psi: 'PSI', ks: 'KS', wasserstein: 'Wasserstein', chisquare: 'χ²', jensenshannon: 'JS' };

export function renderStaleness(ctx: Ctx, s: StalenessResult): HTMLElement {
  const r = ctx.report;
  const ageGate = findGate(r, 'staleness', /model.?age/i);
  const dataGate = findGate(r, 'staleness', /data.?age/i);
  const shareGate = findGate(r, 'staleness', /share/i);
  const predGate = findGate(r, 'staleness', /prediction/i);
  const features = [...s.features].sort((a, b) => driftScore(b) - driftScore(a));
  const drifted = features.filter((f) => f.drifted).length;

  const limit = (g: typeof ageGate) => (g ? `limit ${op(g.threshold.op)} ${withUnit(g.threshold.value, g.threshold.unit)}` : 'no limit set');
  const cls = (g: typeof ageGate) => (g ? (g.pass ? 'pass' : 'fail') : '');
  const pd = s.prediction;
  const kpis = h(
    'div',
    { class: 'kpis' },
    kpi('Model age', days(s.modelAgeDays), limit(ageGate), cls(ageGate)),
    kpi('Data age', days(s.dataAgeDays), limit(dataGate), cls(dataGate)),
    kpi(
      'Drifted features',
      `${int(drifted)} of ${int(features.length)}`,
      `${pct(s.driftedShare ?? (features.length ? drifted / features.length : 0))} · ${shareGate ? `limit ${op(shareGate.threshold.op)} ${pct(shareGate.threshold.value, 0)}` : 'no limit set'}`,
      cls(shareGate),
    ),
    pd
      ? kpi(
          'Prediction drift',
          pd.jsdVsTraining !== undefined ? `JSD ${num(pd.jsdVsTraining, 3)}` : pd.jsdVsReference !== undefined ? `JSD ${num(pd.jsdVsReference, 3)}` : '—',
          `${pd.jsdVsTraining !== undefined ? 'vs training labels' : 'vs reference'} · threshold ${num(pd.threshold)}`,
          cls(predGate),
        )
      : null,
  );

  // Selected feature: remembered across reloads of the same report; a new report
  // opens on its most drifted feature, never on one kept from an earlier run.
  const remembered = ctx.state.featureReport === ctx.report.createdAt ? ctx.state.feature : undefined;
  let selected = features.find((f) => f.feature === remembered) ?? features[0];
  const withBins = features.filter((f) => f.bins);
  if (selected && !selected.bins) selected = withBins.find((f) => f.drifted) ?? withBins[0] ?? selected;

  const details = h('div', { data: { details: 'feature' } });
  const select = h('select', { attrs: { 'aria-label': 'Feature to plot' }, data: { select: 'feature' } });
  withBins.forEach((f) => {
    const o = h('option', null, `${f.drifted ? '● ' : ''}${f.feature}`);
    o.value = String(features.indexOf(f));
    select.appendChild(o);
  });
  const distBox = selected?.bins
    ? ctx.charts.add('feature-distribution', 'Reference and current distribution of the selected feature', distributionChart(selected), 280)
    : null;
  const rows = new Map<FeatureDrift, HTMLTableRowElement>();

  const choose = (f: FeatureDrift) => {
    selected = f;
    ctx.host.setState({ feature: f.feature, featureReport: ctx.report.createdAt });
    if (f.bins) select.value = String(features.indexOf(f));
    rows.forEach((tr, key) => tr.classList.toggle('selected', key === f));
    details.replaceChildren(featureDetails(f));
    const canvas = distBox?.querySelector('canvas');
    if (canvas && f.bins) ctx.charts.replace(canvas, distributionChart(f));
  };
  select.addEventListener('change', () => {
    const f = features[Number(select.value)];
    if (f) choose(f);
  });

  const table = dataTable(
    [
      { label: 'Feature' },
      { label: 'Method' },
      { label: 'Statistic', num: true },
      { label: 'p-value', num: true },
      { label: 'Adjusted p', num: true, title: s.multipleTesting?.why ?? 'p-value after the multiple-testing correction' },
      { label: 'PSI', num: true, title: 'PSI on 10 reference-quantile bins: the figure the live /health endpoint reports' },
      { label: 'Threshold', num: true },
      { label: 'Score', num: true, title: '1 = threshold; above 1 = drift (p-value tests: log p ÷ log α)' },
      { label: 'Drifted' },
      { label: 'Rows ref / cur', num: true },
      { label: 'Missing ref / cur', num: true },
      { label: 'Note' },
    ],
    features.map((f) => ({
      class: f.drifted ? 'failed' : '',
      data: { feature: f.feature },
      title: f.why,
      onClick: () => choose(f),
      cells: [
        f.feature,
        h('span', { title: `${methodNames[f.method] ?? f.method} — ${f.why}` }, methodShort[f.method] ?? f.method),
        num(f.statistic),
        f.pValue === undefined ? '—' : num(f.pValue, 3),
        f.adjustedPValue === undefined ? '—' : num(f.adjustedPValue, 3),
        f.psi === undefined ? '—' : num(f.psi, 3),
        `${driftComparison(f) === 'p-value' ? 'p < ' : '> '}${num(f.threshold)}`,
        num(driftScore(f), 3),
        h('span', { class: f.drifted ? 'fail' : 'pass' }, f.drifted ? 'drifted' : 'no'),
        `${int(f.referenceRows)} / ${int(f.currentRows)}`,
        `${int(f.missing.reference)} / ${int(f.missing.current)}`,
        f.note ? h('span', { class: 'warn' }, f.note) : '',
      ],
    })),
    { data: { table: 'drift' } },
  );
  table.querySelectorAll('tbody tr').forEach((tr, i) => {
    const f = features[i];
    if (f) rows.set(f, tr as HTMLTableRowElement);
  });

  const driftChart = features.length
    ? card(
        'Per-feature drift',
        ctx.charts.add(
          'feature-drift',
          'Drift score of every feature against its threshold',
          featureDriftChart(features, (f) => choose(f)),
          Math.max(160, features.length * 20 + 70),
        ),
        h(
          'p',
          { class: 'caption' },
          'Score 1 = the feature’s threshold (dashed); red bars drifted. Click a bar to plot that feature. Hover for the statistic, p-value, method and why it was chosen.',
        ),
      )
    : card('Per-feature drift', h('p', { class: 'muted' }, 'No features were compared.'));

  const distCard = selected && distBox ? card('Distribution of the selected feature', h('div', { class: 'toolbar' }, select), distBox, details) : null;

  const predCard = pd
    ? card(
        'Prediction drift',
        ctx.charts.add('prediction-drift', 'Predicted class shares: training labels, reference and current', predictionDriftChart(pd), 240),
        h(
          'p',
          { class: 'caption' },
          [
            pd.jsdVsTraining !== undefined ? `Jensen–Shannon distance vs training label frequencies ${num(pd.jsdVsTraining, 3)}` : '',
            pd.jsdVsReference !== undefined ? `vs reference predictions ${num(pd.jsdVsReference, 3)}` : '',
          ]
            .filter(Boolean)
            .join('; ') + `; threshold ${num(pd.threshold)}.`,
        ),
      )
    : null;

  const section = h(
    'section',
    { data: { section: 'staleness' } },
    rerunButton(ctx, 'staleness'),
    kpis,
    h('div', { class: 'grid2' }, driftChart, h('div', { class: 'stack' }, distCard, predCard)),
    h('h2', null, 'Features'),
    s.multipleTesting ? h('p', { class: 'caption', data: { caption: 'multiple-testing' } }, `Multiple testing: ${s.multipleTesting.why}.`) : null,
    h('div', { class: 'scroll' }, table),
    notes(s.notes),
  );
  if (selected) choose(selected);
  return section;
}

function featureDetails(f: FeatureDrift): HTMLElement {
  return h(
    'dl',
    { class: 'kv', data: { feature: f.feature } },
    h('dt', null, 'Feature'),
    h('dd', null, `${f.feature} (${f.kind})`),
    f.summaryOf ? h('dt', null, 'Summary of') : null,
    f.summaryOf ? h('dd', null, `input ${f.summaryOf.input}: the ${f.summaryOf.statistic} of each row's ${int(f.summaryOf.features)} features`) : null,
    h('dt', null, 'Test'),
    h(
      'dd',
      null,
      `${methodNames[f.method] ?? f.method}: statistic ${num(f.statistic)}${f.pValue !== undefined ? `, p = ${num(f.pValue, 3)}` : ''}${f.adjustedPValue !== undefined && f.adjustedPValue !== f.pValue ? `, adjusted p = ${num(f.adjustedPValue, 3)}` : ''}, threshold ${num(f.threshold)} → `,
      h('span', { class: f.drifted ? 'fail' : 'pass' }, f.drifted ? 'drifted' : 'no drift'),
    ),
    h('dt', null, 'Why this test'),
    h('dd', null, f.why),
    f.note ? h('dt', null, 'Note') : null,
    f.note ? h('dd', { class: 'warn' }, f.note) : null,
  );
}

// Metrics suite: overall and per-class metrics, confusion matrix, ROC and
// calibration (classification) or residuals (regression), slices,
// training-serving skew and the challenger against the champion.
import type { MetricsResult } from '../../server/protocol/report';
import type { Ctx } from '../context';
import { card, dataTable, h, kpi, notes } from '../dom';
import { int, num, signed, signedPct } from '../format';
import { confusionTable } from './confusion';
import { isLowerBetter, metricName } from './metric-names';
import { baselineChart, calibrationChart, residualsChart, rocChart } from './metrics-charts';
import { rerunButton } from './rerun';

export function renderMetrics(ctx: Ctx, m: MetricsResult): HTMLElement {
  const base = m.baseline;
  const overall = dataTable(
    [
      { label: 'Metric' },
      { label: 'Value', num: true },
      ...(base
        ? [
            { label: `Champion ${base.version}`, num: true },
            { label: 'Change', num: true },
          ]
        : []),
    ],
    Object.entries(m.overall).map(([k, v]) => {
      const champ = base?.overall[k];
      const delta = champ === undefined ? undefined : v - champ;
      const better = delta === undefined || delta === 0 ? '' : delta > 0 !== isLowerBetter(k) ? 'pass' : 'fail';
      return {
        data: { metric: k },
        cells: [metricName(k), num(v), ...(base ? [num(champ), h('span', { class: better }, signed(delta))] : [])],
      };
    }),
    { data: { table: 'overall' } },
  );

  const kpis = h(
    'div',
    { class: 'kpis' },
    kpi('Evaluated on', `${int(m.rows)} rows`, `${m.dataset} · ${m.task}`),
    m.skew
      ? kpi(
          'Training-serving skew',
          `max |Δ| ${num(m.skew.maxAbsDiff)}`,
          `${int(m.skew.mismatches)} of ${int(m.skew.rows)} rows beyond ${num(m.skew.tolerance)}`,
          m.skew.mismatches ? 'fail' : 'pass',
        )
      : null,
    ...headline(m).map(([k, v]) => kpi(metricName(k), num(v))),
  );

  const cls = m.task === 'classification';
  const perClass = m.perClass?.length
    ? card(
        'Per class',
        dataTable(
          [{ label: 'Class' }, { label: 'Precision', num: true }, { label: 'Recall', num: true }, { label: 'F1', num: true }, { label: 'Support', num: true }],
          m.perClass.map((c) => ({ data: { class: c.label }, cells: [c.label, num(c.precision), num(c.recall), num(c.f1), int(c.support)] })),
          { data: { table: 'per-class' } },
        ),
      )
    : null;
  const confusion = m.confusion
    ? card(
        `Confusion matrix (${m.confusion.labels.length} × ${m.confusion.labels.length})`,
        h('div', { class: 'scroll' }, confusionTable(m.confusion.labels, m.confusion.matrix)),
        h('p', { class: 'caption' }, 'Rows: actual class; columns: predicted. Shade: share of the actual class (diagonal = recall).'),
      )
    : null;
  const roc = m.roc?.length
    ? card(
        m.roc.length > 1 ? 'ROC curves (one vs rest)' : `ROC curve (${m.roc[0]!.label} as positive)`,
        ctx.charts.add('roc', 'Receiver operating characteristic curves', rocChart(m.roc), 320),
      )
    : null;
  const calibration = m.calibration?.bins.length
    ? card(
        'Calibration',
        ctx.charts.add('calibration', 'Reliability diagram: predicted confidence against observed accuracy', calibrationChart(m.calibration), 320),
        h(
          'p',
          { class: 'caption' },
          `Point size ∝ rows in the bin.${m.overall.ece !== undefined ? ` Expected calibration error ${num(m.overall.ece, 3)}.` : ''}`,
        ),
      )
    : null;
  const residuals = m.residuals?.predicted.length
    ? card('Residuals', ctx.charts.add('residuals', 'Residuals against predicted values', residualsChart(m.residuals), 320), residualCaption(m.residuals))
    : null;

  const sliceKeys = [...new Set((m.slices ?? []).flatMap((s) => Object.keys(s.metrics)))];
  const slices = m.slices?.length
    ? card(
        'Slices',
        h(
          'div',
          { class: 'scroll' },
          dataTable(
            [{ label: 'Slice' }, { label: 'Rows', num: true }, ...sliceKeys.map((k) => ({ label: metricName(k), num: true }))],
            m.slices.map((s) => ({ data: { slice: s.name }, cells: [s.name, int(s.rows), ...sliceKeys.map((k) => num(s.metrics[k]))] })),
            { data: { table: 'slices' } },
          ),
        ),
      )
    : null;

  return h(
    'section',
    { data: { section: 'metrics' } },
    rerunButton(ctx, 'metrics'),
    kpis,
    h('div', { class: 'grid2' }, card('Overall', overall), h('div', { class: 'stack' }, perClass, slices)),
    // A 10 × 10 matrix needs a wider column than three charts in a row leave.
    cls ? h('div', { class: (m.confusion?.labels.length ?? 0) > 5 ? 'grid2' : 'grid3' }, confusion, roc, calibration) : h('div', { class: 'grid2' }, residuals),
    base ? renderBaseline(ctx, m) : null,
    notes(m.notes),
  );
}

function headline(m: MetricsResult): [string, number][] {
  const keys = m.task === 'classification' ? ['accuracy', 'f1_macro', 'roc_auc', 'log_loss'] : ['r2', 'mae', 'rmse', 'mape'];
  return keys.filter((k) => m.overall[k] !== undefined).map((k) => [k, m.overall[k]!]);
}

function residualCaption(res: NonNullable<MetricsResult['residuals']>): HTMLElement {
  const r = res.predicted.map((p, i) => (res.actual[i] ?? p) - p);
  const mean = r.reduce((a, b) => a + b, 0) / Math.max(1, r.length);
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, r.length));
  return h(
    'p',
    { class: 'caption' },
    `${int(r.length)} rows; mean residual ${num(mean, 3)} (bias), standard deviation ${num(sd, 3)}. A funnel or curve means the error depends on the prediction.`,
  );
}

function renderBaseline(ctx: Ctx, m: MetricsResult): HTMLElement {
  const base = m.baseline!;
  const challenger = ctx.report.model.version;
  // Metrics on a 0–1 scale share one chart; error metrics in the target's units get their own.
  const unit = base.comparisons.filter((c) => Math.abs(c.champion) <= 1 && Math.abs(c.challenger) <= 1);
  const scaled = base.comparisons.filter((c) => !unit.includes(c));
  const table = dataTable(
    [
      { label: 'Metric' },
      { label: 'Champion', num: true },
      { label: 'Challenger', num: true },
      { label: 'Δ abs.', num: true },
      { label: 'Δ rel.', num: true },
      { label: 'Rule', title: 'the manifest’s maxRegression rule for this metric' },
    ],
    base.comparisons.map((c) => ({
      class: c.pass ? '' : 'failed',
      data: { comparison: c.metric },
      cells: [
        metricName(c.metric),
        num(c.champion),
        num(c.challenger),
        signed(c.absoluteChange),
        signedPct(c.relativeChange, 2),
        h('span', { class: c.pass ? 'pass' : 'fail' }, c.pass ? '✓' : '✗ violated'),
      ],
    })),
    { data: { table: 'baseline' } },
  );
  return h(
    'div',
    { data: { part: 'baseline' } },
    h('h2', null, `Challenger ${challenger} vs champion ${base.name} ${base.version}`),
    h(
      'div',
      { class: 'grid2' },
      unit.length
        ? card(
            'Scores (0–1)',
            ctx.charts.add('baseline', 'Champion and challenger metrics side by side', baselineChart(unit, base.version, challenger, 'value'), 260),
          )
        : null,
      scaled.length
        ? card(
            'Errors (target units)',
            ctx.charts.add(
              'baseline-errors',
              'Champion and challenger error metrics side by side',
              baselineChart(scaled, base.version, challenger, 'value'),
              260,
            ),
          )
        : null,
      card('Comparison', h('div', { class: 'scroll' }, table)),
    ),
  );
}

// Every gate: pass/fail, measured against the rule, the margin, the manifest
// line that set it (a link inside VS Code) and, on expand, how it was measured.
import type { GateResult } from '../../server/protocol/report';
import { statusClass, statusMarks, statusOf, type Ctx } from '../context';
import { dataTable, h } from '../dom';
import { num } from '../format';
import { gateDistance, gateRule, gateSentence, gateValue, plain } from '../../server/protocol/gateText';

export function renderGates(ctx: Ctx): HTMLElement {
  const { report, host } = ctx;
  const manifestName = report.model.manifest.split(/[\\/]/).pop() || 'model.yaml';
  const passed = report.gates.filter((g) => statusOf(g) === 'passed').length;
  // What needs attention first: failed, then inconclusive, then not run, then passed (report order inside each).
  const order: Record<string, number> = { failed: 0, inconclusive: 1, 'not run': 2, passed: 3 };
  const gates = report.gates
    .map((g, i) => ({ g, i }))
    .sort((a, b) => order[statusOf(a.g)]! - order[statusOf(b.g)]! || a.i - b.i)
    .map((x) => x.g);

  const source = (g: GateResult): HTMLElement | string => {
    if (!g.source) return '—';
    const label = `${manifestName}:${g.source.line}`;
    if (!host.interactive) return h('span', { class: 'mono', title: g.source.path.join('.') }, label);
    return h(
      'button',
      {
        class: 'link mono',
        title: `Open ${report.model.manifest} at line ${g.source.line} (${g.source.path.join('.')})`,
        on: { click: () => host.post({ type: 'openSource', line: g.source!.line, column: g.source!.column, gateId: g.id }) },
      },
      label,
    );
  };

  // The key columns fit from 400 px up; the margin column shows when there is room,
  // and how it was measured (with the margin) opens under the gate.
  const table = dataTable(
    [
      { label: '', title: 'pass / fail' },
      { label: 'Gate' },
      { label: 'Measured', num: true },
      { label: 'Rule', num: true },
      { label: 'Margin', num: true, class: 'wide', title: 'Distance to the threshold in the metric’s unit; positive = headroom' },
    ],
    gates.map((g) => {
      const st = statusOf(g);
      const distance = gateDistance(g);
      return {
        class: st === 'passed' ? '' : st === 'failed' ? 'failed' : 'undecided',
        data: { gate: g.id, pass: String(g.pass), status: st },
        title: g.message,
        cells: [
          h('span', { class: statusClass[st], attrs: { 'aria-label': st } }, statusMarks[st]),
          h(
            'div',
            { class: 'gate-cell' },
            h('div', null, h('span', { class: 'mono gate-id' }, g.id), g.source ? ' · ' : null, g.source ? source(g) : null),
            // A gate that needs attention names its metric in its sentence.
            g.metric !== g.id && st === 'passed' ? h('div', { class: 'muted' }, g.metric) : null,
            st === 'passed' ? null : h('div', { class: `gate-msg ${statusClass[st]}` }, gateSentence(g)),
            st !== 'passed' && g.nextStep ? h('div', { class: 'gate-next' }, h('b', null, 'Next: '), plain(g.nextStep)) : null,
            h(
              'details',
              { class: 'gate-how', data: { details: 'how' } },
              h('summary', null, 'How it was measured'),
              h('div', { class: 'muted' }, g.how),
              distance ? h('div', { class: 'muted' }, `Margin: ${distance}.`) : null,
              g.source ? h('div', { class: 'muted' }, `Set in ${manifestName} at line ${g.source.line} (${g.source.path.join('.')}).`) : null,
            ),
          ),
          g.measured === null ? h('span', { class: statusClass[st] }, st === 'not run' ? 'not run' : 'not measured') : gateValue(g, g.measured),
          gateRule(g).replace(/^must be /, ''),
          g.margin === undefined
            ? '—'
            : h('span', { class: g.margin < 0 ? 'fail' : '' }, `${g.margin < 0 ? '−' : g.margin > 0 ? '+' : '±'}${gateValue(g, Math.abs(g.margin))}`),
        ],
      };
    }),
    { data: { table: 'gates' } },
  );
  // The status cell is narrow and centred.
  table.querySelectorAll('tbody tr td:first-child').forEach((td) => td.classList.add('status'));

  // The rows each gate was computed on: what was read, used and dropped, with the first dropped cells.
  const datasets =
    (report.datasets ?? []).length === 0
      ? null
      : h(
          'div',
          { data: { table: 'datasets' } },
          h('h2', null, 'Data the gates used'),
          h(
            'div',
            { class: 'scroll' },
            dataTable(
              [
                { label: 'Suite' },
                { label: 'Data' },
                { label: 'Read', num: true },
                { label: 'Used', num: true },
                { label: 'Dropped', num: true },
                { label: 'First dropped rows' },
              ],
              (report.datasets ?? []).map((d) => ({
                class: d.rowsDropped > 0 ? 'undecided' : '',
                cells: [
                  d.suite,
                  h('span', { class: 'mono' }, `${d.role}: ${d.path}`),
                  num(d.rowsRead),
                  num(d.rowsUsed),
                  h('span', { class: d.rowsDropped > 0 ? 'warn' : '' }, num(d.rowsDropped)),
                  d.dropped.length === 0
                    ? '—'
                    : h(
                        'span',
                        { class: 'muted' },
                        d.dropped
                          .slice(0, 3)
                          .map((x) => `line ${x.line}, ${x.column} = ${JSON.stringify(x.value)} (${x.why})`)
                          .join('; '),
                      ),
                ],
              })),
            ),
          ),
        );

  return h(
    'section',
    { data: { section: 'gates' } },
    h(
      'p',
      { class: 'muted' },
      report.gates.length === 0 ? 'No gates were evaluated.' : `${num(passed)} of ${num(report.gates.length)} gates passed.`,
      host.interactive && report.gates.some((g) => g.source) ? ' Click a line to open the manifest there.' : '',
    ),
    table,
    datasets,
  );
}

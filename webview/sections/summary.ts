// The header: which model, when, how long, the verdict and where it ran.
import type { GateResult, GateStatus, SuiteId } from '../../server/protocol/report';
import { gateSentence, plain } from '../../server/protocol/gateText';
import { gatesOf, statusClass, statusMarks, statusOf, suiteTitles, verdictOf, type Ctx } from '../context';
import { h } from '../dom';
import { duration, timestamp } from '../format';

const allSuites: SuiteId[] = ['stress', 'staleness', 'metrics'];

export function renderSummary(ctx: Ctx, onSuite: (suite: SuiteId) => void): HTMLElement {
  const { report: r, host } = ctx;
  const count = (st: GateStatus) => r.gates.filter((g) => statusOf(g) === st).length;
  const failed = count('failed');
  const undecided = count('inconclusive') + count('not run');
  const v = verdictOf(r);
  const verdict =
    v === 'cancelled'
      ? h('span', { class: 'verdict incomplete', data: { verdict: 'cancelled' } }, 'Incomplete — cancelled')
      : v === 'incomplete'
        ? h(
            'span',
            { class: 'verdict incomplete', data: { verdict: 'incomplete' } },
            undecided
              ? `Incomplete · ${undecided} of ${r.gates.length} gates not decided`
              : `Incomplete · ${(r.summary.suitesNotRun ?? []).map((s) => suiteTitles[s].toLowerCase()).join(', ') || 'a suite'} not run`,
          )
        : v === 'passed'
          ? h('span', { class: 'verdict pass', data: { verdict: 'passed' } }, `Passed · ${r.gates.length} gates`)
          : h('span', { class: 'verdict fail', data: { verdict: 'failed' } }, failed ? `${failed} of ${r.gates.length} gates failed` : 'Failed — suite error');

  const present = allSuites.filter((s) => r.suites[s]);
  const missing = r.summary.suitesNotRun ?? allSuites.filter((s) => !r.suites[s]);
  const banners: HTMLElement[] = [];
  if (v === 'cancelled' || !r.complete) {
    banners.push(
      h(
        'div',
        { class: 'banner warning', attrs: { role: 'status' } },
        h('b', null, r.cancelled ? 'The run was cancelled. ' : 'The run did not finish. '),
        `This report holds only what was measured${present.length ? `: ${present.map((s) => suiteTitles[s].toLowerCase()).join(', ')}` : ''}.`,
        missing.length ? ` Not run: ${missing.map((s) => suiteTitles[s].toLowerCase()).join(', ')}.` : '',
      ),
    );
  } else if (v === 'incomplete') {
    // Nothing failed, but the verdict cannot vouch for the model: say what was not decided and how to finish it.
    const reasons = [...new Set(r.gates.filter((g) => statusOf(g) === 'inconclusive' || statusOf(g) === 'not run').map((g) => g.reason ?? g.message))];
    banners.push(
      h(
        'div',
        { class: 'banner warning', attrs: { role: 'status' } },
        h('b', null, 'Not a complete verdict: this model would be published only ungated. '),
        missing.length ? `Not run: ${missing.map((s) => suiteTitles[s].toLowerCase()).join(', ')}. ` : '',
        h(
          'ul',
          null,
          reasons.slice(0, 6).map((x) => h('li', null, x)),
        ),
      ),
    );
  }
  if (r.summary.errors.length > 0) {
    banners.push(
      h(
        'div',
        { class: 'banner error', attrs: { role: 'alert' } },
        h('b', null, 'Errors'),
        h(
          'ul',
          null,
          r.summary.errors.map((e) => h('li', null, e)),
        ),
      ),
    );
  }

  // A suite shows a tick only when it ran to the end and every one of its gates passed:
  // a cancelled or skipped suite, or one without a single passed gate, never reads as passed.
  const chips = present.map((s) => {
    const gs = gatesOf(r, s);
    const bad = gs.filter((g) => statusOf(g) === 'failed').length;
    const notRun = gs.filter((g) => statusOf(g) === 'not run').length;
    const open = gs.filter((g) => statusOf(g) === 'inconclusive').length + notRun;
    const stopped = missing.includes(s) || (r.cancelled && (gs.length === 0 || notRun > 0));
    const kind = bad ? 'fail' : stopped ? 'muted' : open ? 'warn' : gs.length === 0 ? 'muted' : 'pass';
    const mark = bad ? '✗ ' : stopped ? '⊘ ' : open ? '? ' : gs.length === 0 ? '– ' : '✓ ';
    const words = bad
      ? `${bad} of ${gs.length} failed`
      : stopped
        ? r.cancelled
          ? 'cancelled, not finished'
          : 'not run to the end'
        : open
          ? `${open} of ${gs.length} not decided`
          : gs.length === 0
            ? 'no gates'
            : `${gs.length} passed`;
    return h(
      'button',
      { class: 'chip', title: `Show the ${suiteTitles[s]} tab`, data: { suite: s, state: kind }, on: { click: () => onSuite(s) } },
      h('span', { class: kind, attrs: { 'aria-hidden': 'true' } }, mark),
      `${suiteTitles[s]}: `,
      words,
    );
  });
  const attention = attentionList(ctx);

  const env = r.environment;
  const sha = r.model.artifactSha256 ? ` · sha256 ${r.model.artifactSha256.slice(0, 12)}…` : '';
  const rerun = host.interactive
    ? h('button', { class: 'action', data: { rerun: 'all' }, on: { click: () => host.post({ type: 'rerun', suite: 'all' }) } }, 'Run all tests again')
    : null;

  return h(
    'header',
    { class: 'report', data: { section: 'summary' } },
    h(
      'div',
      { class: 'title-row' },
      h('h1', null, r.model.name, h('span', { class: 'muted' }, ` ${r.model.version}`)),
      verdict,
      h('span', { class: 'spacer' }),
      rerun,
    ),
    h(
      'div',
      { class: 'meta muted' },
      meta('Run', timestamp(r.createdAt)),
      meta('Duration', duration(r.durationMs)),
      meta('Manifest', r.model.manifest),
      meta('Artifact', r.model.artifact + sha),
      meta('Environment', `modelgate ${env.modelgate} · node ${env.node} · ${env.platform} · ${env.cpus} × ${env.cpuModel}`),
    ),
    attention,
    banners,
    h('div', { class: 'suites' }, chips),
  );
}

function meta(label: string, value: string): HTMLElement {
  return h('span', null, h('b', null, label), value);
}

/**
 * The verdict at a glance: failed gates, then inconclusive ones, each with
 * its sentence and next step; not-run gates as one line. Empty when every gate passed.
 */
function attentionList(ctx: Ctx): HTMLElement | null {
  const { report: r, host } = ctx;
  const failed = r.gates.filter((g) => statusOf(g) === 'failed');
  const inconclusive = r.gates.filter((g) => statusOf(g) === 'inconclusive');
  const notRun = r.gates.filter((g) => statusOf(g) === 'not run');
  if (!failed.length && !inconclusive.length && !notRun.length) return null;
  const shown = [...failed, ...inconclusive].slice(0, 8);
  const more = failed.length + inconclusive.length - shown.length;
  const item = (g: GateResult) => {
    const st = statusOf(g);
    return h(
      'li',
      { data: { gate: g.id, status: st } },
      h('span', { class: `mark ${statusClass[st]}`, attrs: { 'aria-hidden': 'true' } }, statusMarks[st]),
      h(
        'div',
        null,
        h('span', { class: 'visually-hidden' }, `${st}: `),
        h('span', { class: 'mono' }, g.id),
        ' ',
        gateSentence(g),
        g.nextStep ? h('div', { class: 'gate-next' }, h('b', null, 'Next: '), plain(g.nextStep)) : null,
      ),
    );
  };
  const reasons = [...new Set(notRun.map((g) => g.reason ?? 'not measured'))];
  return h(
    'div',
    { class: 'attention', data: { attention: '' }, attrs: { role: 'region', 'aria-label': 'Gates that need attention' } },
    h('h2', null, failed.length ? 'Failed first' : 'Not decided'),
    h('ol', { class: 'attention-list' }, shown.map(item)),
    more > 0 ? h('p', { class: 'muted' }, `… and ${more} more in the Gates tab.`) : null,
    notRun.length
      ? h(
          'p',
          { class: 'muted', data: { notrun: String(notRun.length) } },
          `${notRun.length} ${notRun.length === 1 ? 'gate was' : 'gates were'} not run: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''}.`,
          host.interactive ? ' Run all tests again to decide them.' : '',
        )
      : null,
  );
}

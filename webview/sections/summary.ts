// The header: which model, when, how long, the verdict and where it ran.
import type { GateStatus, SuiteId } from '../../server/protocol/report';
import { gatesOf, statusOf, suiteTitles, verdictOf, type Ctx } from '../context';
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

  const chips = present.map((s) => {
    const gs = gatesOf(r, s);
    const bad = gs.filter((g) => statusOf(g) === 'failed').length;
    const open = gs.filter((g) => statusOf(g) === 'inconclusive' || statusOf(g) === 'not run').length;
    const mark = bad ? 'fail' : open ? 'warn' : 'pass';
    return h(
      'button',
      { class: 'chip', title: `Show the ${suiteTitles[s]} tab`, on: { click: () => onSuite(s) } },
      h('span', { class: mark }, bad ? '✗ ' : open ? '? ' : '✓ '),
      `${suiteTitles[s]}: `,
      bad ? `${bad} of ${gs.length} failed` : open ? `${open} of ${gs.length} not decided` : `${gs.length} passed`,
    );
  });

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
    banners,
    h('div', { class: 'suites' }, chips),
  );
}

function meta(label: string, value: string): HTMLElement {
  return h('span', null, h('b', null, label), value);
}

// Lays out one report: the summary header, then tabs for the gates and for
// each suite present. Charts are drawn when their tab first becomes visible.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import type { SuiteId } from '../server/protocol/report';
import { gatesOf, statusOf, suiteTitles, type Ctx } from './context';
import { h } from './dom';
import { renderGates } from './sections/gates';
import { renderMetrics } from './sections/metrics';
import { renderStaleness } from './sections/staleness';
import { renderStress } from './sections/stress';
import { renderSummary } from './sections/summary';

interface Tab {
  id: 'gates' | SuiteId;
  title: string;
  failed: number;
  body: () => HTMLElement;
}

export function renderReport(root: HTMLElement, ctx: Ctx): void {
  const r = ctx.report;
  const tabs: Tab[] = [{ id: 'gates', title: 'Gates', failed: r.gates.filter((g) => statusOf(g) === 'failed').length, body: () => renderGates(ctx) }];
  if (r.suites.stress) tabs.push(suiteTab(ctx, 'stress', () => renderStress(ctx, r.suites.stress!)));
  if (r.suites.staleness) tabs.push(suiteTab(ctx, 'staleness', () => renderStaleness(ctx, r.suites.staleness!)));
  if (r.suites.metrics) tabs.push(suiteTab(ctx, 'metrics', () => renderMetrics(ctx, r.suites.metrics!)));

  const tabsEl = h('vscode-tabs', { data: { tabs: 'suites' } });
  for (const t of tabs) {
    const header = h('vscode-tab-header', { data: { tab: t.id } }, t.title);
    if (t.failed > 0)
      header.appendChild(h('vscode-badge', { attrs: { variant: 'counter', slot: 'content-after' }, title: `${t.failed} failed` }, String(t.failed)));
    tabsEl.appendChild(header);
  }
  for (const t of tabs) tabsEl.appendChild(h('vscode-tab-panel', { data: { panel: t.id } }, t.body()));

  const select = (id: string) => {
    const i = Math.max(
      0,
      tabs.findIndex((t) => t.id === id),
    );
    tabsEl.setAttribute('selected-index', String(i));
  };
  tabsEl.addEventListener('vsc-tabs-select', (ev) => {
    const i = (ev as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    const t = tabs[i];
    if (t) ctx.host.setState({ tab: t.id });
    drawWhenShown(ctx);
  });

  root.replaceChildren(
    renderSummary(ctx, (s) => select(s)),
    tabsEl,
  );
  select(ctx.state.tab ?? 'gates');
  drawWhenShown(ctx);
}

function suiteTab(ctx: Ctx, suite: SuiteId, body: () => HTMLElement): Tab {
  return { id: suite, title: suiteTitles[suite], failed: gatesOf(ctx.report, suite).filter((g) => statusOf(g) === 'failed').length, body };
}

// The tab panel toggles `hidden` synchronously, but layout happens on the next frame.
function drawWhenShown(ctx: Ctx): void {
  requestAnimationFrame(() => ctx.charts.drawVisible());
}

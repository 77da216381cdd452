// Entry of the report webview bundle (dist/webview.js). Two homes:
// - VS Code: the host posts {type:'report'}; the last report and the UI state
//   are kept with setState so a reloaded panel redraws at once.
// - The standalone HTML report: the report is embedded as JSON in the page.
import type { REPORT_VERSION, Report } from '../server/protocol/report';
import type { WebviewState } from '../server/protocol/webview';
import { renderReport } from './app';
import { ChartBoard } from './charts';
import { h } from './dom';
import { connectHost, type Host } from './host';
import { pageCss } from './styles';

// Lit adds a <style nonce> only where constructable stylesheets are missing;
// give it the page's nonce for that case.
const scriptNonce = document.currentScript?.nonce;
if (scriptNonce) (globalThis as { litNonce?: string }).litNonce = scriptNonce;

function adoptPageStyles(): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(pageCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

function rootElement(): HTMLElement {
  let root = document.getElementById('app');
  if (!root) {
    root = h('div', { attrs: { id: 'app' } });
    document.body.appendChild(root);
  }
  return root;
}

function embeddedReport(): Report | undefined {
  const el = document.getElementById('report');
  if (!el?.textContent) return undefined;
  return JSON.parse(el.textContent) as Report;
}

function showMessage(root: HTMLElement, title: string, detail: string): void {
  root.replaceChildren(h('div', { class: 'banner error', attrs: { role: 'alert' }, data: { error: 'load' } }, h('b', null, title), h('p', null, detail)));
}

function isReport(x: unknown): x is Report {
  const r = x as Partial<Report> | null;
  return !!r && r.kind === 'modelgate-report' && typeof r.reportVersion === 'number' && !!r.model && Array.isArray(r.gates) && !!r.suites;
}

// Typed against the protocol's constant (imported as a type only), so a new report version fails to compile here until the viewer follows.
const VIEWER_VERSION: typeof REPORT_VERSION = 2;

function start(host: Host, root: HTMLElement): void {
  const charts = new ChartBoard();

  const show = (report: unknown, state: WebviewState) => {
    if (!isReport(report)) {
      showMessage(
        root,
        'This is not a ModelGate report.',
        'Expected a JSON document with "kind": "modelgate-report". Re-run `modelgate test <manifest> --json report.json` to produce one.',
      );
      return;
    }
    if (report.reportVersion > VIEWER_VERSION) {
      showMessage(root, `Report version ${report.reportVersion} is newer than this viewer (${VIEWER_VERSION}).`, 'Update ModelGate to view it.');
      return;
    }
    charts.destroyAll();
    renderReport(root, { report, host, charts, state });
  };

  host.onMessage((msg) => {
    switch (msg.type) {
      case 'report':
        host.setState({ report: msg.report });
        show(msg.report, host.getState());
        break;
      case 'theme':
        charts.rebuild();
        break;
      case 'running':
        root.querySelectorAll<HTMLButtonElement>('button[data-rerun]').forEach((b) => {
          b.disabled = msg.running;
        });
        break;
    }
  });

  // VS Code switches theme by changing the body class; redraw charts in the new colours.
  new MutationObserver(() => charts.rebuild()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => charts.rebuild());

  const saved = host.getState();
  let initial: unknown = saved.report;
  if (!initial) {
    try {
      initial = embeddedReport();
    } catch (err) {
      showMessage(root, 'The embedded report is not valid JSON.', String(err));
      return;
    }
  }
  if (initial) show(initial, saved);
  else if (host.interactive) root.replaceChildren(h('p', { class: 'muted', data: { waiting: 'report' } }, 'Waiting for the report…'));
  else showMessage(root, 'No report found in this page.', 'Write one with `modelgate test <manifest> --report report.html`.');
  host.post({ type: 'ready' });
}

adoptPageStyles();
start(connectHost(), rootElement());

// The standalone HTML report in real headless Chromium, opened from a file://
// URL: every section, every chart drawn, tables complete, no errors, no
// network, and hostile names stay text. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Report } from '../../../server/protocol/report';
import { renderReportHtml } from '../../../server/report/html';
import { assertFreshBundle, browserUnavailable, launch, paintedPixels, probe, repoRoot } from './browser';

interface Expectation {
  fixture: string;
  /** charts expected per tab */
  tabs: Record<string, string[]>;
  confusion?: number;
}

const expectations: Expectation[] = [
  {
    fixture: 'full',
    tabs: {
      gates: [],
      stress: ['latency-throughput', 'latency-histogram', 'max-rps-search'],
      staleness: ['feature-drift', 'feature-distribution', 'prediction-drift'],
      metrics: ['roc', 'calibration', 'baseline'],
    },
    confusion: 2,
  },
  {
    fixture: 'regression',
    tabs: {
      gates: [],
      stress: ['latency-throughput', 'latency-histogram', 'max-rps-search'],
      staleness: ['feature-drift', 'feature-distribution'],
      metrics: ['residuals', 'baseline', 'baseline-errors'],
    },
  },
  { fixture: 'digits', tabs: { gates: [], metrics: ['roc', 'calibration'] }, confusion: 10 },
  { fixture: 'partial', tabs: { gates: [], staleness: ['feature-drift', 'feature-distribution', 'prediction-drift'] } },
];

const skip = browserUnavailable();
const fixtures = join(repoRoot, 'test', 'fixtures', 'report');
const shots = join(repoRoot, 'test-results');
const loadFixture = (name: string): Report => JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as Report;

describe('HTML report in headless Chromium', { skip }, () => {
  let browser: Browser;
  let dir: string;

  before(async () => {
    assertFreshBundle();
    dir = mkdtempSync(join(tmpdir(), 'mg-report-'));
    mkdirSync(shots, { recursive: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the fixture's HTML to a temp file and opens it; returns the page and its probe. */
  async function open(name: string, opts: { scheme?: 'light' | 'dark'; init?: string } = {}) {
    const report = loadFixture(name);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderReportHtml(report));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: opts.scheme ?? 'light' });
    if (opts.init) await page.addInitScript(opts.init);
    const seen = probe(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('[data-section="summary"]');
    return { page, seen, report, url: pathToFileURL(file).href };
  }

  async function showTab(page: Page, tab: string, charts: string[]): Promise<void> {
    await page.click(`vscode-tab-header[data-tab="${tab}"]`);
    await page.waitForSelector(`vscode-tab-panel[data-panel="${tab}"]:not([hidden])`);
    // data-points is set once chart.js has drawn the chart.
    for (const c of charts) await page.waitForSelector(`canvas[data-chart="${c}"][data-points]`);
  }

  for (const exp of expectations) {
    test(`${exp.fixture}: sections, drawn charts, gates and confusion matrix`, async () => {
      const { page, seen, report, url } = await open(exp.fixture);
      try {
        const sections = await page.$$eval('[data-section]', (els) => els.map((e) => e.getAttribute('data-section')));
        const wanted = ['summary', 'gates', ...Object.keys(exp.tabs).filter((t) => t !== 'gates')];
        assert.deepEqual([...sections].sort(), [...wanted].sort(), 'exactly the sections of the suites in the report');

        const rows = await page.$$eval('[data-section="gates"] table[data-table="gates"] tbody tr', (trs) => trs.length);
        assert.equal(rows, report.gates.length, 'one row per gate');
        const failedRows = await page.$$eval('[data-section="gates"] tbody tr[data-pass="false"]', (trs) => trs.length);
        assert.equal(failedRows, report.gates.filter((g) => !g.pass).length);
        const statuses = await page.$$eval('[data-section="gates"] tbody tr[data-status]', (trs) => trs.map((t) => t.getAttribute('data-status')));
        const rank = (s: string | null) => ['failed', 'inconclusive', 'not run', 'passed'].indexOf(s ?? '');
        assert.deepEqual(
          statuses,
          [...statuses].sort((a, b) => rank(a) - rank(b)),
          'gates that need attention come first',
        );

        const dataRows = await page.$$eval('[data-section="gates"] [data-table="datasets"] tbody tr', (trs) => trs.map((t) => t.textContent ?? ''));
        assert.equal(dataRows.length, report.datasets?.length ?? 0, 'one row per dataset the gates used');
        for (const d of report.datasets ?? [])
          assert.ok(
            dataRows.some((t) => t.includes(d.path) && t.includes(String(d.rowsRead))),
            `${d.path} with its row counts`,
          );

        const verdict = await page.getAttribute('[data-verdict]', 'data-verdict');
        assert.equal(verdict, report.summary.verdict);

        for (const [tab, charts] of Object.entries(exp.tabs)) {
          await showTab(page, tab, charts);
          for (const c of charts) {
            const points = Number(await page.getAttribute(`canvas[data-chart="${c}"]`, 'data-points'));
            assert.ok(points > 0, `${exp.fixture}/${c}: chart has data`);
            const painted = await paintedPixels(page, c);
            assert.ok(painted > 500, `${exp.fixture}/${c}: canvas is drawn (${painted} painted pixels)`);
          }
          await page.screenshot({ path: join(shots, `report-${exp.fixture}-${tab}.png`), fullPage: true });
        }
        const allCharts = await page.$$eval('canvas[data-chart]', (cs) => cs.map((c) => c.getAttribute('data-chart')));
        assert.deepEqual([...allCharts].sort(), Object.values(exp.tabs).flat().sort(), 'no unexpected or missing charts');

        const m = report.suites.metrics?.confusion;
        if (exp.confusion) {
          assert.ok(m, 'fixture has a confusion matrix');
          const cells = await page.$$eval('table[data-table="confusion"] td[data-cell]', (tds) =>
            tds.map((td) => [td.getAttribute('data-cell'), Number(td.getAttribute('data-count')), td.textContent]),
          );
          assert.equal(cells.length, exp.confusion * exp.confusion);
          for (const [cell, count, text] of cells) {
            const [i, j] = String(cell).split('-').map(Number);
            assert.equal(count, m.matrix[i!]![j!], `cell ${cell}`);
            assert.ok(String(text).startsWith(String(count)), `cell ${cell} shows its count`);
          }
        } else {
          assert.equal(await page.$('table[data-table="confusion"]'), null);
        }

        assert.deepEqual(seen.errors, [], 'no console or page errors');
        assert.deepEqual([...new Set(seen.requests)], [url], 'the page loads nothing but itself');
      } finally {
        await page.close();
      }
    });
  }

  test('picking a feature in the drift table re-plots its distribution', async () => {
    const { page, seen } = await open('full');
    try {
      await showTab(page, 'staleness', ['feature-distribution']);
      const first = await page.getAttribute('[data-details="feature"] dl', 'data-feature');
      await page.click('table[data-table="drift"] tbody tr[data-feature="worst area"]');
      await page.waitForSelector('[data-details="feature"] dl[data-feature="worst area"]');
      assert.notEqual(first, 'worst area');
      assert.equal(await page.getAttribute('table[data-table="drift"] tr.selected', 'data-feature'), 'worst area');
      await page.waitForSelector('canvas[data-chart="feature-distribution"][data-points]');
      assert.ok((await paintedPixels(page, 'feature-distribution')) > 500);
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  test('the stress p99 stands beside its interval and noise floor; the drift table shows the correction', async () => {
    const { page, seen, report } = await open('full');
    try {
      await showTab(page, 'stress', ['latency-throughput']);
      const kpis = await page.textContent('[data-section="stress"] .kpis');
      const slo = report.suites.stress!.slo!;
      assert.ok(kpis?.includes(`noise floor ${slo.noiseFloorP99Ms}`) || kpis?.includes('noise floor'), kpis ?? '');
      assert.match(kpis ?? '', /95% interval [\d.]+–[\d.]+ ms over 2 runs/);
      assert.match((await page.textContent('[data-section="stress"]')) ?? '', /Other programs used 1(\.02)? of 2 cores during the run at 200/);
      await showTab(page, 'staleness', ['feature-drift']);
      const heads = await page.$$eval('table[data-table="drift"] thead th', (ths) => ths.map((t) => t.textContent));
      assert.ok(heads.includes('Adjusted p') && heads.includes('PSI'), heads.join(' | '));
      assert.match(
        (await page.textContent('[data-section="staleness"] [data-caption="multiple-testing"]')) ?? '',
        /Multiple testing: Benjamini–Hochberg over the 29 features/,
      );
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  test('hostile model and feature names stay text and run nothing', async () => {
    const { page, seen, report } = await open('hostile');
    try {
      await showTab(page, 'staleness', ['feature-drift', 'feature-distribution', 'prediction-drift']);
      assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0);
      assert.equal(await page.$$eval('script', (s) => s.length), 2);
      const h1 = await page.textContent('[data-section="summary"] h1');
      assert.equal(h1, `${report.model.name} ${report.model.version}`);
      const feature = report.suites.staleness!.features[0]!.feature;
      assert.equal(await page.textContent(`table[data-table="drift"] tr[data-feature='${feature.replace(/'/g, "\\'")}'] td`), feature);
      await page.screenshot({ path: join(shots, 'report-hostile-staleness.png'), fullPage: true });
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  test('dark colour scheme: the page follows it', async () => {
    const { page, seen } = await open('full', { scheme: 'dark' });
    try {
      await showTab(page, 'metrics', ['roc', 'calibration', 'baseline']);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, 'rgb(31, 31, 31)');
      await page.screenshot({ path: join(shots, 'report-full-metrics-dark.png'), fullPage: true });
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  // A stand-in for VS Code's webview API, installed before the bundle runs.
  const fakeVsCode = `
    window.__posted = [];
    window.__state = undefined;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });`;

  test('inside VS Code: ready, openSource, rerun, report and running messages', async () => {
    const { page, seen, report } = await open('full', { init: fakeVsCode });
    try {
      const posted = () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
      assert.deepEqual((await posted())[0], { type: 'ready' });

      const gate = report.gates.find((g) => g.source)!;
      await page.click(`tr[data-gate="${gate.id}"] button.link`);
      assert.deepEqual((await posted()).at(-1), { type: 'openSource', line: gate.source!.line, column: gate.source!.column, gateId: gate.id });

      await page.click('button[data-rerun="all"]');
      assert.deepEqual((await posted()).at(-1), { type: 'rerun', suite: 'all' });

      await page.evaluate(() => window.postMessage({ type: 'running', suite: 'all', running: true }, '*'));
      await page.waitForSelector('button[data-rerun="all"][disabled]');

      const next = loadFixture('regression');
      await page.evaluate((r) => window.postMessage({ type: 'report', report: r }, '*'), next);
      await page.waitForFunction(() => document.querySelector('[data-section="summary"] h1')?.textContent?.startsWith('diabetes'));
      const state = await page.evaluate(() => (window as unknown as { __state: { report?: { model: { name: string } } } }).__state);
      assert.equal(state.report?.model.name, 'diabetes', 'the report is kept in webview state for reloads');

      await showTab(page, 'metrics', ['residuals']);
      const saved = await page.evaluate(() => (window as unknown as { __state: { tab?: string } }).__state.tab);
      assert.equal(saved, 'metrics', 'the selected tab is kept in webview state');
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  test('a new report opens the distribution on its most drifted feature, not on one picked in an earlier report', async () => {
    const report = loadFixture('full');
    const calm = report.suites.staleness!.features.find((f) => !f.drifted && f.bins)!;
    // Webview state kept from another report, where the user had picked a feature that did not drift here.
    const init = `${fakeVsCode}; window.__state = ${JSON.stringify({ feature: calm.feature, featureReport: '2000-01-01T00:00:00.000Z', tab: 'staleness' })};`;
    const { page, seen } = await open('full', { init });
    try {
      await showTab(page, 'staleness', ['feature-distribution']);
      const shown = await page.getAttribute('[data-details="feature"] dl', 'data-feature');
      assert.notEqual(shown, calm.feature);
      assert.equal(report.suites.staleness!.features.find((f) => f.feature === shown)?.drifted, true, `${shown} drifted`);
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });
});

// The standalone HTML report in Light, Dark and High Contrast, checked by
// axe-core in real headless Chromium: no colour-contrast violation (WCAG 2.1
// AA: 4.5:1 for text) and no other WCAG A/AA violation, in every tab; every
// button has a visible border in High Contrast and a visible focus outline;
// from 400 px wide the gates' key columns fit without a horizontal scrollbar.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Report } from '../../../server/protocol/report';
import { renderReportHtml } from '../../../server/report/html';
import { assertFreshBundle, browserUnavailable, launch, probe, repoRoot } from './browser';

const skip = browserUnavailable();
const shots = join(repoRoot, 'test-results');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const loadFixture = (name: string): Report => JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'report', `${name}.json`), 'utf8')) as Report;

type Theme = 'light' | 'dark' | 'high-contrast';
const THEMES: Theme[] = ['light', 'dark', 'high-contrast'];

interface AxeNode {
  target: string[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  help: string;
  nodes: AxeNode[];
}

/** axe-core over the page as it is now (WCAG 2.0/2.1 A and AA rules). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the page's CSP (nonce only) stays as users get it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

const describeViolations = (vs: AxeViolation[]) =>
  vs
    .map(
      (v) =>
        `${v.id} (${v.help}): ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    )
    .join('\n');

describe('HTML report accessibility in Light, Dark and High Contrast', { skip }, () => {
  let browser: Browser;
  let dir: string;

  before(async () => {
    assertFreshBundle();
    dir = mkdtempSync(join(tmpdir(), 'mg-a11y-'));
    mkdirSync(shots, { recursive: true });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string | Report, theme: Theme, width = 1280) {
    const report = typeof name === 'string' ? loadFixture(name) : name;
    const file = join(dir, `${typeof name === 'string' ? name : 'custom'}.html`);
    writeFileSync(file, renderReportHtml(report));
    const page = await browser.newPage({
      viewport: { width, height: 900 },
      colorScheme: theme === 'light' ? 'light' : 'dark',
      contrast: theme === 'high-contrast' ? 'more' : 'no-preference',
    });
    const seen = probe(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('[data-section="summary"]');
    return { page, seen };
  }

  for (const theme of THEMES) {
    for (const fixture of ['full', 'regression', 'digits', 'partial']) {
      test(`${fixture}, ${theme}: axe-core finds no contrast or other WCAG AA violation in any tab`, async () => {
        const { page, seen } = await open(fixture, theme);
        try {
          const tabs = await page.$$eval('vscode-tab-header[data-tab]', (hs) => hs.map((h) => h.getAttribute('data-tab')!));
          assert.ok(tabs.length >= 2, 'the report has tabs to check');
          for (const tab of tabs) {
            await page.click(`vscode-tab-header[data-tab="${tab}"]`);
            await page.waitForSelector(`vscode-tab-panel[data-panel="${tab}"]:not([hidden])`);
            // Expanded details are checked too.
            await page.$$eval(`vscode-tab-panel[data-panel="${tab}"] details`, (ds) => ds.forEach((d) => ((d as HTMLDetailsElement).open = true)));
            const violations = await axeViolations(page);
            assert.deepEqual(violations.filter((v) => v.id === 'color-contrast').length, 0, `${tab}: ${describeViolations(violations)}`);
            assert.deepEqual(
              violations.map((v) => v.id),
              [],
              `${tab}: ${describeViolations(violations)}`,
            );
            if (fixture === 'full') await page.screenshot({ path: join(shots, `report-${theme}-${tab}.png`), fullPage: true });
          }
          assert.deepEqual(seen.errors, []);
        } finally {
          await page.close();
        }
      });
    }
  }

  test('the checks can fail: white text on the pass colour is a contrast violation', async () => {
    const { page } = await open('full', 'light');
    try {
      await page.evaluate(() => {
        const el = document.querySelector('[data-verdict]') as HTMLElement;
        el.style.setProperty('background', '#73c991');
        el.style.setProperty('color', '#ffffff');
      });
      const ids = (await axeViolations(page)).map((v) => v.id);
      assert.ok(ids.includes('color-contrast'), ids.join(', '));
    } finally {
      await page.close();
    }
  });

  test('High Contrast: every button has a visible border, and focus shows an outline', async () => {
    const { page } = await open('full', 'high-contrast');
    try {
      const borders = await page.$$eval('button', (bs) =>
        bs
          .filter((b) => b.getClientRects().length > 0 && !b.classList.contains('link'))
          .map((b) => {
            const cs = getComputedStyle(b);
            return { text: b.textContent, width: cs.borderTopWidth, color: cs.borderTopColor, style: cs.borderTopStyle };
          }),
      );
      assert.ok(borders.length > 0, 'the page has buttons');
      for (const b of borders) {
        assert.equal(b.style, 'solid', `${b.text}: border style`);
        assert.notEqual(b.width, '0px', `${b.text}: border width`);
        assert.notEqual(b.color, 'rgba(0, 0, 0, 0)', `${b.text}: border colour`);
      }
      await page.focus('button.chip');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      const outline = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const cs = getComputedStyle(el);
        return { tag: el.tagName, style: cs.outlineStyle, width: cs.outlineWidth, color: cs.outlineColor };
      });
      assert.equal(outline.tag, 'BUTTON');
      assert.equal(outline.style, 'solid');
      assert.equal(outline.width, '2px');
      assert.equal(outline.color, 'rgb(243, 133, 24)', 'the High Contrast active border colour');
    } finally {
      await page.close();
    }
  });

  test('at 400 px the gates fit without a horizontal scrollbar, failures first, details on expand', async () => {
    const { page, seen } = await open('full', 'dark', 400);
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      const table = await page.$eval('table[data-table="gates"]', (t) => ({ width: t.getBoundingClientRect().right, scroll: t.scrollWidth - t.clientWidth }));
      assert.ok(table.width <= 400, `the gates table ends at ${table.width} px`);
      const heads = await page.$$eval('table[data-table="gates"] thead th', (ths) =>
        ths.filter((t) => t.getClientRects().length > 0).map((t) => t.textContent),
      );
      assert.deepEqual(heads, ['', 'Gate', 'Measured', 'Rule']);
      const first = await page.$eval('table[data-table="gates"] tbody tr', (tr) => tr.getAttribute('data-status'));
      assert.equal(first, 'failed');
      const how = 'table[data-table="gates"] tbody tr:first-child details[data-details="how"]';
      assert.equal(await page.isVisible(`${how} > div`), false, 'how it was measured is folded');
      await page.click(`${how} summary`);
      assert.equal(await page.isVisible(`${how} > div`), true);
      // The verdict header names the failed gates first, with their next step.
      const attention = await page.$$eval('[data-attention] li', (lis) => lis.map((li) => [li.getAttribute('data-status'), li.textContent ?? '']));
      assert.equal(attention.length, 4);
      assert.ok(attention.every(([st]) => st === 'failed'));
      assert.equal(attention[0]![1], '✗failed: staleness.driftedShare share of drifted features 26.67 % — must be ≤ 20 % (over by 6.67 %)');
      await page.screenshot({ path: join(shots, 'report-narrow-400.png'), fullPage: true });
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });

  test('a cancelled run never shows a suite as passed', async () => {
    const report = loadFixture('full');
    report.cancelled = true;
    report.complete = false;
    report.summary = { ...report.summary, verdict: 'cancelled', passed: false, suitesRun: ['staleness', 'metrics'], suitesNotRun: ['stress'] };
    report.gates = report.gates.map((g) =>
      g.suite === 'stress' ? { ...g, status: 'not run' as const, pass: false, measured: null, reason: 'the run was cancelled during stress' } : g,
    );
    const { page, seen } = await open(report, 'light');
    try {
      const chip = await page.$eval('button.chip[data-suite="stress"]', (b) => ({ text: b.textContent, state: b.getAttribute('data-state') }));
      assert.deepEqual(chip, { text: '⊘ Stress: cancelled, not finished', state: 'muted' });
      assert.equal(await page.getAttribute('[data-verdict]', 'data-verdict'), 'cancelled');
      assert.match((await page.textContent('[data-attention] [data-notrun]')) ?? '', /^3 gates were not run: the run was cancelled during stress\.$/);
      assert.deepEqual(seen.errors, []);
    } finally {
      await page.close();
    }
  });
});

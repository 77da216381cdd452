// End to end in a real VS Code (code-server) through its UI: the broken
// sample's diagnostics reach the Problems panel and a code link opens the
// rendered code list at its section; "Run all tests" on the breast-cancer
// sample opens the report webview with its gates and charts; a failed gate
// reads in the user's terms in the Test Explorer; the report passes axe-core's
// contrast check in Light, Dark and High Contrast. Waits on selectors only.
// Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { E2E_DIR, installCodeServer, packageExtension, REPO, startCodeServer, WORKBENCH_SETTINGS, type RunningCodeServer } from './codeServer';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

const RESULTS = join(REPO, 'test-results');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ci = process.env.CI === 'true';

function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!existsSync(join(REPO, 'dist', 'extension.js'))) return 'dist/extension.js is missing (npm run build)';
  return undefined;
}
const missing = missingPrerequisite();
// In CI a missing prerequisite is a failure, not a skip.
if (missing && ci) throw new Error(`e2e: ${missing}`);

let server: RunningCodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
const consoleLines: string[] = [];
const workspace = join(E2E_DIR, 'workspace');

before(async () => {
  if (missing) return;
  rmSync(workspace, { recursive: true, force: true });
  for (const sample of ['broken', 'breast-cancer']) cpSync(join(REPO, 'samples', sample), join(workspace, sample), { recursive: true });
  // These tests are about the editor, not the machine: a latency limit far above any host's noise keeps the
  // stress verdict (and so the publish step) from turning inconclusive on a busy CI host, where a trivial
  // endpoint alone has been seen at p99 90 ms against the sample's 50 ms limit.
  const bc = join(workspace, 'breast-cancer', 'model.yaml');
  writeFileSync(bc, readFileSync(bc, 'utf8').replace(/^ {2}p99Ms: 50$/m, '  p99Ms: 2000'));
  assert.match(readFileSync(bc, 'utf8'), /^ {2}p99Ms: 2000$/m);
  // the workspace is a project of its own: its .modelgate holds what it publishes (not this repository's)
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'modelgate-e2e-workspace', private: true }));
  mkdirSync(RESULTS, { recursive: true });
  const install = installCodeServer();
  const vsix = packageExtension();
  server = await startCodeServer(install, { vsix, settings: WORKBENCH_SETTINGS });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
});

after(async () => {
  // The last state of the window, also when a test failed.
  await page?.screenshot({ path: join(RESULTS, 'e2e-last.png') }).catch(() => undefined);
  if (consoleLines.length) writeFileSync(join(RESULTS, 'e2e-console.log'), consoleLines.join('\n'));
  if (server) writeFileSync(join(RESULTS, 'e2e-code-server.log'), server.log());
  await browser?.close();
  await server?.stop();
});

/** Opens `<folder>/model.yaml` alone in the editor area, so the active tab is surely that file. */
async function openManifest(folder: string): Promise<void> {
  await runCommand('View: Close All Editors');
  await page.locator('.tab').first().waitFor({ state: 'detached' });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`${folder}/model.yaml`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: folder }).first().click();
  await page.locator('.tab.active', { hasText: 'model.yaml' }).waitFor();
}

/** The frame (inside a webview) whose document has `selector`, once one has. */
async function frameWith(selector: string): Promise<Frame> {
  await page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame').locator(selector).first().waitFor({ timeout: 60_000 });
  for (const f of page.frames()) if (await f.$(selector).catch(() => null)) return f;
  throw new Error(`no webview frame holds ${selector}`);
}

/** The quick-pick row whose label is exactly `label` (not one that merely contains it). */
function exactRow(label: string) {
  return page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }) })
    .first();
}

async function runCommand(title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await input.press('Enter');
}

test('the broken sample shows its diagnostics in the editor and the Problems panel', { skip: missing }, async () => {
  const expected = JSON.parse(readFileSync(join(REPO, 'samples', 'broken', 'expected-diagnostics.json'), 'utf8')) as { line: number; code: string }[];
  await openManifest('broken');
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
  await page.keyboard.press('Control+Shift+M');
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor();
  // The panel virtualises long lists: enlarge it so every row is rendered.
  await runCommand('View: Toggle Maximized Panel');
  // Every known mistake of the sample, by code and line, as the Problems panel rows read: `MG109 [Ln 8, Col 9]`.
  const pairs = expected.map((e) => [e.code, e.line] as const);
  const listed = async (): Promise<string> => (await rows.allInnerTexts()).join('\n').replace(/\s+/g, ' ');
  await page
    .waitForFunction(
      (want) => {
        const t = [...document.querySelectorAll('.markers-panel .monaco-list-row')]
          .map((r) => (r as HTMLElement).innerText)
          .join('\n')
          .replace(/\s+/g, ' ');
        return want.every(([code, line]) => t.includes(`${code} [Ln ${line},`));
      },
      pairs,
      { timeout: 30_000 },
    )
    .catch(async (err: Error) => {
      throw new Error(`${err.message}\nexpected ${pairs.map(([c, l]) => `${c}@${l}`).join(', ')}\nthe Problems panel lists:\n${await listed()}`);
    });
  await page.screenshot({ path: join(RESULTS, 'e2e-problems.png') });
  const shown = await listed();
  for (const [code, line] of pairs) assert.ok(shown.includes(`${code} [Ln ${line},`), `${code} on line ${line} is not in the Problems panel`);
  await runCommand('View: Toggle Maximized Panel');

  // The code link opens the code list rendered (markdown preview), scrolled to that code's section.
  const link = rows.filter({ hasText: 'MG305' }).first().locator('a.monaco-link:has(.marker-code)');
  await link.click();
  const preview = await frameWith('h3#mg305');
  await preview.waitForFunction(
    () => {
      const h = document.getElementById('mg305');
      return !!h && window.scrollY > 200 && Math.abs(h.getBoundingClientRect().top) < 150;
    },
    undefined,
    { timeout: 30_000 },
  );
  assert.match((await preview.textContent('h3#mg305')) ?? '', /^MG305$/);
  await page.screenshot({ path: join(RESULTS, 'e2e-code-link.png') });
});

test(
  '"Run all tests" opens the report webview with gates and charts; the Test Explorer lists the suites; Publish shows in the Models view',
  { skip: missing },
  async () => {
    await openManifest('breast-cancer');
    await runCommand('ModelGate: Run all tests');
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const gates = report.locator('section[data-section="gates"]');
    await gates.waitFor({ timeout: 180_000 });
    const gateText = await gates.innerText();
    assert.match(gateText, /metrics\./);
    assert.match(gateText, /stress\./);
    assert.match(gateText, /staleness\./);
    await page.screenshot({ path: join(RESULTS, 'e2e-report.png') });
    // Charts are drawn when their tab is shown: open the stress tab and wait for a drawn canvas.
    await report.locator('vscode-tab-header[data-tab="stress"]').click();
    // Chart.js styles a canvas when it draws a chart into it.
    const canvas = report.locator('vscode-tab-panel[data-panel="stress"] canvas[data-chart][style*="box-sizing"]').first();
    await canvas.waitFor({ timeout: 30_000 });
    const box = await canvas.boundingBox();
    assert.ok(box && box.width > 50 && box.height > 50, `the stress chart has no size: ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(RESULTS, 'e2e-report-stress.png') });
    // The CodeLens shows the result of the run.
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: /\d+\/\d+ gates( \(\d+ not (decided|run)\))? · / })
      .first()
      .waitFor({ timeout: 30_000 });
    // The Test Explorer lists the manifest with its suites.
    await runCommand('Testing: Focus on Test Explorer View');
    const testRows = page.locator('.test-explorer .monaco-list-row');
    await testRows.filter({ hasText: 'breast-cancer/model.yaml' }).first().waitFor({ timeout: 30_000 });
    await testRows.filter({ hasText: 'breast-cancer/model.yaml' }).first().click();
    await page.keyboard.press('ArrowRight');
    await testRows.filter({ hasText: 'Metrics' }).first().waitFor();
    // The run from the command palette is recorded there too: the suites show as passed.
    await page.locator('.test-explorer .monaco-list-row', { hasText: 'Metrics' }).locator('.codicon-testing-passed-icon').first().waitFor({ timeout: 30_000 });
    // Every manifest of the workspace is listed, not only the one that ran.
    await testRows.filter({ hasText: 'broken/model.yaml' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(RESULTS, 'e2e-test-explorer.png') });
    // Publish from the palette (the report passed, so no question), then the Models view lists the version.
    await runCommand('ModelGate: Publish');
    await page
      .locator('.notification-toast', { hasText: /published .*breast-cancer:1\.0\.0/ })
      .first()
      .waitFor({ timeout: 60_000 })
      .catch(async (e: Error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-publish-failed.png') });
        throw e;
      });
    await runCommand('ModelGate: Focus on Models View');
    const models = page.locator('.pane:has(.pane-header:has-text("Models")) .monaco-list-row');
    await models.filter({ hasText: 'breast-cancer/model.yaml' }).first().click();
    await page.keyboard.press('ArrowRight');
    await models.filter({ hasText: 'published 1.0.0' }).first().waitFor({ timeout: 30_000 });
    assert.match(await models.filter({ hasText: 'published 1.0.0' }).first().innerText(), /gated/);
    await page.screenshot({ path: join(RESULTS, 'e2e-models-view.png') });
  },
);

test('the Serve lens starts a server whose address and request rate show in the status bar; Stop server hides it', { skip: missing }, async () => {
  await openManifest('breast-cancer');
  // With the mouse, as a user would: the CodeLens above the manifest.
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Serve' }).first().click();
  const item = page.locator('.statusbar-item', { hasText: /127\.0\.0\.1:\d+ · [\d.k]+ req\/s/ });
  await item.waitFor({ timeout: 60_000 });
  const address = /127\.0\.0\.1:\d+/.exec(await item.innerText())![0];
  // Traffic from outside the editor shows up as a rate (sampled every 2 s).
  const busy = page.locator('.statusbar-item', { hasText: /· [1-9][\d.k]* req\/s/ });
  const row = Array.from({ length: 30 }, () => 1);
  let seen = false;
  void busy.waitFor({ timeout: 30_000 }).then(
    () => {
      seen = true;
    },
    () => undefined,
  );
  const deadline = Date.now() + 30_000;
  while (!seen) {
    assert.ok(Date.now() < deadline, `the status bar never showed a request rate above 0: ${await item.innerText()}`);
    const res = await fetch(`http://${address}/v1/models/breast-cancer:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [row] }),
    });
    assert.equal(res.status, 200);
  }
  await page.screenshot({ path: join(RESULTS, 'e2e-status-bar.png') });
  await runCommand('ModelGate: Stop server');
  await item.waitFor({ state: 'detached', timeout: 30_000 });
  await assert.rejects(fetch(`http://${address}/v2/health/live`), 'the model server still answers after Stop server');
});

// Theme ids as VS Code's built-in theme extension declares them (the ids, not the labels).
const THEMES = [
  { name: 'dark', label: 'Dark Modern', workbench: 'vs-dark', background: 'rgb(31, 31, 31)' },
  { name: 'high-contrast', label: 'Dark High Contrast', workbench: 'hc-black', background: 'rgb(0, 0, 0)' },
  { name: 'light', label: 'Light Modern', workbench: 'vs', background: 'rgb(255, 255, 255)' },
];

test(
  "a failed gate's Test Explorer message word for word; the report and the Test Explorer in Light, Dark and High Contrast, with no contrast violation",
  { skip: missing },
  async () => {
    // A bar the sample's model misses: accuracy 0.9649 on its validation data.
    const bc = join(workspace, 'breast-cancer', 'model.yaml');
    writeFileSync(bc, readFileSync(bc, 'utf8').replace(/^( {4}- metric: accuracy\n {6}min: )0\.94$/m, '$10.99'));
    assert.match(readFileSync(bc, 'utf8'), /- metric: accuracy\n {6}min: 0\.99$/m);
    await openManifest('breast-cancer');
    await runCommand('ModelGate: Run metric tests');
    await frameWith('[data-verdict="failed"]');
    // The message at the gate's manifest line (the peek opens on a failure).
    await page.locator('.tab', { hasText: 'model.yaml' }).first().click();
    const peek = page.locator('.test-output-peek');
    await peek.waitFor({ timeout: 15_000 }).catch(async () => {
      await runCommand('Test: Go to Next Test Failure');
      await peek.waitFor({ timeout: 30_000 });
    });
    const expected =
      'Failed: accuracy 0.9649 — must be ≥ 0.99 (under by 0.02509). Next: the model misses this bar on the validation data: improve it (more or better training data, tuning, class weights) and test again — or, if the bar itself is wrong, change the threshold on the manifest line shown.';
    await page
      .waitForFunction(
        (want) => [...document.querySelectorAll('.test-output-peek')].some((p) => (p as HTMLElement).innerText.replace(/\s+/g, ' ').includes(want)),
        expected,
        { timeout: 30_000 },
      )
      .catch(async (e: Error) => {
        await page.screenshot({ path: join(RESULTS, 'e2e-peek-failed.png') });
        throw new Error(`${e.message}\nthe peek reads: ${(await peek.innerText()).replace(/\s+/g, ' ')}`);
      });
    await page.screenshot({ path: join(RESULTS, 'e2e-test-message.png') });
    await page.keyboard.press('Escape');

    const findings: string[] = [];
    for (const theme of THEMES) {
      // As a user switches: Preferences: Color Theme (not its Marketplace neighbour), then the theme by its name.
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('>Preferences: Color Theme');
      await exactRow('Preferences: Color Theme').click();
      await input.fill(theme.label);
      await exactRow(theme.label).click();
      await page.locator(`.monaco-workbench.${theme.workbench}`).waitFor({ timeout: 30_000 });
      const report = await frameWith('[data-section="summary"]');
      // The webview has the theme's colours once its background is the theme's.
      await report.waitForFunction((bg) => getComputedStyle(document.body).backgroundColor === bg, theme.background, { timeout: 30_000 });
      await report.evaluate(axeSource);
      const violations = await report.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> };
          }
        ).axe;
        const res = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } });
        return res.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
      });
      findings.push(...violations.map((v) => `${theme.name}: ${v}`));
      await page.screenshot({ path: join(RESULTS, `e2e-${theme.name}-report.png`) });
      await runCommand('Testing: Focus on Test Explorer View');
      await page.locator('.test-explorer .monaco-list-row', { hasText: 'breast-cancer/model.yaml' }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(RESULTS, `e2e-${theme.name}-test-explorer.png`) });
    }
    assert.deepEqual(findings, [], 'axe-core color-contrast violations in the report webview');
  },
);

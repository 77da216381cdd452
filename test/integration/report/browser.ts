// Headless Debian Chromium for the report tests, and a page probe that
// records console errors, page errors and every request the page makes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../../helpers/chromium';

export { CHROMIUM };
export const repoRoot = join(__dirname, '..', '..', '..');

/** Why the browser tests cannot run here, or undefined. In CI a missing browser is a failure, not a skip. */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)`;
  if (process.env.CI === 'true') assert.fail(why);
  return why;
}

/** The webview bundle must exist and be newer than its sources, or the test would check stale code. */
export function assertFreshBundle(): void {
  const bundle = join(repoRoot, 'dist', 'webview.js');
  assert.ok(existsSync(bundle), `${bundle} is missing: run \`npm run build\` first`);
  const built = statSync(bundle).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  assert.ok(newest(join(repoRoot, 'webview')) <= built, 'dist/webview.js is older than webview/: run `npm run build` first');
}

export const launch = launchChromium;

export interface Probe {
  errors: string[];
  requests: string[];
}

/** Console errors/warnings, uncaught page errors and request URLs of one page. */
export function probe(page: Page): Probe {
  const p: Probe = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') p.errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => p.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => p.requests.push(r.url()));
  return p;
}

/** Number of non-transparent pixels a chart canvas holds (0 = nothing drawn). */
export async function paintedPixels(page: Page, chart: string): Promise<number> {
  return page.$eval(`canvas[data-chart="${chart}"]`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}

// The standalone HTML report: one self-contained file that renders the report
// JSON with the same webview bundle VS Code uses (dist/webview.js, inlined).
// No network: the bundle, the data and the styles are all in the page, under
// a CSP that only lets the page's own nonce-tagged script run.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Report } from '../protocol/report';

export interface RenderHtmlOptions {
  /** The webview bundle's source; read from disk when omitted. */
  webviewJs?: string;
  /** Fixed nonce (tests); a fresh random one per render otherwise. */
  nonce?: string;
  /** <title>; defaults to "<model> <version> — ModelGate report". */
  title?: string;
}

export class WebviewBundleMissingError extends Error {
  constructor(tried: string[]) {
    super(
      `The report viewer bundle (webview.js) was not found; looked in ${tried.join(' and ')}. Run \`npm run build\` in the ModelGate checkout, then write the report again.`,
    );
    this.name = 'WebviewBundleMissingError';
  }
}

/**
 * Where the bundle lives: next to dist/cli.js when bundled, <repo>/dist when
 * run from source (tests through tsx), and as a last resort ./dist.
 */
export function webviewBundlePaths(): string[] {
  const here = typeof __dirname === 'string' && !__dirname.startsWith('data:') ? __dirname : undefined;
  const paths = here ? [join(here, 'webview.js'), resolve(here, '..', '..', 'dist', 'webview.js')] : [];
  paths.push(resolve('dist', 'webview.js'));
  return [...new Set(paths)];
}

export function readWebviewBundle(tried: string[] = webviewBundlePaths()): string {
  const path = tried.find((p) => existsSync(p));
  if (!path) throw new WebviewBundleMissingError(tried);
  return readFileSync(path, 'utf8');
}

/** JSON that is safe inside <script>: no `<`, `>`, `&` (no `</script>`, no `<!--`), no JS line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The bundle inside an inline <script>: a literal `</script` or `<!--` would end or confuse the element. */
export function scriptForInline(js: string): string {
  return js
    .replace(/\/\/# sourceMappingURL=\S+\s*$/, '')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderReportHtml(report: Report, opts: RenderHtmlOptions = {}): string {
  const js = opts.webviewJs ?? readWebviewBundle();
  const nonce = opts.nonce ?? randomBytes(18).toString('base64');
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('renderReportHtml: the nonce must be at least 16 base64 characters');
  const title = opts.title ?? `${report.model.name} ${report.model.version} — ModelGate report`;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The bundle styles itself with constructable stylesheets (not governed by
    // style-src); the nonce covers the small boot style below.
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ModelGate ${escapeHtml(report.environment?.modelgate ?? '')}">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
:root { color-scheme: light dark; }
body { margin: 0; background: #ffffff; color: #3b3b3b; font-family: system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { body { background: #1f1f1f; color: #cccccc; } }
@media (prefers-contrast: more) { body { background: #000000; color: #ffffff; } }
</style>
</head>
<body>
<noscript>This report needs JavaScript to draw its tables and charts. The raw data is in the <code>report</code> script element of this file.</noscript>
<div id="app"></div>
<script type="application/json" id="report">${jsonForScript(report)}</script>
<script nonce="${nonce}">${scriptForInline(js)}</script>
</body>
</html>
`;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../../server/protocol/report';
import { WebviewBundleMissingError, jsonForScript, readWebviewBundle, renderReportHtml, scriptForInline } from '../../../server/report/html';
import { reportSchemaErrors } from '../../../server/report/validateReport';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'report');
const load = (name: string): Report => JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as Report;
const stubJs = 'document.body.dataset.booted = "1";';

function scriptTags(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1] ?? '', body: m[2] ?? '' }));
}

test('every report fixture follows the report schema', () => {
  for (const name of ['full', 'regression', 'digits', 'partial', 'hostile']) {
    assert.deepEqual(reportSchemaErrors(load(name)), [], `${name}.json`);
  }
});

test('hostile names cannot close the data script or inject markup', () => {
  const report = load('hostile');
  assert.match(report.model.name, /<\/script>/, 'fixture carries a </script> in the model name');
  assert.match(report.suites.staleness!.features[0]!.feature, /<img src=x onerror=/, 'fixture carries an <img onerror> feature name');

  const html = renderReportHtml(report, { webviewJs: stubJs, nonce: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
  const scripts = scriptTags(html);
  assert.equal(scripts.length, 2, 'exactly the data script and the bundle script');
  assert.equal((html.match(/<\/script/gi) ?? []).length, 2, 'no extra </script> anywhere');
  assert.equal((html.match(/<script/gi) ?? []).length, 2, 'no extra <script anywhere');
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /[\u2028\u2029]/, 'JS line separators are escaped');

  const data = scripts.find((s) => /id="report"/.test(s.attrs));
  assert.ok(data, 'report JSON script present');
  assert.match(data.attrs, /type="application\/json"/);
  assert.doesNotMatch(data.body, /[<>&]/, 'no <, > or & left raw in the JSON');
  assert.deepEqual(JSON.parse(data.body), report, 'the JSON round-trips exactly, separators included');
  // The <title> is HTML-escaped, not raw.
  assert.match(html, /<title>evil&lt;\/script&gt;&lt;script&gt;window.__pwned=1&lt;\/script&gt; /);
});

test('jsonForScript escapes the characters that end or confuse a script element', () => {
  const value = { s: '</script><!-- & \u2028\u2029 >' };
  const out = jsonForScript(value);
  assert.equal(out, '{"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u003e"}');
  assert.deepEqual(JSON.parse(out), value);
});

test('a bundle containing </script or <!-- is neutralised and its source map link dropped', () => {
  const js = 'var a="</script>";var b="<!--";var c="</SCRIPT >";\n//# sourceMappingURL=webview.js.map\n';
  const out = scriptForInline(js);
  assert.doesNotMatch(out, /<\/script/i);
  assert.doesNotMatch(out, /<!--/);
  assert.doesNotMatch(out, /sourceMappingURL/);
  // Still the same program: the escapes are no-ops inside JS strings.
  const vals = new Function(`${out}; return [a, b, c];`)() as string[];
  assert.deepEqual(vals, ['</script>', '<!--', '</SCRIPT >']);
});

test('the CSP allows only the page nonce, and the nonce is on the bundle script', () => {
  const html = renderReportHtml(load('full'), { webviewJs: stubJs });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'CSP meta present');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([k, ...v]) => [k!, v]),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('img-src'), ['data:']);
  const scriptSrc = directives.get('script-src') ?? [];
  assert.equal(scriptSrc.length, 1);
  const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc[0]!)?.[1];
  assert.ok(nonce && nonce.length >= 16, 'script-src is a single nonce source');
  assert.deepEqual(directives.get('style-src'), [`'nonce-${nonce}'`]);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);

  const bundle = scriptTags(html).find((s) => !/application\/json/.test(s.attrs));
  assert.equal(/nonce="([^"]+)"/.exec(bundle!.attrs)?.[1], nonce);
  assert.equal(/<style nonce="([^"]+)">/.exec(html)?.[1], nonce);

  const again = renderReportHtml(load('full'), { webviewJs: stubJs });
  assert.notEqual(/'nonce-([^']+)'/.exec(again)?.[1], nonce, 'a fresh nonce per render');
});

test('the page with the real bundle is self-contained: nothing fetched over the network', (t) => {
  const bundlePath = join(__dirname, '..', '..', '..', 'dist', 'webview.js');
  if (!existsSync(bundlePath)) {
    if (process.env.CI === 'true') assert.fail(`${bundlePath} is missing: run \`npm run build\` before the tests`);
    t.skip('dist/webview.js not built (run `npm run build`)');
    return;
  }
  const html = renderReportHtml(load('full'));
  assert.ok(html.length > 100_000, 'the bundle is inlined');
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /<script\b[^>]*\bsrc=/i);
  assert.doesNotMatch(html, /@import|url\(\s*["']?https?:/i);
});

test('a missing bundle fails with a message that says to run npm run build', () => {
  assert.throws(
    () => readWebviewBundle(['/nonexistent/dist/webview.js']),
    (err: unknown) => {
      assert.ok(err instanceof WebviewBundleMissingError);
      assert.match(err.message, /\/nonexistent\/dist\/webview\.js/);
      assert.match(err.message, /npm run build/);
      return true;
    },
  );
});

test('a nonce that could break out of the attribute is refused', () => {
  assert.throws(() => renderReportHtml(load('partial'), { webviewJs: stubJs, nonce: `abc"><script>x</script>` }), /nonce/);
});

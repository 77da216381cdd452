import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportHtml } from '../../../extension/webview/reportHtml';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  nonce: 'abcdefghijklmnop0123',
  title: 'Report: a "b" <c>',
};

test('the page allows only the nonce-tagged bundle to run', () => {
  const html = reportHtml(input);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abcdefghijklmnop0123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="abcdefghijklmnop0123" src="${input.scriptUri}">`]);
  assert.match(html, /<div id="app"><\/div>/);
});

test('the title is escaped and a weak nonce is refused', () => {
  const html = reportHtml(input);
  assert.match(html, /<title>Report: a &quot;b&quot; &lt;c&gt;<\/title>/);
  assert.throws(() => reportHtml({ ...input, nonce: 'short' }), /nonce/);
  assert.throws(() => reportHtml({ ...input, nonce: 'abcdefghijklmnop"><script>' }), /nonce/);
});

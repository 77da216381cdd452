// Every diagnostic code used anywhere in the product is registered in
// codes.ts and documented in docs/diagnostic-codes.md, which is generated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../../server/manifest/codes';
import { renderCodesDoc } from '../../../scripts/gen-codes-doc';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(p);
  }
  return out;
}

function usedCodes(): Map<string, string> {
  const used = new Map<string, string>();
  for (const dir of ['server', 'extension', 'webview']) {
    let files: string[];
    try {
      files = sources(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      if (f.endsWith('codes.ts')) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/['"`](MG\d{3})['"`]/g)) if (!used.has(m[1]!)) used.set(m[1]!, f);
    }
  }
  return used;
}

test('every code used in the source is registered in codes.ts', () => {
  const missing = [...usedCodes()].filter(([c]) => !(c in CODES)).map(([c, f]) => `${c} (${f})`);
  assert.deepEqual(missing, [], 'add these to server/manifest/codes.ts, then run npx tsx scripts/gen-codes-doc.ts');
});

test('docs/diagnostic-codes.md is generated from codes.ts and lists every code', () => {
  const doc = readFileSync('docs/diagnostic-codes.md', 'utf8');
  assert.equal(doc, renderCodesDoc(), 'run `npx tsx scripts/gen-codes-doc.ts` and commit the result');
  // One heading per code: its anchor (#mg102) is what the editor's code link opens.
  for (const code of Object.keys(CODES)) assert.match(doc, new RegExp(`^### ${code}$`, 'm'));
});

test('every registered code has a title, a meaning and a fix', () => {
  for (const [code, info] of Object.entries(CODES)) {
    assert.match(code, /^MG\d{3}$/);
    assert.ok(info.title.length > 3 && info.meaning.length > 10 && info.fix.length > 5, code);
  }
});

test("README's code table lists every code with its severity and title from codes.ts", () => {
  const readme = readFileSync('README.md', 'utf8');
  const rows = new Map([...readme.matchAll(/^\| (MG\d{3}) \| (\w+) \| (.+?) \|$/gm)].map((m) => [m[1]!, `${m[2]} | ${m[3]}`]));
  const wrong = Object.entries(CODES)
    .filter(([code, info]) => rows.get(code) !== `${info.severity} | ${info.title}`)
    .map(([code, info]) => `| ${code} | ${info.severity} | ${info.title} |`);
  assert.deepEqual(wrong, [], "add or correct these rows in README.md's code table");
  const stale = [...rows.keys()].filter((c) => !(c in CODES));
  assert.deepEqual(stale, [], 'README.md lists codes codes.ts does not have');
});

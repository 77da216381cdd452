// Every package the sources import is declared in package.json: one that
// resolves only because another package hoisted it breaks on the next update.
import { strict as assert } from 'node:assert';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string> | undefined>;
const declared = new Set(['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(pkg[k] ?? {})));
// provided by the editor at run time (typed by @types/vscode)
const provided = new Set(['vscode']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : sources(p);
    return /\.(ts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The package name of a bare specifier ('@scope/name/sub' → '@scope/name'), or undefined for relative and built-in ones. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0] ?? '')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

test('every imported package is declared in package.json', () => {
  const undeclared: string[] = [];
  for (const file of ['server', 'extension', 'webview', 'test', 'scripts', 'bench', 'bin'].flatMap(sources)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    )) {
      const name = packageOf(m[1] ?? m[2] ?? m[3] ?? '');
      if (name && !declared.has(name) && !provided.has(name)) undeclared.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(undeclared, [], 'add these to package.json (npm install -D for tools and tests)');
});

// Runs the whole test suite with node's own test runner, after a strict type
// check: unit tests, integration tests (real LSP client, real HTTP server,
// real registry, headless Chromium), then end to end in a real VS Code
// (code-server with the packaged .vsix: the UI test and the extension-host
// suite). `node scripts/test.mjs unit` runs one group.
// Bundles are rebuilt first so CLI tests exercise what users run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const groups = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = groups.length ? groups : ['unit', 'integration', 'e2e'];

function collect(dir) {
  const out = [];
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// The whole suite also type-checks (strict), so a type error fails CI.
if (!groups.length) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('type check failed: fix the errors above (npm run typecheck)');
    process.exit(tsc.status ?? 1);
  }
  // ESLint: typescript-eslint's rules and the direction of imports (eslint.config.mjs).
  const eslint = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'], { stdio: 'inherit' });
  if (eslint.status !== 0) {
    console.error('lint failed: fix the problems above (npm run lint; many are fixed by npx eslint --fix .)');
    process.exit(eslint.status ?? 1);
  }
}

const files = wanted.flatMap((g) => collect(join('test', g)));
if (files.length === 0) {
  console.error(`no test files found under ${wanted.map((g) => 'test/' + g).join(', ')}`);
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit', env: { ...process.env, MODELGATE_TEST: '1' } }
);
process.exit(res.status ?? 1);

// Runs the whole test suite with node's own test runner, after a strict type
// check: unit tests, integration tests (real LSP client, real HTTP server,
// real registry, headless Chromium), then end to end in a real VS Code
// (code-server with the packaged .vsix: the UI test and the extension-host
// suite). `node scripts/test.mjs unit` runs one group; `--skip-slow` leaves
// out the fuzz-sized *.slow.test.ts files.
// Bundles are rebuilt first so CLI tests exercise what users run.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const groups = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const wanted = groups.length ? groups : ['unit', 'integration', 'e2e'];

function collect(dir) {
  const out = [];
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
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
  // ESLint: typescript-eslint's rules and the direction of imports (eslint.config.mjs);
  // then Prettier's formatting.
  const eslint = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'], { stdio: 'inherit' });
  if (eslint.status !== 0) {
    console.error('lint failed: fix the problems above (npm run lint; many are fixed by npx eslint --fix .)');
    process.exit(eslint.status ?? 1);
  }
  const prettier = spawnSync(process.execPath, ['node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.'], { stdio: 'inherit' });
  if (prettier.status !== 0) {
    console.error('formatting differs from Prettier in the files above: run npm run format');
    process.exit(prettier.status ?? 1);
  }
}

// Fuzz-sized tests are named *.slow.test.ts: the full suite (CI) runs them,
// `--skip-slow` leaves them out for a quick run while editing.
const skipSlow = process.argv.includes('--skip-slow');
const pick = (g) => collect(join('test', g)).filter((f) => !(skipSlow && f.endsWith('.slow.test.ts')));
const runs = wanted.map((g) => ({ group: g, files: pick(g) })).filter((r) => r.files.length);
if (runs.length === 0) {
  console.error(`no test files found under ${wanted.map((g) => 'test/' + g).join(', ')}`);
  process.exit(1);
}
// Unit tests hold no shared state (no fixed ports, own temp dirs), so their
// files run side by side on every core; integration and end-to-end tests
// start servers, registries and editors and run one file at a time.
let failed = 0;
for (const { group, files } of runs) {
  const concurrency = group === 'unit' ? Math.max(1, availableParallelism()) : 1;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env: { ...process.env, MODELGATE_TEST: '1' },
  });
  if (res.status !== 0) failed = res.status ?? 1;
}
process.exit(failed);

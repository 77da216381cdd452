// Builds the platform-specific extension package (.vsix) with @vscode/vsce.
//
// The bundles in dist/ already contain every pure-JS dependency, so the
// package ships only what esbuild leaves external and must exist on disk at
// run time: onnxruntime-node (native binary) and autocannon (loads its own
// files in the load generator), with their dependency closure. Those are
// copied into a staging folder together with the bundles, the schema, the
// walkthrough pages and the code list; onnxruntime-node's binaries for other
// platforms are dropped. vsce then packs the staging folder.
//
//   npm run package                      # target of this machine, e.g. linux-x64
//   npm run package -- --target win32-x64
//   npm run package -- --out my.vsix
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAGE = join(ROOT, '.modelgate', 'package', 'stage');
// What esbuild leaves external and the extension needs at run time (scripts/build.mjs).
const RUNTIME_PACKAGES = ['onnxruntime-node', 'autocannon'];
// onnxruntime-node ships binaries for these; vsce names the same targets.
// Dependencies used only by a package's install script, which never runs
// inside an installed extension (onnxruntime-node's CUDA download).
const INSTALL_ONLY = { 'onnxruntime-node': ['adm-zip', 'global-agent'] };
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const FILES = [
  'README.md',
  'LICENSE',
  'bin/modelgate.js',
  'dist/cli.js',
  'dist/server.js',
  'dist/engine.js',
  'dist/modelWorker.js',
  'dist/extension.js',
  'dist/webview.js',
  'docs/diagnostic-codes.md',
  'server/manifest/model.schema.json',
  'extension/walkthrough',
];

function fail(message) {
  process.stderr.write(`modelgate package: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { target: `${process.platform}-${process.arch}`, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v) fail(`${a} needs a value`);
      return v;
    };
    if (a === '--target') opts.target = value();
    else if (a.startsWith('--target=')) opts.target = a.slice('--target='.length);
    else if (a === '--out') opts.out = value();
    else if (a.startsWith('--out=')) opts.out = a.slice('--out='.length);
    else fail(`unknown option ${a}; use --target <${TARGETS.join('|')}> and --out <file.vsix>`);
  }
  if (!TARGETS.includes(opts.target)) {
    fail(`no onnxruntime-node binaries for target "${opts.target}"; choose one of ${TARGETS.join(', ')}`);
  }
  return opts;
}

/** The package folder of `name` as Node would resolve it from `fromDir`. */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Every package folder the runtime packages need (dependencies and installed optional dependencies). */
function dependencyClosure(names) {
  const seen = new Set();
  const queue = names.map((n) => {
    const dir = packageDir(n, ROOT);
    if (!dir) fail(`${n} is not installed; run npm ci first`);
    return dir;
  });
  while (queue.length) {
    const dir = queue.pop();
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      if (INSTALL_ONLY[pkg.name]?.includes(dep)) continue;
      const d = packageDir(dep, dir);
      if (!d) fail(`${dep}, needed by ${relative(ROOT, dir)}, is not installed; run npm ci`);
      queue.push(d);
    }
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      const d = packageDir(dep, dir);
      if (d) queue.push(d);
    }
  }
  return [...seen].sort();
}

function dirSize(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((sum, n) => sum + dirSize(join(p, n)), 0);
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const opts = parseArgs(process.argv.slice(2));
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const out = resolve(opts.out ?? join(ROOT, `modelgate-${rootPkg.version}-${opts.target}.vsix`));

const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed (see above)');

rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
for (const f of FILES) {
  const src = join(ROOT, f);
  if (!existsSync(src)) fail(`${f} is missing; run npm run build (or restore it from git)`);
  cpSync(src, join(STAGE, f), { recursive: true });
}

// The manifest as the package sees it: only the runtime packages as
// dependencies (vsce packs what `npm ls --production` lists), no scripts.
const stagePkg = { ...rootPkg };
delete stagePkg.scripts;
delete stagePkg.devDependencies;
delete stagePkg.private;
stagePkg.dependencies = Object.fromEntries(RUNTIME_PACKAGES.map((n) => [n, rootPkg.dependencies[n]]));
writeFileSync(join(STAGE, 'package.json'), JSON.stringify(stagePkg, null, 2) + '\n');

const closure = dependencyClosure(RUNTIME_PACKAGES);
for (const dir of closure) {
  cpSync(dir, join(STAGE, relative(ROOT, dir)), {
    recursive: true,
    dereference: true,
    // Nested node_modules are copied as packages of their own when needed.
    filter: (src) => !relative(dir, src).split(/[\\/]/).includes('node_modules'),
  });
}

// onnxruntime-node: keep only the target's native binaries.
const [platform, arch] = opts.target.split('-');
const ortBin = join(STAGE, 'node_modules', 'onnxruntime-node', 'bin');
for (const napi of readdirSync(ortBin)) {
  const napiDir = join(ortBin, napi);
  if (!statSync(napiDir).isDirectory()) continue;
  for (const p of readdirSync(napiDir)) {
    if (p !== platform) {
      rmSync(join(napiDir, p), { recursive: true, force: true });
      continue;
    }
    for (const a of readdirSync(join(napiDir, p))) {
      if (a !== arch) rmSync(join(napiDir, p, a), { recursive: true, force: true });
    }
  }
  if (!existsSync(join(napiDir, platform, arch))) {
    fail(`onnxruntime-node has no ${opts.target} binary under ${relative(ROOT, napiDir)}; install on that platform or pick another --target`);
  }
}
// Install scripts never run inside an installed extension: drop them and
// what only they need, so `npm ls` in the stage matches what is copied.
for (const [name, deps] of Object.entries(INSTALL_ONLY)) {
  const dir = join(STAGE, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  for (const d of deps) delete pkg.dependencies?.[d];
  delete pkg.scripts;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  rmSync(join(dir, 'script'), { recursive: true, force: true });
}

writeFileSync(
  join(STAGE, '.vscodeignore'),
  ['**/*.map', '**/*.d.ts', '**/*.md', '!README.md', '!docs/diagnostic-codes.md', '!extension/walkthrough/*.md', '.vscodeignore', ''].join('\n'),
);

mkdirSync(dirname(out), { recursive: true });
const vsceDir = packageDir('@vscode/vsce', ROOT);
if (!vsceDir) fail('@vscode/vsce is not installed; run npm ci');
const vsce = join(vsceDir, 'vsce');
const res = spawnSync(
  process.execPath,
  [vsce, 'package', '--target', opts.target, '--out', out, '--allow-missing-repository', '--no-rewrite-relative-links', '--no-update-package-json'],
  { cwd: STAGE, stdio: 'inherit', env: { ...process.env, npm_config_onnxruntime_node_install: 'skip' } },
);
if (res.status !== 0) fail('vsce could not build the package (see above)');

const size = statSync(out).size;
const summary = {
  vsix: relative(ROOT, out),
  target: opts.target,
  bytes: size,
  unpackedBytes: dirSize(STAGE),
  runtimePackages: closure.map((d) => relative(join(ROOT, 'node_modules'), d)),
};
writeFileSync(join(ROOT, '.modelgate', 'package', 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
process.stdout.write(
  `modelgate: packaged ${summary.vsix} (${mb(size)}, ${mb(summary.unpackedBytes)} unpacked, ${closure.length} runtime packages)\n` +
    `Install it with: code --install-extension ${summary.vsix}\n`,
);

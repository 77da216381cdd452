// Bundles every entry point with esbuild. Native and runtime-loaded packages
// stay external: onnxruntime-node ships a .node binary, autocannon spawns
// workers from its own files, and `vscode` is provided by the editor.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
// tsx: only the sources' worker entry resolves it (server/serving/workers/workerPool.ts); a bundle never does.
const nodeExternal = ['onnxruntime-node', 'autocannon', 'playwright-core', 'vscode', 'fsevents', 'tsx'];

const entries = [
  { in: 'server/cli.ts', out: 'dist/cli.js', platform: 'node' },
  { in: 'server/lsp/main.ts', out: 'dist/server.js', platform: 'node' },
  // forked by the language server to run engine jobs (server/lsp/engine/host.ts)
  { in: 'server/lsp/engine/hostMain.ts', out: 'dist/engine.js', platform: 'node' },
  // a model instance: a worker thread started by every bundle that serves (server/serving/workers/workerPool.ts)
  { in: 'server/serving/workers/modelWorker.ts', out: 'dist/modelWorker.js', platform: 'node' },
  { in: 'extension/extension.ts', out: 'dist/extension.js', platform: 'node' },
  { in: 'webview/main.ts', out: 'dist/webview.js', platform: 'browser' },
];

const started = Date.now();
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) =>
      build({
        entryPoints: [e.in],
        outfile: e.out,
        bundle: true,
        platform: e.platform,
        format: e.platform === 'node' ? 'cjs' : 'iife',
        target: e.platform === 'node' ? 'node20' : 'es2022',
        sourcemap: true,
        minify: e.platform === 'browser',
        external: e.platform === 'node' ? nodeExternal : [],
        logLevel: 'warning',
        legalComments: 'none',
        define: { MODELGATE_VERSION: JSON.stringify(pkg.version) },
      }),
    ),
);
if (!watch) process.stdout.write(`modelgate: bundles built in ${Date.now() - started} ms\n`);

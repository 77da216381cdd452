// Builds the extension-host suite (index + *.spec.ts, bundled with esbuild;
// `vscode` and `mocha` stay external and resolve from the repository's
// node_modules) and a fresh workspace holding copies of the samples it uses.
// Shared by both runners: runElectron.ts and test/e2e/extensionHost.test.ts.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const REPO = resolve(__dirname, '..', '..');
export const SUITE_ROOT = join(REPO, '.modelgate', 'vscode-test');

/**
 * The workspace starts with modelgate.server.path naming a module that does
 * not exist, so the language server cannot start: activation.spec.ts (run
 * first) checks what a user sees then, clears the setting and retries, and
 * the other specs find a running server.
 */
export const MISSING_SERVER = 'dev-build/no-such-server.js';

export interface PreparedSuite {
  /** The suite's entry (`extensionTestsPath`). */
  index: string;
  /** The folder to open: copies of samples/broken and samples/breast-cancer. */
  workspace: string;
}

export async function prepareSuite(): Promise<PreparedSuite> {
  const out = join(SUITE_ROOT, 'out');
  rmSync(out, { recursive: true, force: true });
  const specs = readdirSync(join(__dirname, 'suite'))
    .filter((n) => n.endsWith('.spec.ts'))
    .map((n) => join(__dirname, 'suite', n));
  await build({
    entryPoints: [join(__dirname, 'index.ts'), ...specs],
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    entryNames: '[name]',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  const workspace = join(SUITE_ROOT, 'workspace');
  rmSync(workspace, { recursive: true, force: true });
  for (const sample of ['broken', 'breast-cancer']) cpSync(join(REPO, 'samples', sample), join(workspace, sample), { recursive: true });
  // the workspace is a project of its own: its .modelgate holds what it publishes (not this repository's)
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'modelgate-test-workspace', private: true }));
  mkdirSync(join(workspace, '.vscode'));
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'modelgate.server.path': MISSING_SERVER }, null, 2));
  return { index: join(out, 'index.js'), workspace };
}

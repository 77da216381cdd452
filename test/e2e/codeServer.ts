// Starts code-server for the end-to-end tests: installed outside the project's
// dependencies (install-code-server.sh, cached by version), its own config,
// user data and extensions folders under .modelgate/e2e, the packaged .vsix
// installed with --install-extension, started in its own process group so
// that stopping it also ends its extension hosts and language servers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../helpers/registry';

export const REPO = resolve(__dirname, '..', '..');
export const E2E_DIR = join(REPO, '.modelgate', 'e2e');

/** A quiet workbench: no welcome page, tips, telemetry, update checks or AI side bar; short stress points. */
export const WORKBENCH_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Short stress points keep "Run all tests" to seconds.
  'modelgate.tests.duration': '1s',
  // A failed gate opens its message at the manifest line, wherever the run came from.
  'testing.automaticallyOpenPeekView': 'failureAnywhere',
};

export interface CodeServerInstall {
  node: string;
  entry: string;
}

/** Runs the install script (a no-op when the cached version is there); throws with its output on failure. */
export function installCodeServer(): CodeServerInstall {
  const out = execFileSync('bash', [join(__dirname, 'install-code-server.sh')], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 15 * 60_000,
  });
  const [node, entry] = out.trim().split('\n').slice(-2);
  if (!node || !entry) throw new Error(`install-code-server.sh printed no paths: ${out}`);
  return { node, entry };
}

/** The packaged extension for this machine, built by `npm run package` into .modelgate/e2e. */
export function packageExtension(): string {
  const vsix = join(E2E_DIR, 'modelgate.vsix');
  execFileSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', vsix], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 5 * 60_000,
  });
  return vsix;
}

/**
 * Installs the .vsix into a fresh extensions folder with code-server's own
 * `--install-extension`, as a user would; returns the installed extension's folder.
 */
function installExtension(install: CodeServerInstall, vsix: string, extensionsDir: string, userData: string): string {
  rmSync(extensionsDir, { recursive: true, force: true });
  mkdirSync(extensionsDir, { recursive: true });
  const out = execFileSync(install.node, [install.entry, '--extensions-dir', extensionsDir, '--user-data-dir', userData, '--install-extension', vsix], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 2 * 60_000,
  });
  const dir = readdirSync(extensionsDir).find((n) => n.startsWith('modelgate.modelgate-'));
  if (!dir) throw new Error(`code-server --install-extension ${vsix} installed nothing into ${extensionsDir}:\n${out}`);
  return join(extensionsDir, dir);
}

export interface RunningCodeServer {
  url: string;
  /** Where code-server installed the packaged extension. */
  extensionDir: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The packaged extension to install. */
  vsix: string;
  /** The user's settings.json. */
  settings: Record<string, unknown>;
  /** Let a page run extension tests through the `payload` query (extensionDevelopmentPath, extensionTestsPath). */
  smokeTestDriver?: boolean;
}

export async function startCodeServer(install: CodeServerInstall, opts: StartOptions): Promise<RunningCodeServer> {
  const { vsix, settings: userSettings } = opts;
  const port = await freePort();
  const userData = join(E2E_DIR, 'user-data');
  const extensionsDir = join(E2E_DIR, 'extensions');
  rmSync(userData, { recursive: true, force: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  const extensionDir = installExtension(install, vsix, extensionsDir, userData);
  const config = join(E2E_DIR, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const child = spawn(
    install.node,
    [
      install.entry,
      '--config',
      config,
      '--user-data-dir',
      userData,
      '--extensions-dir',
      extensionsDir,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-workspace-trust',
      '--disable-telemetry',
      '--disable-update-check',
      '--reconnection-grace-time',
      '5',
      ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ],
    { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${resolve(install.node, '..')}:${process.env.PATH}` } },
  );
  let log = '';
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  await new Promise<void>((res, rej) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      if (/HTTP server listening on/.test(log)) res();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`code-server exited with ${code} before listening:\n${log}`)));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    extensionDir,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The negative pid signals the whole group: extension hosts and language servers too.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const force = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5_000);
      await exited;
      clearTimeout(force);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* group already empty */
      }
    },
  };
}

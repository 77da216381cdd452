// Starts code-server for the end-to-end test: installed outside the project's
// dependencies (install-code-server.sh, cached by version), its own config,
// user data and extensions folders under .modelgate/e2e, the extension linked
// in from this checkout, started in its own process group so that stopping
// it also ends its extension hosts and language servers.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '..', '..');
export const E2E_DIR = join(REPO, '.modelgate', 'e2e');

export interface CodeServerInstall {
  node: string;
  entry: string;
}

/** Runs the install script (a no-op when the cached version is there); throws with its output on failure. */
export function installCodeServer(): CodeServerInstall {
  const out = execFileSync('bash', [join(__dirname, 'install-code-server.sh')], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  const [node, entry] = out.trim().split('\n').slice(-2);
  if (!node || !entry) throw new Error(`install-code-server.sh printed no paths: ${out}`);
  return { node, entry };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/**
 * Links the built extension (package.json, dist, server, node_modules for the
 * native onnxruntime-node) into a fresh extensions folder, as an installed
 * extension would be laid out.
 */
function linkExtension(extensionsDir: string): void {
  rmSync(extensionsDir, { recursive: true, force: true });
  const dir = join(extensionsDir, 'modelgate.modelgate-0.1.0');
  mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'server', 'extension', 'node_modules', 'README.md']) {
    symlinkSync(join(REPO, entry), join(dir, entry));
  }
}

export interface RunningCodeServer {
  url: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function startCodeServer(install: CodeServerInstall, userSettings: Record<string, unknown>): Promise<RunningCodeServer> {
  const port = await freePort();
  const userData = join(E2E_DIR, 'user-data');
  const extensionsDir = join(E2E_DIR, 'extensions');
  rmSync(userData, { recursive: true, force: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  linkExtension(extensionsDir);
  const config = join(E2E_DIR, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const child = spawn(install.node, [
    install.entry,
    '--config', config,
    '--user-data-dir', userData,
    '--extensions-dir', extensionsDir,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-workspace-trust', '--disable-telemetry', '--disable-update-check',
    '--reconnection-grace-time', '5',
  ], { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: `${resolve(install.node, '..')}:${process.env.PATH}` } });
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
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      }, 5_000);
      await exited;
      clearTimeout(force);
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group already empty */ }
    },
  };
}

// A real redis-server for the queue tests: on 127.0.0.1, a free port, a temp
// dir, AOF on (appendfsync always) so a restart keeps the streams. Missing
// redis-server skips the tests on a developer's machine and fails them in CI
// (.ci/run installs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { once } from 'node:events';

function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/bin', '/usr/local/bin'])) {
    const p = join(dir, 'redis-server');
    if (existsSync(p)) return p;
  }
  return undefined;
}

export const redisServerPath = findRedisServer();
if (!redisServerPath && process.env.CI === 'true') {
  throw new Error('redis-server is not installed, and CI=true: the queue tests need it (apt-get install redis-server; .ci/run does)');
}
/** `skip` option of the queue tests: a reason when redis-server is missing (never in CI, which throws above). */
export const skipWithoutRedis: string | false = redisServerPath ? false : 'redis-server is not installed (apt-get install redis-server)';

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export interface RedisServer {
  port: number;
  url: string;
  /** URL with the password, when there is one. */
  authUrl: string;
  dir: string;
  /** Stops it gracefully (the AOF is flushed) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  readonly log: string;
}

/** `tls`: PEM files; the server then listens with TLS only, and `url` is rediss://. */
export async function startRedis(opts: { password?: string; tls?: { cert: string; key: string; ca: string } } = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-redis-'));
  const port = await freePort();
  const listen = opts.tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        opts.tls.cert,
        '--tls-key-file',
        opts.tls.key,
        '--tls-ca-cert-file',
        opts.tls.ca,
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  const args = [
    ...listen,
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
    ...(opts.password ? ['--requirepass', opts.password] : []),
  ];
  let child: ChildProcess;
  let log = '';
  const launch = async () => {
    child = spawn(redisServerPath!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        log += d.toString();
        if (/Ready to accept connections/.test(log.slice(-4000))) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready:\n${log}`)));
    });
    await ready;
  };
  await launch();
  const stopChild = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  const scheme = opts.tls ? 'rediss' : 'redis';
  const base = `${scheme}://127.0.0.1:${port}`;
  return {
    port,
    url: base,
    authUrl: opts.password ? `${scheme}://default:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : base,
    dir,
    get log() {
      return log;
    },
    async restart() {
      await stopChild();
      log = '';
      await launch();
    },
    async stop() {
      await stopChild();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// rediss:// end to end: a redis-server listening with TLS only (a private CA
// made here with openssl), a node and a client that trust the CA through
// NODE_EXTRA_CA_CERTS score the validation set as in-process scoring does;
// without the CA the handshake fails with a message that says what to do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStandalone, modelgateBin, repoRoot, runCli } from '../../helpers/cli';
import { startRedis, skipWithoutRedis, type RedisServer } from '../../helpers/redis';

const MANIFEST = join(repoRoot, 'samples/breast-cancer/model.yaml');
const INPUT = join(repoRoot, 'samples/breast-cancer/data/validation.csv');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl && process.env.CI === 'true') throw new Error('openssl is not installed, and CI=true: the TLS queue test needs it (.ci/run installs it)');
const skip = skipWithoutRedis || (hasOpenssl ? false : 'openssl is not installed');

let dir: string;
let redis: RedisServer;
let node: ChildProcess | undefined;

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

before(async () => {
  if (skip) return;
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'mg-queue-tls-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=modelgate-test-ca']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  await writeFile(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  ]);
  redis = await startRedis({ password: 'tls-pw', tls: { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') } });
});
after(async () => {
  node?.kill('SIGKILL');
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a node and a client that trust the CA score through rediss:// as in process', { skip }, async () => {
  assert.match(redis.authUrl, /^rediss:\/\//);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') };
  node = spawn(process.execPath, [modelgateBin, 'serve', MANIFEST, '--port', '0', '--log-level', 'warn', '--queue', redis.authUrl], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  node.stderr!.on('data', (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    node!.stdout!.on('data', (d) => {
      out += d;
      if (/listening on/.test(out)) resolve();
    });
    node!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}\n${err}`)));
  });
  assert.match(out, /consuming modelgate:breast-cancer:requests at rediss:\/\/default:\*\*\*@127\.0\.0\.1:\d+/);
  const direct = await runCli(['score', MANIFEST, '--input', INPUT, '--output', join(dir, 'direct.csv'), '--no-progress']);
  assert.equal(direct.code, 0, direct.stderr);
  const queued = await runCli(['score', MANIFEST, '--input', INPUT, '--output', join(dir, 'tls.csv'), '--no-progress', '--queue', redis.authUrl], { env });
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal(await readFile(join(dir, 'tls.csv'), 'utf8'), await readFile(join(dir, 'direct.csv'), 'utf8'));
  const exited = once(node, 'exit');
  node.kill('SIGTERM');
  await exited;
  assert.doesNotMatch(out + err + queued.stderr, /tls-pw/);
});

test('without the CA, the TLS handshake fails with what to do', { skip }, async () => {
  const r = await runCli(['serve', MANIFEST, '--port', '0', '--queue', redis.authUrl], { env: { NODE_EXTRA_CA_CERTS: '' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /MG361: the TLS handshake with rediss:\/\/default:\*\*\*@127\.0\.0\.1:\d+ failed .*NODE_EXTRA_CA_CERTS/);
  assert.doesNotMatch(r.stderr, /tls-pw/);
});

// Starts Debian's docker-registry (distribution 2.8) for tests: filesystem
// storage in a temp dir, 127.0.0.1 on a free port, optionally with htpasswd
// Basic auth or `auth: token` backed by a small RS256 token service (the
// Bearer flow GHCR and Docker Hub use). Ready means GET /v2/ answers — we
// poll that with a deadline instead of sleeping. Missing binaries fail
// loudly when CI=true and make callers skip otherwise.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, createSign, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** True when `name` is on PATH. Throws when it is missing and CI=true. */
export function requireTool(name: string): boolean {
  const found = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
  if (!found && process.env.CI === 'true') {
    throw new Error(`${name} is not installed but CI=true: install it (apt-get install docker-registry skopeo apache2-utils openssl; see .ci/run)`);
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface TokenService {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Every token request seen (scope params, account, whether credentials were right). */
  requests: { scopes: string[]; account?: string; authorized: boolean }[];
  stop(): Promise<void>;
}

export interface RegistryOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  username?: string;
  password?: string;
  /** Reuse storage (e.g. after a kill). Default: a new temp dir. */
  storageDir?: string;
}

export interface RunningRegistry {
  /** host:port, e.g. 127.0.0.1:40123 */
  host: string;
  port: number;
  storageDir: string;
  username: string;
  password: string;
  tokenService?: TokenService;
  /** oci://127.0.0.1:PORT/<repo> */
  ref(repo: string): string;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Starts again on the same port and storage. */
  restart(): Promise<void>;
  /** Stops the registry (and token service) and removes temp files. */
  stop(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Self-signed RS256 signing certificate for the token service, made by openssl. */
function makeSigningCert(dir: string): { keyPem: string; certPath: string; x5c: string } {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=modelgate-test-token-issuer'],
    { stdio: 'pipe' },
  );
  const certPem = readFileSync(certPath, 'utf8');
  return { keyPem: readFileSync(keyPath, 'utf8'), certPath, x5c: new X509Certificate(certPem).raw.toString('base64') };
}

/**
 * A token endpoint as distribution's `auth: token` expects: Basic
 * credentials in, a JWT out whose `access` claim grants the requested
 * actions (nothing for anonymous callers or wrong passwords → 401).
 */
export async function startTokenService(dir: string, username: string, password: string): Promise<TokenService> {
  const { keyPem, certPath, x5c } = makeSigningCert(dir);
  const service = 'modelgate-test-registry';
  const issuer = 'modelgate-test-issuer';
  const requests: TokenService['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    const header = req.headers.authorization ?? '';
    let account: string | undefined;
    let authorized = false;
    if (header.startsWith('Basic ')) {
      const [u, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      account = u;
      if (u === username && rest.join(':') === password) authorized = true;
      else {
        requests.push({ scopes, account, authorized: false });
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
        return;
      }
    }
    requests.push({ scopes, account, authorized });
    const access = authorized
      ? scopes.map((s) => {
          const [type, ...rest] = s.split(':');
          const actions = rest.pop() ?? '';
          return { type, name: rest.join(':'), actions: actions.split(',').filter(Boolean) };
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const head = { alg: 'RS256', typ: 'JWT', x5c: [x5c] };
    const claims = { iss: issuer, sub: account ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(keyPem);
    const token = `${signingInput}.${base64url(signature)}`;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function registryConfig(port: number, storageDir: string, auth: string): string {
  return (
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${storageDir}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      auth,
    ].join('\n') + '\n'
  );
}

async function waitForV2(port: number, child: ChildProcess, stderr: () => string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (;;) {
    if (exited !== undefined) throw new Error(`docker-registry exited with code ${exited} before answering: ${stderr().trim()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer GET /v2/ on port ${port} within ${deadlineMs} ms: ${stderr().trim()}`);
    // event wait: the next probe goes out as soon as this one failed, 25 ms apart at most
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<RunningRegistry> {
  const work = mkdtempSync(join(tmpdir(), 'mg-registry-'));
  const storageDir = opts.storageDir ?? join(work, 'storage');
  const username = opts.username ?? 'modelgate';
  const password = opts.password ?? 'correct horse battery staple';
  let tokenService: TokenService | undefined;
  let authYaml = '';
  if (opts.auth === 'htpasswd') {
    const line = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' }).trim();
    writeFileSync(join(work, 'htpasswd'), line + '\n');
    authYaml = ['auth:', '  htpasswd:', '    realm: modelgate-test', `    path: ${join(work, 'htpasswd')}`].join('\n');
  } else if (opts.auth === 'token') {
    tokenService = await startTokenService(work, username, password);
    authYaml = [
      'auth:',
      '  token:',
      `    realm: ${tokenService.realm}`,
      `    service: ${tokenService.service}`,
      `    issuer: ${tokenService.issuer}`,
      `    rootcertbundle: ${tokenService.certPath}`,
    ].join('\n');
  }

  let port = 0;
  let child: ChildProcess | undefined;
  const launch = async (fixedPort?: number): Promise<void> => {
    for (let tries = 0; ; tries++) {
      port = fixedPort ?? (await freePort());
      const configPath = join(work, 'config.yml');
      writeFileSync(configPath, registryConfig(port, storageDir, authYaml));
      let err = '';
      const c = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr!.on('data', (d: Buffer) => {
        err += d.toString('utf8');
      });
      try {
        await waitForV2(port, c, () => err, 15_000);
        child = c;
        return;
      } catch (e) {
        c.kill('SIGKILL');
        // another process took the free port between probe and bind: pick another
        if (!fixedPort && tries < 3 && /address already in use/.test(err)) continue;
        throw e;
      }
    }
  };
  await launch();

  const kill = (): Promise<void> =>
    new Promise((resolve) => {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });

  return {
    get host() {
      return `127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    storageDir,
    username,
    password,
    tokenService,
    ref: (repo: string) => `oci://127.0.0.1:${port}/${repo}`,
    kill,
    restart: async () => {
      await kill();
      await launch(port);
    },
    stop: async () => {
      await kill();
      await tokenService?.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * Runs skopeo asynchronously (a synchronous spawn would block this process's
 * event loop, and with it the in-process token service skopeo asks for a
 * token). Resolves stdout as bytes; rejects with stderr on failure.
 */
export function skopeoRaw(args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('skopeo', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`skopeo ${args.join(' ')} failed (${signal ?? code}): ${err.trim()}`));
    });
  });
}

/** skopeo's stdout as text. */
export async function skopeo(args: string[]): Promise<string> {
  return (await skopeoRaw(args)).toString('utf8');
}

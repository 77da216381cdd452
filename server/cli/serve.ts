// `modelgate serve <manifest|dir>...`: serve models over TF Serving v1 and
// KServe v2 REST until SIGINT/SIGTERM, then drain and exit 0.
import type { Command } from 'commander';
import { ManifestError, formatDiagnostic } from '../manifest/load';
import { PortInUseError, startServer } from '../serving/server';
import type { ModelStatus } from '../serving/repository';
import { fail } from './exit';
import { readTokenFile } from '../serving/admin/adminToken';
import { pullModel } from '../publish/index';
import type { WorkersSetting } from '../serving/workers/sizing';
import { ServingError } from '../serving/errors';
import type { QueueSettings } from '../serving/queue/settings';
import { parseRedisUrl } from '../serving/queue/redisUrl';

/** "8mb", "512kb", "1048576" → bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) fail(`${flag} ${JSON.stringify(text)} is not a size; write e.g. 8mb, 512kb or a number of bytes`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}

export function parseInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${flag} ${JSON.stringify(text)} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Prints every manifest diagnostic as path:line:col and exits 2. */
export function failOnLoadError(err: unknown): never {
  const errors = err instanceof AggregateError ? err.errors : [err];
  const lines: string[] = [];
  for (const e of errors) {
    if (e instanceof ManifestError && e.diagnostics.length) {
      lines.push(...e.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(e.path, d)));
    } else if (e instanceof Error) {
      lines.push(e.message);
    } else {
      lines.push(String(e));
    }
  }
  fail(`cannot load the model(s):\n${lines.map((l) => '  ' + l).join('\n')}`, 2);
}

function table(models: ModelStatus[]): string {
  const rows = [['MODEL', 'VERSION', 'DEFAULT', 'LABELS', 'TASK', 'WORKERS']];
  for (const m of models) {
    for (const v of m.versions)
      rows.push([m.name, v.version, v.version === m.defaultVersion ? 'yes' : '', v.labels.join(',') || '-', v.task, v.workers ? String(v.workers) : 'inline']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

interface ServeFlags {
  host: string;
  port: string;
  watch?: boolean;
  bodyLimit: string;
  maxInstances: string;
  requestTimeout: string;
  cors?: boolean;
  logLevel: string;
  adminTokenFile?: string;
  workers?: string;
  queue?: string;
  queueClaimIdle?: string;
  queueMaxDeliveries?: string;
}

/** --queue and its tuning flags, over the manifests' serving.queue. */
function queueFlags(flags: ServeFlags): Partial<QueueSettings> | undefined {
  const q: Partial<QueueSettings> = {};
  if (flags.queue !== undefined) {
    // before any model loads: a mistyped URL fails at once
    try {
      parseRedisUrl(flags.queue);
    } catch (err) {
      fail(`--queue: ${(err as ServingError).code}: ${(err as Error).message}`, 2);
    }
    q.url = flags.queue;
  }
  if (flags.queueClaimIdle !== undefined) q.claimIdleMs = parseInteger(flags.queueClaimIdle, '--queue-claim-idle', 100, 86_400_000);
  if (flags.queueMaxDeliveries !== undefined) q.maxDeliveries = parseInteger(flags.queueMaxDeliveries, '--queue-max-deliveries', 1, 1000);
  return Object.keys(q).length ? q : undefined;
}

/** --workers: auto, inline or a count. */
export function parseWorkers(text: string): WorkersSetting {
  if (text === 'auto' || text === 'inline') return text;
  return parseInteger(text, '--workers', 1, 64);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve models over TensorFlow Serving REST v1 and the Open Inference Protocol (KServe v2), with adaptive batching, /metrics and live drift health',
    )
    .argument('<manifests...>', 'model.yaml files, directories holding model.yaml, or directories of model directories')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8500')
    .option('--watch', 'reload a model when its manifest or ONNX file changes (the old version serves until the new one is warm)')
    .option('--body-limit <size>', 'largest request body (e.g. 8mb, 512kb)', '8mb')
    .option('--max-instances <n>', 'most instances in one request', '10000')
    .option('--request-timeout <ms>', 'time to receive a request, and the longest a request may wait for inference', '30000')
    .option('--cors', 'answer cross-origin requests from any origin')
    .option(
      '--admin-token-file <file>',
      'enable the admin API under /admin (load by OCI reference, activate, canary, rollback), authenticated with the token in this file',
    )
    .option(
      '--workers <n>',
      "model instances per version, each a worker thread with its own session: a number, inline (the main thread) or auto; overrides every manifest's serving.workers",
    )
    .option(
      '--queue <url>',
      "also consume each model's Redis stream modelgate:{model}:requests (consumer group modelgate): redis://[user[:password]@]host:port[/db], rediss:// for TLS; the password may come from MODELGATE_REDIS_PASSWORD (docs/queue.md)",
    )
    .option('--queue-claim-idle <ms>', 'claim requests another node read and left unanswered this long (default 30000, or serving.queue.claimIdleMs)')
    .option(
      '--queue-max-deliveries <n>',
      'move a request delivered more than this many times to modelgate:{model}:dead (default 5, or serving.queue.maxDeliveries)',
    )
    .option('--log-level <level>', 'log level on stderr: fatal, error, warn, info, debug', 'info')
    .addHelpText(
      'after',
      '\nExamples:\n  modelgate serve samples/breast-cancer/model.yaml samples/digits/model.yaml\n  modelgate serve samples/ --port 0 --watch\n  modelgate serve samples/breast-cancer/model.yaml --queue redis://127.0.0.1:6379\n\nEndpoints and request formats: docs/serving.md; the queue: docs/queue.md',
    )
    .action(async (manifests: string[], flags: ServeFlags) => {
      const port = parseInteger(flags.port, '--port', 0, 65535);
      const bodyLimit = parseSize(flags.bodyLimit, '--body-limit');
      const maxInstancesPerRequest = parseInteger(flags.maxInstances, '--max-instances', 1);
      const requestTimeoutMs = parseInteger(flags.requestTimeout, '--request-timeout', 1);
      const workers = flags.workers === undefined ? undefined : parseWorkers(flags.workers);
      const queue = queueFlags(flags);
      if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(flags.logLevel))
        fail(`--log-level ${flags.logLevel} is not one of fatal, error, warn, info, debug, trace, silent`);
      let admin: { token: string; pull: (ref: string, dir: string) => ReturnType<typeof pullModel> } | undefined;
      if (flags.adminTokenFile !== undefined) {
        try {
          const token = await readTokenFile(flags.adminTokenFile, (msg) => process.stderr.write(`modelgate: warning: ${msg}\n`));
          admin = { token, pull: (ref, dir) => pullModel(ref, dir) };
        } catch (err) {
          fail(`--admin-token-file: ${(err as Error).message}`, 2);
        }
      }
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({
          manifests,
          host: flags.host,
          port,
          watch: !!flags.watch,
          bodyLimit,
          maxInstancesPerRequest,
          requestTimeoutMs,
          workers,
          cors: !!flags.cors,
          admin,
          // the manifests' serving.queue, with the flags over it
          queue: queue ?? {},
          logger: { level: flags.logLevel, stream: process.stderr },
        });
      } catch (err) {
        if (err instanceof PortInUseError) fail(err.message, 2);
        // queue URL or connection (MG360, MG361): the message already masks the password
        if (err instanceof ServingError && /^MG36/.test(err.code)) fail(`${err.code}: ${err.message}`, 2);
        if ((err as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL' || (err as NodeJS.ErrnoException).code === 'EACCES') {
          fail(`cannot listen on ${flags.host}:${port}: ${(err as Error).message}; check --host and --port (ports below 1024 need privileges)`, 2);
        }
        failOnLoadError(err);
      }
      process.stdout.write(`${table(server.models)}\n`);
      for (const m of server.models) for (const v of m.versions) if (v.batchingNote) process.stdout.write(`note: ${m.name} ${v.version}: ${v.batchingNote}\n`);
      if (flags.watch) process.stdout.write('watching manifests and model files for changes\n');
      if (admin) process.stdout.write(`admin API enabled under ${server.url}/admin (bearer token from ${flags.adminTokenFile})\n`);
      for (const c of server.consumers)
        process.stdout.write(
          `consuming ${c.names.requests} at ${c.where} as ${c.consumer} (replies carry the request id; dead letters: ${c.names.deadLetters})\n`,
        );
      process.stdout.write(`listening on ${server.url}\n`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      process.stderr.write(`modelgate: ${signal}: no new requests; draining in-flight requests…\n`);
      // a second signal while draining means "now"
      const force = () => {
        process.stderr.write('modelgate: stopping without draining\n');
        process.exit(130);
      };
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      await server.close();
      process.removeListener('SIGINT', force);
      process.removeListener('SIGTERM', force);
      process.stderr.write('modelgate: stopped\n');
    });
}

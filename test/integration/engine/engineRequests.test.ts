// The engine requests through a real language server over stdio: tests with
// work-done progress, cancellation, and serve/stop of a local model server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, WorkDoneProgress } from 'vscode-languageserver-protocol/node';
import { REPO, startLspClient, type LspClient } from '../lsp/lspClient';
import { requireTool, startRegistry } from '../../helpers/registry';
import {
  CreateManifestRequest,
  PublishRequest,
  RunTestsRequest,
  ServeRequest,
  StopRequest,
  ServerStatusNotification,
  VersionsRequest,
} from '../../../server/protocol/lsp';

const manifest = join(REPO, 'samples', 'breast-cancer', 'model.yaml');
let client: LspClient;
const tmp = mkdtempSync(join(tmpdir(), 'modelgate-engine-'));

before(async () => {
  assert.ok(existsSync(manifest), `${manifest} is missing: the breast-cancer sample is needed`);
  client = startLspClient([join(REPO, 'dist', 'server.js'), '--stdio']);
  await client.initialize();
});

after(async () => {
  await client.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('runTests answers with a report and reports progress between begin and end', async () => {
  const kinds: string[] = [];
  client.conn.onProgress(WorkDoneProgress.type, 'run-1', (v) => {
    kinds.push(v.kind);
  });
  const params: RunTestsRequest.Params = { manifest, only: ['staleness', 'metrics'], workDoneToken: 'run-1' };
  const { report } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, params);
  assert.equal(report.kind, 'modelgate-report');
  assert.equal(report.complete, true);
  assert.deepEqual(Object.keys(report.suites).sort(), ['metrics', 'staleness']);
  assert.ok(report.gates.length > 0);
  assert.ok(
    report.gates.every((g) => g.suite === 'metrics' || g.suite === 'staleness' || g.status === 'not run'),
    'the stress gates are listed, as not run',
  );
  assert.equal(report.summary.verdict, 'incomplete', 'stress did not run: the verdict cannot be passed');
  assert.deepEqual(report.summary.suitesNotRun, ['stress']);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds.at(-1), 'end');
});

test('runTests on a missing manifest fails with a message naming the file', async () => {
  const missing = join(REPO, 'samples', 'nope', 'model.yaml');
  await assert.rejects(
    client.conn.sendRequest(RunTestsRequest.method, { manifest: missing } satisfies RunTestsRequest.Params),
    (err: Error) => err.message.includes(missing) || err.message.includes('nope'),
  );
});

test('cancelling runTests answers with the report of what ran, marked cancelled (never a RequestCancelled error)', async () => {
  const source = new CancellationTokenSource();
  const progress: string[] = [];
  client.conn.onProgress(WorkDoneProgress.type, 'run-2', (v) => {
    if (v.kind !== 'end' && v.message) progress.push(v.message);
    // Cancel once the load test is under way, not on a timer.
    if (v.kind === 'report' && v.message?.startsWith('Stress: ')) source.cancel();
  });
  const params: RunTestsRequest.Params = { manifest, only: ['staleness', 'stress'], duration: '30s', workDoneToken: 'run-2' };
  const started = Date.now();
  // The contract (server/protocol/lsp.ts, RunTestsRequest): a Result, so a rejection fails here.
  const { report } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, params, source.token);
  assert.ok(source.token.isCancellationRequested, `the run ended before stress progress arrived: ${progress.join(' | ')}`);
  assert.equal(report.cancelled, true);
  assert.equal(report.complete, false);
  assert.equal(report.summary.verdict, 'cancelled');
  assert.equal(report.summary.passed, false);
  assert.ok(report.suites.staleness, 'the suite that finished before the cancel is kept');
  const stress = report.gates.filter((g) => g.suite === 'stress');
  assert.ok(stress.length > 0, 'the stress gates are listed');
  assert.deepEqual(
    stress.filter((g) => g.status !== 'not run' || !/cancelled/.test(g.reason ?? '')),
    [],
    'an interrupted suite judges no gate: each is not run, because of the cancel',
  );
  // Four 30 s points would take minutes; a cancelled run ends well before one point completes.
  assert.ok(Date.now() - started < 30_000, 'the run did not stop when cancelled');
});

test('serve starts a model server on 127.0.0.1 and stop closes it', async () => {
  const statuses: ServerStatusNotification.Params[] = [];
  client.conn.onNotification(ServerStatusNotification.type, (p) => {
    statuses.push(p);
  });
  const served = await client.conn.sendRequest<ServeRequest.Result>(ServeRequest.method, { manifests: [manifest], port: 0 } satisfies ServeRequest.Params);
  assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(
    served.models.map((m) => m.name),
    ['breast-cancer'],
  );
  const live = await fetch(`${served.url}/v2/health/live`);
  assert.equal(live.status, 200);
  // Requests while it runs come back as a request rate in a status notification (sampled every 2 s).
  const deadline = Date.now() + 15_000;
  while (!statuses.some((s) => (s.requestsPerSecond ?? 0) > 0)) {
    assert.ok(Date.now() < deadline, `no status notification with a request rate arrived: ${JSON.stringify(statuses)}`);
    assert.equal((await fetch(`${served.url}/v2/health/ready`)).status, 200);
  }
  const busy = statuses.find((s) => (s.requestsPerSecond ?? 0) > 0)!;
  assert.equal(busy.running, true);
  assert.equal(busy.url, served.url);
  const stopped = await client.conn.sendRequest<StopRequest.Result>(StopRequest.method, {});
  assert.deepEqual(stopped, { stopped: true, url: served.url });
  await assert.rejects(fetch(`${served.url}/v2/health/live`));
  const again = await client.conn.sendRequest<StopRequest.Result>(StopRequest.method, {});
  assert.deepEqual(again, { stopped: false });
  assert.equal(statuses[0]?.running, true);
  assert.equal(statuses[0]?.requestsPerSecond, 0);
  assert.deepEqual(statuses[0]?.manifests, [manifest], 'the status names the served manifest, so the editor keys by it');
  assert.deepEqual(
    statuses.slice(-2).map((s) => s.running),
    [false, false],
  );
  assert.ok(
    statuses.slice(0, -2).every((s) => s.running),
    'a running status arrived after the stop',
  );
});

test('publish: refused without a report or with a partial one (not gated), published ungated when forced, gated only after every suite', async () => {
  const target = join(tmp, 'layout');
  const before = await client.conn.sendRequest<VersionsRequest.Result>(VersionsRequest.method, { manifest, target } satisfies VersionsRequest.Params);
  assert.deepEqual(before, { location: target, versions: [] }, 'a layout that does not exist yet has no versions');
  await assert.rejects(client.conn.sendRequest(PublishRequest.method, { manifest, target } satisfies PublishRequest.Params), (err: Error) =>
    /no test report vouches for it/.test(err.message),
  );
  // a partial report of its own (staleness and metrics, no stress), not one left by another test
  const { report: partial } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, {
    manifest,
    only: ['staleness', 'metrics'],
  } satisfies RunTestsRequest.Params);
  assert.deepEqual(partial.summary.suitesNotRun, ['stress']);
  // Staleness and metrics passed, but stress never ran: a gated publish is refused and says what was not run,
  // as a ModelGate error (RequestFailed with its code and exit code), not an internal error.
  await assert.rejects(
    client.conn.sendRequest(PublishRequest.method, { manifest, target, report: partial } satisfies PublishRequest.Params),
    (err: Error & { code?: number; data?: { code?: string; exitCode?: number } }) =>
      /not a complete verdict .*suite\(s\) not run: stress/s.test(err.message) &&
      err.code === LSPErrorCodes.RequestFailed &&
      err.data?.code === 'MG405' &&
      err.data.exitCode === 3,
  );
  const forced = await client.conn.sendRequest<PublishRequest.Result>(PublishRequest.method, {
    manifest,
    target: join(tmp, 'ungated'),
    report: partial,
    force: true,
  } satisfies PublishRequest.Params);
  assert.equal(forced.gated, false);

  const { report: full } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, {
    manifest,
    duration: '500ms',
    concurrency: [1, 4],
  } satisfies RunTestsRequest.Params);
  assert.equal(
    full.summary.verdict,
    'passed',
    full.gates
      .filter((g) => g.status !== 'passed')
      .map((g) => g.message)
      .join('\n'),
  );
  const result = await client.conn.sendRequest<PublishRequest.Result>(PublishRequest.method, {
    manifest,
    target,
    report: full,
  } satisfies PublishRequest.Params);
  assert.equal(result.gated, true);
  assert.match(result.digest, /^sha256:[0-9a-f]{64}$/);
  const index = JSON.parse(readFileSync(join(target, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  assert.ok(
    index.manifests.some((m) => m.digest === result.digest),
    'the layout index does not list the published manifest',
  );
  const after = await client.conn.sendRequest<VersionsRequest.Result>(VersionsRequest.method, { manifest, target } satisfies VersionsRequest.Params);
  assert.equal(after.versions.length, 1);
  assert.equal(after.versions[0]!.tag, '1.0.0');
  assert.equal(after.versions[0]!.digest, result.digest);
  assert.equal(after.versions[0]!.gated, true);
  await assert.rejects(
    client.conn.sendRequest(VersionsRequest.method, { manifest, target: `${target}:1.0.0` } satisfies VersionsRequest.Params),
    (err: Error) => /names a tag; give the repository only/.test(err.message),
  );
});

test('publish to a registry that refuses the login: the error carries MG402 and the HTTP status, so the editor offers credentials', async (t) => {
  if (!requireTool('docker-registry') || !requireTool('htpasswd')) return t.skip('docker-registry or htpasswd not installed');
  const reg = await startRegistry({ auth: 'htpasswd' });
  try {
    await assert.rejects(
      client.conn.sendRequest(PublishRequest.method, { manifest, target: reg.ref('ml/breast-cancer'), force: true } satisfies PublishRequest.Params),
      (err: Error & { code?: number; data?: { code?: string; status?: number; exitCode?: number } }) =>
        err.code === LSPErrorCodes.RequestFailed &&
        err.data?.code === 'MG402' &&
        err.data.status === 401 &&
        err.data.exitCode === 2 &&
        /needs credentials/.test(err.message),
    );
  } finally {
    await reg.stop();
  }
});

test('createManifest describes an ONNX file with its signature', async () => {
  const model = join(REPO, 'samples', 'breast-cancer', 'model.onnx');
  const output = join(tmp, 'model.yaml');
  const starter = await client.conn.sendRequest<CreateManifestRequest.Result>(CreateManifestRequest.method, {
    model,
    output,
  } satisfies CreateManifestRequest.Params);
  assert.match(starter.text, /name: features/);
  assert.match(starter.text, /shape: \[batch, 30\]/);
  assert.ok(Array.isArray(starter.notes));
});

// Engine jobs requested through the language server run in a child process
// (dist/engine.js) with plain Node flags, and the death of that child fails the
// request with a clear error while the language server keeps answering.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { ErrorCodes, WorkDoneProgress } from 'vscode-languageserver-protocol/node';
import { REPO, startLspClient, type LspClient } from '../lsp/lspClient';
import { CreateManifestRequest, RunTestsRequest, ServeRequest, ServerStatusNotification, StopRequest } from '../../../server/protocol/lsp';

const manifest = join(REPO, 'samples', 'breast-cancer', 'model.yaml');
let client: LspClient;

/** The direct children of the language server process: its engine hosts. */
function childrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).trim();
  return out ? out.split(/\s+/).map(Number) : [];
}

before(async () => {
  assert.ok(existsSync(join(REPO, 'dist', 'engine.js')), 'dist/engine.js is missing: run node scripts/build.mjs');
  // Started with the flag the server would otherwise pass on: fork() copies its parent's execArgv by default.
  client = startLspClient(['--optimize-for-size', join(REPO, 'dist', 'server.js'), '--stdio']);
  await client.initialize();
});

after(async () => {
  await client.stop();
});

test('a run requested through the LSP runs in a child of the language server, without --optimize-for-size', async () => {
  const lspPid = client.child.pid!;
  const seen = new Set<number>();
  client.conn.onProgress(WorkDoneProgress.type, 'host-1', () => {
    for (const pid of childrenOf(lspPid)) seen.add(pid);
  });
  const { report } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, {
    manifest,
    only: ['staleness', 'metrics'],
    workDoneToken: 'host-1',
  } satisfies RunTestsRequest.Params);
  assert.equal(report.complete, true);
  const pid = report.environment.pid;
  assert.ok(typeof pid === 'number' && pid !== lspPid, `the report was made in the language server's own process (${pid})`);
  assert.ok(seen.has(pid), `the engine process ${pid} was not a child of the language server (children seen: ${[...seen].join(', ')})`);
  assert.deepEqual(report.environment.execArgv, [], 'the engine runs with plain Node flags, as the CLI does');
});

test('killing the engine mid-run fails the request with a clear error, and the language server keeps answering', async () => {
  const lspPid = client.child.pid!;
  let killed: number | undefined;
  client.conn.onProgress(WorkDoneProgress.type, 'host-2', (v) => {
    // Kill once the load test is under way, not on a timer.
    if (killed || v.kind !== 'report' || !v.message?.startsWith('Stress: ')) return;
    const [pid] = childrenOf(lspPid);
    if (pid) {
      killed = pid;
      process.kill(pid, 'SIGKILL');
    }
  });
  const params: RunTestsRequest.Params = { manifest, only: ['stress'], duration: '30s', workDoneToken: 'host-2' };
  await assert.rejects(client.conn.sendRequest(RunTestsRequest.method, params), (err: Error & { code?: number }) => {
    assert.ok(killed, 'the request ended before the engine could be killed');
    assert.equal(err.code, ErrorCodes.InternalError);
    assert.match(err.message, new RegExp(`engine stopped before it finished \\(pid ${killed}, killed by SIGKILL`));
    assert.match(err.message, /ModelGate log/);
    assert.ok(err.message.includes(`modelgate test ${manifest} --only stress`), err.message);
    return true;
  });
  assert.equal(client.child.exitCode, null, 'the language server exited with its engine');
  // Another engine request gets a fresh engine.
  const starter = await client.conn.sendRequest<CreateManifestRequest.Result>(CreateManifestRequest.method, {
    model: join(REPO, 'samples', 'breast-cancer', 'model.onnx'),
    output: join(REPO, 'samples', 'breast-cancer', 'model.yaml'),
  } satisfies CreateManifestRequest.Params);
  assert.match(starter.text, /shape: \[batch, 30\]/);
  const { report } = await client.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, {
    manifest,
    only: ['staleness'],
  } satisfies RunTestsRequest.Params);
  assert.notEqual(report.environment.pid, killed);
  // And linting goes on.
  const uri = pathToFileURL(manifest).href;
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(manifest, 'utf8') } });
  const diags = await client.diagnostics(uri);
  assert.equal(diags.uri, uri);
});

test('`modelgate lsp --stdio` (the CLI bundle) finds the same engine host beside it', async () => {
  const viaCli = startLspClient(['bin/modelgate.js', 'lsp', '--stdio']);
  try {
    await viaCli.initialize();
    const { report } = await viaCli.conn.sendRequest<RunTestsRequest.Result>(RunTestsRequest.method, {
      manifest,
      only: ['staleness'],
    } satisfies RunTestsRequest.Params);
    assert.equal(report.complete, true);
    assert.notEqual(report.environment.pid, viaCli.child.pid);
  } finally {
    await viaCli.stop();
  }
});

test('the model server lives in an engine host of its own; when that host dies, the editor is told it stopped', async () => {
  const lspPid = client.child.pid!;
  const statuses: ServerStatusNotification.Params[] = [];
  let stopped!: () => void;
  const down = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  client.conn.onNotification(ServerStatusNotification.type, (p) => {
    statuses.push(p);
    if (!p.running) stopped();
  });
  const served = await client.conn.sendRequest<ServeRequest.Result>(ServeRequest.method, { manifests: [manifest], port: 0 } satisfies ServeRequest.Params);
  assert.equal((await fetch(`${served.url}/v2/health/live`)).status, 200);
  const hosts = childrenOf(lspPid);
  assert.equal(hosts.length, 1, `one engine host serves: ${hosts.join(', ')}`);
  process.kill(hosts[0]!, 'SIGKILL');
  await down;
  await assert.rejects(fetch(`${served.url}/v2/health/live`));
  assert.deepEqual(await client.conn.sendRequest<StopRequest.Result>(StopRequest.method, {}), { stopped: false });
  assert.equal(statuses[0]?.running, true);
});

// `modelgate test` as users run it: the built CLI in a child process, its
// exit codes, its gate table and verdict, the reports it writes, and Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { buildIfStandalone, runCli, type CliResult } from '../../helpers/cli';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { Report } from '../../../server/protocol/report';
import { reportSchemaErrors } from '../../../server/report/validateReport';

const root = resolve(__dirname, '../../..');
const bin = join(root, 'bin/modelgate.js');
const sample = (name: string) => join(root, 'samples', name, 'model.yaml');
let dir: string;

before(async () => {
  buildIfStandalone();
  dir = await mkdtemp(join(tmpdir(), 'modelgate-cli-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<CliResult> {
  return runCli(args);
}

async function readReport(path: string): Promise<Report> {
  const r = JSON.parse(await readFile(path, 'utf8')) as Report;
  assert.deepEqual(reportSchemaErrors(r), []);
  return r;
}

test('stale sample: exit 1, the table, a verdict naming the gates and margins, JSON and HTML reports', async () => {
  const json = join(dir, 'stale.json');
  const html = join(dir, 'stale.html');
  const r = await run(['test', sample('breast-cancer-stale'), '--only', 'staleness', '--json', json, '--report', html]);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /gate\s+measured\s+threshold\s+margin\s+set at/);
  assert.match(
    lines.find((l) => l.includes('staleness.modelAge'))!,
    /^✗\s+staleness\.modelAge\s+\d+(\.\d+)? d\s+≤ 365 d\s+−\d+(\.\d+)? d\s+samples\/breast-cancer-stale\/model\.yaml:\d+:\d+$/,
  );
  assert.match(lines.at(-1)!, /^✗ failed: 2 of \d+ gates failed: staleness\.modelAge \(\d+(\.\d+)? d > 365 d by \d+(\.\d+)? d\), staleness\.dataAge \(/);
  assert.match(r.stderr, /\[staleness\] feature drift/, 'plain progress lines when stderr is not a terminal');
  const report = await readReport(json);
  assert.equal(report.summary.passed, false);
  assert.equal(report.model.manifest, 'samples/breast-cancer-stale/model.yaml');
  const page = await readFile(html, 'utf8');
  assert.match(page, /^<!doctype html>/i);
  assert.ok(page.includes('staleness.modelAge'));
});

test('drifted sample: exit 1 naming the drift gates', async () => {
  const r = await run(['test', sample('breast-cancer-drifted'), '--only', 'staleness', '--no-progress']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  assert.match(
    r.stdout.trim().split('\n').at(-1)!,
    /^✗ failed: \d+ of \d+ gates failed: .*staleness\.driftedShare \([\d.]+ > 0\.2 by [\d.]+\).*staleness\.drift\.mean radius \(/,
  );
});

test('breast-cancer without stress: every gate that ran passes, yet exit 3 — the stress gates were not run', async () => {
  const json = join(dir, 'partial.json');
  const r = await run(['test', sample('breast-cancer'), '--only', 'metrics,staleness', '--no-progress', '--json', json]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /^–\s+stress\.p99\s+not run/m);
  assert.match(
    r.stdout,
    /4 gates \(stress\.p99, stress\.rps, stress\.errorRate, stress\.correctness\): this run was limited to metrics, staleness \(--only\)\n\s+next: /,
  );
  assert.match(r.stdout.trim().split('\n').at(-1)!, /^… incomplete: nothing failed, but 4 not run: stress\.p99 \(not run\).* not gated/);
  const report = await readReport(json);
  assert.equal(report.summary.verdict, 'incomplete');
  // The same report cannot vouch for a gated publish (exit 3, what was not run); --force publishes it ungated.
  const pub = await run(['publish', sample('breast-cancer'), '--report', json, '--to', join(dir, 'partial-layout')]);
  assert.equal(pub.code, 3, pub.stderr);
  assert.match(pub.stderr, /not a complete verdict .*suite\(s\) not run: stress/s);
  const forced = await run(['publish', sample('breast-cancer'), '--report', json, '--to', join(dir, 'partial-layout'), '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stderr, /UNGATED/);
});

test('usage and configuration errors exit 2 with the place to fix', async () => {
  const broken = await run(['test', sample('broken'), '--no-progress']);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /samples\/broken\/model\.yaml:\d+:\d+: error MG\d+/);
  const only = await run(['test', sample('breast-cancer'), '--only', 'speed']);
  assert.equal(only.code, 2);
  assert.match(only.stderr, /--only speed: unknown suite "speed"; choose from staleness, metrics, stress/);
  const oci = await run(['test', sample('breast-cancer'), '--baseline', 'oci://127.0.0.1:5000/models/bc:1.0.0', '--no-progress']);
  assert.equal(oci.code, 2);
  // a published baseline is pulled first; an unreachable registry is a usage error naming the flag
  assert.match(oci.stderr, /--baseline oci:\/\/127\.0\.0\.1:5000\/models\/bc:1\.0\.0: registry 127\.0\.0\.1:5000: /);
  const duration = await run(['test', sample('breast-cancer'), '--duration', 'soon']);
  assert.equal(duration.code, 2);
  assert.match(duration.stderr, /--duration soon is not a duration/);
  const sweep = await run(['test', sample('breast-cancer'), '--concurrency', '1,0,many']);
  assert.equal(sweep.code, 2);
  assert.match(
    sweep.stderr,
    /--concurrency 1,0,many: "0", "many" is not a connection count; give whole numbers from 1 to 9999, comma-separated, e\.g\. --concurrency 1,8,32/,
  );
});

test('test --quick --port: the stress suite runs a short sweep on the port asked for; a bad or busy port exits 2 naming it', async () => {
  const bad = await run(['test', sample('breast-cancer'), '--port', '70000']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port 70000 is not a port: use a whole number from 1 to 65535/);
  const both = await run(['test', sample('breast-cancer'), '--port', '8500', '--url', 'http://127.0.0.1:8500']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--port sets the port of the server the tests start; with --url they start none/);
  // a port held by another listener
  const { createServer } = await import('node:net');
  const holder = createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  const busy = (holder.address() as { port: number }).port;
  try {
    const r = await run(['test', sample('breast-cancer'), '--only', 'stress', '--port', String(busy), '--quick', '--no-progress']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${busy} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    holder.close();
  }
  // a free one: the server of the run listens there
  const free = await new Promise<number>((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
  const json = join(dir, 'quick.json');
  const quick = await run(['test', sample('breast-cancer'), '--only', 'stress', '--port', String(free), '--quick', '--json', json, '--no-progress']);
  assert.ok([0, 3].includes(quick.code ?? -1), quick.stderr);
  const report = await readReport(json);
  assert.ok(report.suites.stress, 'the stress suite ran');
  assert.match(JSON.stringify(report), new RegExp(`127\\.0\\.0\\.1:${free}`), 'measured on the port asked for');
});

test('Ctrl-C during stress: exit 130 and a partial report marked incomplete', async () => {
  const json = join(dir, 'cancelled.json');
  const child = spawn(process.execPath, [bin, 'test', sample('breast-cancer'), '--only', 'staleness,stress', '--duration', '5s', '--json', json], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  // Interrupt once the stress suite reports a step beyond its start.
  await new Promise<void>((res, rej) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/\[stress\] (?!starting)/.test(stderr)) res();
    });
    child.on('close', () => rej(new Error(`exited before stress started:\n${stderr}`)));
  });
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, stderr);
  assert.match(stderr, /cancelling/);
  const report = await readReport(json);
  assert.equal(report.complete, false);
  assert.equal(report.cancelled, true);
  assert.equal(report.summary.passed, false);
  assert.equal(report.summary.verdict, 'cancelled');
  assert.ok(report.suites.staleness, 'what finished before the interrupt is kept');
  const stress = report.gates.filter((g) => g.suite === 'stress');
  assert.ok(
    stress.length > 0 && stress.every((g) => g.status === 'not run' && /cancelled/.test(g.reason ?? '')),
    'a cancelled stress run judges no gate: they are listed as not run',
  );
  assert.match(stdout, /cancelled/);
});

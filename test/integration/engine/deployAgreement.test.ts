// The editor's Test & Deploy and `modelgate deploy` are one engine function:
// the same project through the language server's deploy request (what the
// command sends) and through the CLI gives the same target, the same
// champion as baseline and the same verdict, whatever the CLI's cwd.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DeployRequest } from '../../../server/protocol/lsp';
import type { Report } from '../../../server/protocol/report';
import { buildIfStandalone, runCli } from '../../helpers/cli';
import { REPO, startLspClient, type LspClient } from '../lsp/lspClient';

let client: LspClient;
let project: string;

before(async () => {
  buildIfStandalone();
  project = await mkdtemp(join(tmpdir(), 'mg-deploy-doors-'));
  await cp(join(REPO, 'samples', 'breast-cancer'), join(project, 'models', 'breast-cancer'), { recursive: true, filter: (src) => !src.endsWith('.py') });
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'doors', private: true }));
  client = startLspClient([join(REPO, 'dist', 'server.js'), '--stdio']);
  await client.initialize();
});
after(async () => {
  await client?.stop();
  if (project) await rm(project, { recursive: true, force: true });
});

test('editor Test & Deploy and modelgate deploy: same target, same champion, same verdict', async () => {
  const manifest = join(project, 'models', 'breast-cancer', 'model.yaml');
  const layout = join(project, '.modelgate', 'registry', 'breast-cancer');
  // v1 from the CLI, run from another directory: the project root decides where it goes
  const v1 = await runCli(['deploy', manifest, '--quick', '--duration', '1s', '--no-progress'], { cwd: tmpdir(), env: { NO_COLOR: '1' } });
  assert.equal(v1.code, 0, v1.stderr);
  assert.match(v1.stdout.trim().split('\n').at(-1)!, new RegExp(`^${layout.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1\\.0\\.0@sha256:`));

  // v1.1.0 adds the regression rule; the editor's request deploys it
  const text = await readFile(manifest, 'utf8');
  await writeFile(
    manifest,
    text
      .replace(/^( {2}version: )1\.0\.0$/m, '$11.1.0')
      .replace(/^ {2}skewTolerance:/m, '  maxRegression: [{metric: accuracy, maxAbsoluteDrop: 0.01}]\n  skewTolerance:'),
  );
  const editor = await client.conn.sendRequest(DeployRequest.type, { manifest, duration: '1s', concurrency: [1, 4] });
  assert.equal(
    editor.passed,
    true,
    editor.report.gates
      .filter((g) => g.status !== 'passed')
      .map((g) => g.message)
      .join('\n'),
  );
  assert.equal(editor.champion?.version, '1.0.0', 'the editor compared with the published v1, as deploy does');
  assert.equal(editor.report.suites.metrics?.baseline?.version, '1.0.0');
  assert.ok(
    editor.report.gates.some((g) => g.id.startsWith('metrics.regression.') && g.status === 'passed'),
    'maxRegression was gated, not skipped',
  );
  assert.equal(editor.published?.gated, true);
  assert.ok(editor.published!.reference.startsWith(`${layout}:1.1.0`), editor.published!.reference);
  assert.equal(editor.reportPaths.json, join(project, '.modelgate', 'reports', 'breast-cancer-1.1.0.json'));

  // the same version through the CLI, from the project root: the same target, the same baseline, the same verdict
  const cli = await runCli(['deploy', 'models/breast-cancer/model.yaml', '--quick', '--duration', '1s', '--no-progress'], {
    cwd: project,
    env: { NO_COLOR: '1' },
  });
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stderr, /already published with this model and manifest; this run's report is attached/);
  assert.equal(
    cli.stdout.trim().split('\n').at(-1),
    `${editor.published!.reference}`.replace(/^(.*:1\.1\.0)(@sha256:[0-9a-f]{64})?$/, `$1@${editor.published!.digest}`),
  );
  const cliReport = JSON.parse(await readFile(editor.reportPaths.json, 'utf8')) as Report;
  assert.equal(cliReport.summary.verdict, editor.report.summary.verdict);
  assert.equal(cliReport.suites.metrics?.baseline?.version, editor.report.suites.metrics?.baseline?.version);
  assert.deepEqual(
    cliReport.gates.map((g) => g.id),
    editor.report.gates.map((g) => g.id),
    'the same gates were declared and judged',
  );
});

// The commands a data scientist clicks, run inside a real extension host:
// serve and stop a model, run a suite (report webview and CodeLens result),
// and write a manifest for an ONNX file. They talk to the engine through the
// language server, exactly as from the palette or a CodeLens.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { PublishRequest, ScoreRequest, ServeRequest, StopRequest } from '../../../server/protocol/lsp';
import type { Report } from '../../../server/protocol/report';
import { waitFor, workspaceUri } from './helpers';

function reportTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('modelgate.report'));
}

describe('ModelGate commands', () => {
  const valid = workspaceUri('breast-cancer', 'model.yaml');

  it('Serve model answers predictions on 127.0.0.1; Stop server closes it', async () => {
    const served = await vscode.commands.executeCommand<ServeRequest.Result | undefined>('modelgate.serve', valid);
    assert.ok(served, 'Serve model returned nothing: it failed (see the ModelGate output channel)');
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      served.models.map((m) => m.name),
      ['breast-cancer'],
    );
    const row = Array.from({ length: 30 }, () => 1);
    const res = await fetch(`${served.url}/v1/models/breast-cancer:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [row] }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { predictions: unknown[] };
    assert.equal(body.predictions.length, 1);
    const stopped = await vscode.commands.executeCommand<StopRequest.Result>('modelgate.stop');
    assert.deepEqual(stopped, { stopped: true, url: served.url });
    await assert.rejects(fetch(`${served.url}/v2/health/live`), 'the server still answers after Stop server');
  });

  it('Run metric tests returns a report, opens the report panel and puts the result on the CodeLens', async () => {
    await vscode.window.showTextDocument(valid);
    const report = await vscode.commands.executeCommand<Report | undefined>('modelgate.runMetrics', valid);
    assert.ok(report, 'Run metric tests returned nothing: it failed (see the ModelGate output channel)');
    assert.equal(report.kind, 'modelgate-report');
    assert.deepEqual(Object.keys(report.suites), ['metrics']);
    const metrics = report.gates.filter((g) => g.suite === 'metrics');
    assert.ok(
      metrics.length > 0 && metrics.every((g) => g.status === 'passed'),
      `the breast-cancer metric gates did not pass: ${metrics
        .filter((g) => !g.pass)
        .map((g) => g.message)
        .join('; ')}`,
    );
    // Only one suite ran: the others' gates are listed as not run, and the verdict cannot be passed.
    assert.ok(report.gates.filter((g) => g.suite !== 'metrics').every((g) => g.status === 'not run'));
    assert.equal(report.summary.verdict, 'incomplete');
    const tab = await waitFor('the report panel', vscode.window.tabGroups.onDidChangeTabs, reportTab, 30_000);
    assert.match(tab.label, /breast-cancer/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', valid);
    const last = lenses.find((l) => l.command?.command === 'modelgate.openLastReport');
    assert.ok(last, `no last-result lens: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    const undecided = report.gates.length - metrics.length;
    // A run of one suite says so: it never reads as the whole model.
    assert.match(last.command!.title, new RegExp(`… ${metrics.length}/${report.gates.length} gates \\(${undecided} not decided\\) \\(metrics only\\) · `));
  });

  it('Publish after every suite passed puts the model into the default OCI layout of the project, gated', async () => {
    // A metrics-only report cannot vouch for a gated publish (Publish would ask first): run every suite, briefly.
    const config = vscode.workspace.getConfiguration('modelgate', valid);
    await config.update('tests.duration', '500ms', vscode.ConfigurationTarget.Workspace);
    await config.update('tests.concurrency', [1, 4], vscode.ConfigurationTarget.Workspace);
    try {
      const full = await vscode.commands.executeCommand<Report | undefined>('modelgate.runAll', valid);
      assert.equal(
        full?.summary.verdict,
        'passed',
        full?.gates
          .filter((g) => g.status !== 'passed')
          .map((g) => g.message)
          .join('; '),
      );
    } finally {
      await config.update('tests.duration', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('tests.concurrency', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const result = await vscode.commands.executeCommand<PublishRequest.Result | undefined>('modelgate.publish', valid);
    assert.ok(result, 'Publish returned nothing: it failed or asked a question (see the ModelGate output channel)');
    assert.equal(result.gated, true);
    assert.equal(
      result.location,
      workspaceUri('.modelgate', 'registry', 'breast-cancer').fsPath,
      'the project root (the workspace, with its package.json), where modelgate deploy puts it too',
    );
    assert.match(result.digest, /^sha256:[0-9a-f]{64}$/);
    const index = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(`${result.location}/index.json`)))) as {
      manifests: { digest: string; annotations?: Record<string, string> }[];
    };
    assert.ok(
      index.manifests.some((m) => m.digest === result.digest && m.annotations?.['org.opencontainers.image.ref.name'] === '1.0.0'),
      'the layout does not tag 1.0.0',
    );
  });

  it('Run stress tests follows the tests.duration and tests.concurrency settings', async () => {
    const config = vscode.workspace.getConfiguration('modelgate', valid);
    await config.update('tests.duration', '500ms', vscode.ConfigurationTarget.Workspace);
    await config.update('tests.concurrency', [1, 3], vscode.ConfigurationTarget.Workspace);
    try {
      const report = await vscode.commands.executeCommand<Report | undefined>('modelgate.runStress', valid);
      assert.ok(report?.suites.stress, 'Run stress tests returned no stress result');
      const closed = report.suites.stress.points.filter((p) => p.mode === 'closed');
      assert.deepEqual([...new Set(closed.map((p) => p.connections))], [1, 3]);
      assert.ok(
        closed.every((p) => p.durationS === 0.5),
        `points ran for ${closed.map((p) => p.durationS).join(', ')} s`,
      );
    } finally {
      await config.update('tests.duration', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('tests.concurrency', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Create manifest from ONNX file writes a starter model.yaml beside the model and opens it', async () => {
    const dir = workspaceUri('new-model');
    await vscode.workspace.fs.delete(dir, { recursive: true, useTrash: false }).then(undefined, () => undefined);
    const onnx = vscode.Uri.joinPath(dir, 'model.onnx');
    await vscode.workspace.fs.copy(workspaceUri('breast-cancer', 'model.onnx'), onnx);
    await vscode.commands.executeCommand('modelgate.createManifest', onnx);
    const manifest = vscode.Uri.joinPath(dir, 'model.yaml');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(manifest));
    assert.match(text, /^apiVersion: modelgate\/v1$/m);
    assert.match(text, /artifact: model\.onnx/);
    assert.match(text, /name: features/, 'the ONNX input name is filled in');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), manifest.toString(), 'the new manifest is not the active editor');
    // Never overwrites: a second run leaves the file as it is.
    await vscode.workspace.fs.writeFile(manifest, new TextEncoder().encode(text + '# edited\n'));
    await vscode.commands.executeCommand('modelgate.createManifest', onnx);
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(manifest)), /# edited\n$/);
  });

  it('Score a CSV file writes the predictions next to the CSV and opens them', async () => {
    const csv = workspaceUri('breast-cancer', 'data', 'validation.csv');
    const result = await vscode.commands.executeCommand<ScoreRequest.Result | undefined>('modelgate.scoreCsv', valid, csv);
    assert.ok(result, 'Score a CSV file returned nothing: it failed (see the ModelGate output channel)');
    const output = workspaceUri('breast-cancer', 'data', 'validation.scored.csv');
    assert.equal(result.output, output.fsPath);
    assert.equal(result.rows, 114);
    assert.deepEqual(result.skipped, { count: 0, first: [] });
    const lines = new TextDecoder()
      .decode(await vscode.workspace.fs.readFile(output))
      .trim()
      .split('\n');
    assert.equal(lines[0], 'row,label,p_malignant,p_benign');
    assert.equal(lines.length, 115);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), output.toString(), 'the predictions are not the active editor');
  });
});

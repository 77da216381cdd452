// Test Explorer: per manifest, its three suites and, once a report exists,
// each gate. Running an item runs the engine through the language server; a
// gate that needs attention says, in the user's units, what was measured
// against which rule and what to do next, at the manifest line that set it;
// Test Results holds the run's gate table.
import * as vscode from 'vscode';
import { SUITES, type Report, type SuiteId } from '../server/protocol/report';
import { MANIFEST_GLOB } from './commandIds';
import type { Ctx } from './ctx';
import { serverDownMessage } from './serverDownText';
import { gateFailureText, gateLine, gatesBySuite, gateTable, SUITE_LABELS } from './gateOutcome';
import { runSummary } from './lastResultText';
import { testSettings } from './testSettings';
import { RunTestsRequest } from '../server/protocol/lsp';

interface ItemData {
  manifest: string;
  suite?: SuiteId;
}

export function testExplorer(ctx: Ctx): void {
  const controller = vscode.tests.createTestController('modelgate', 'ModelGate');
  ctx.pushDisposable(controller);
  const data = new WeakMap<vscode.TestItem, ItemData>();

  const manifestItem = (uri: vscode.Uri): vscode.TestItem => {
    const item = controller.createTestItem(uri.fsPath, vscode.workspace.asRelativePath(uri), uri);
    data.set(item, { manifest: uri.fsPath });
    for (const suite of SUITES) {
      const s = controller.createTestItem(`${uri.fsPath}#${suite}`, SUITE_LABELS[suite], uri);
      data.set(s, { manifest: uri.fsPath, suite });
      item.children.add(s);
    }
    const report = ctx.reports.get(uri.fsPath);
    if (report) addGates(item, report);
    return item;
  };

  const addGates = (item: vscode.TestItem, report: Report): void => {
    const uri = item.uri!;
    for (const [suite, gates] of gatesBySuite(report)) {
      const suiteItem = item.children.get(`${uri.fsPath}#${suite}`);
      if (!suiteItem) continue;
      suiteItem.children.replace(
        gates.map((g) => {
          const gi = controller.createTestItem(`${uri.fsPath}#${g.id}`, g.id, uri);
          const line = gateLine(g);
          if (line !== undefined) gi.range = new vscode.Range(line, 0, line, 0);
          data.set(gi, { manifest: uri.fsPath, suite });
          return gi;
        }),
      );
    }
  };

  controller.resolveHandler = async (item) => {
    if (item) return;
    const found = await vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**', 200);
    // Items made earlier (by a run from a command) stay, with their results.
    controller.items.replace(found.map((uri) => controller.items.get(uri.fsPath) ?? manifestItem(uri)));
  };
  controller.refreshHandler = () => controller.resolveHandler!(undefined);

  // Manifests whose report is being produced by a Test Explorer run (recorded by that run).
  const explorerRuns = new Set<string>();
  ctx.pushDisposable(
    ctx.reports.onDidChange(async (manifest) => {
      const report = ctx.reports.get(manifest);
      if (!report) return;
      // The Test Explorer may not have listed the workspace yet: list it now.
      if (!controller.items.get(manifest)) await controller.resolveHandler!(undefined);
      let item = controller.items.get(manifest);
      if (!item) {
        // A manifest outside the workspace folders.
        item = manifestItem(vscode.Uri.file(manifest));
        controller.items.add(item);
      }
      addGates(item, report);
      if (explorerRuns.has(manifest)) return;
      // A run from a command or CodeLens: show its outcome in the Test Explorer too.
      const testRun = controller.createTestRun(new vscode.TestRunRequest([item]), `ModelGate: ${vscode.workspace.asRelativePath(manifest)}`, true);
      record(testRun, item, report, new Set(Object.keys(report.suites) as SuiteId[]));
      testRun.end();
    }),
  );

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const roots: vscode.TestItem[] = [];
    controller.items.forEach((i) => roots.push(i));
    const wanted = request.include ?? roots;
    // One engine run per manifest, with the union of the suites asked for.
    const plan = new Map<string, Set<SuiteId>>();
    for (const item of wanted) {
      const d = data.get(item);
      if (!d) continue;
      const suites = plan.get(d.manifest) ?? new Set<SuiteId>();
      for (const s of d.suite ? [d.suite] : SUITES) suites.add(s);
      plan.set(d.manifest, suites);
    }
    const testRun = controller.createTestRun(request);
    try {
      for (const [manifest, suites] of plan) {
        if (token.isCancellationRequested) break;
        const root = controller.items.get(manifest);
        if (!root) continue;
        for (const s of suites) {
          const si = root.children.get(`${manifest}#${s}`);
          if (si) testRun.started(si);
        }
        explorerRuns.add(manifest);
        try {
          await ctx.settled();
          const client = ctx.client;
          // The run errors with why, as a command would say it, instead of failing without a word.
          if (!client) throw new Error(serverDownMessage('Run tests', ctx.server));
          ctx.output.info(`Test Explorer: running ${[...suites].join(', ')} for ${manifest}`);
          const { report } = await client.sendRequest(RunTestsRequest.type, { manifest, only: [...suites], ...testSettings(root.uri!) }, token);
          ctx.output.info(`Test Explorer: ${runSummary(report)}`);
          await ctx.reports.set(manifest, report);
          addGates(root, report);
          record(testRun, root, report, suites);
        } catch (err) {
          const text = err instanceof Error ? err.message : String(err);
          ctx.output.error(`Test Explorer: tests for ${manifest} could not run: ${text}`);
          const message = new vscode.TestMessage(text);
          for (const s of suites) {
            const si = root.children.get(`${manifest}#${s}`);
            if (si) testRun.errored(si, message);
          }
        } finally {
          explorerRuns.delete(manifest);
        }
      }
    } finally {
      testRun.end();
    }
  };

  const record = (testRun: vscode.TestRun, root: vscode.TestItem, report: Report, suites: Set<SuiteId>): void => {
    const uri = root.uri!;
    // The run's own output: the gate table, failures first (Test Results shows it for the run).
    testRun.appendOutput(gateTable(report, suites));
    const bySuite = gatesBySuite(report);
    for (const suite of suites) {
      const si = root.children.get(`${uri.fsPath}#${suite}`);
      if (!si) continue;
      const gates = bySuite.get(suite) ?? [];
      let failed = 0;
      let undecided = 0;
      for (const g of gates) {
        const gi = si.children.get(`${uri.fsPath}#${g.id}`);
        if (!gi) continue;
        const status = g.status ?? (g.pass ? 'passed' : 'failed');
        const line = gateLine(g);
        const location = line !== undefined ? new vscode.Location(uri, new vscode.Position(line, 0)) : undefined;
        // Each gate's own output: its sentence and next step, whatever its status.
        testRun.appendOutput(`${gateFailureText(g)}\r\n`, location, gi);
        if (status === 'passed') {
          testRun.passed(gi);
          continue;
        }
        // A plain message, not a diff: a diff would read "740 != <= 50" with the raw float.
        const message = new vscode.TestMessage(gateFailureText(g));
        if (location) message.location = location;
        if (status === 'not run') {
          undecided++;
          testRun.skipped(gi);
          continue;
        }
        if (status === 'inconclusive') {
          undecided++;
          testRun.errored(gi, message);
          continue;
        }
        failed++;
        testRun.failed(gi, message);
      }
      if (report.cancelled) testRun.skipped(si);
      else if (failed)
        testRun.failed(
          si,
          new vscode.TestMessage(`${SUITE_LABELS[suite]}: ${failed} of ${gates.length} gates failed; each failed gate says by how much and what to do.`),
        );
      else if (undecided)
        testRun.errored(
          si,
          new vscode.TestMessage(`${SUITE_LABELS[suite]}: ${undecided} of ${gates.length} gates inconclusive or not run; each says why and what to do.`),
        );
      else testRun.passed(si);
    }
  };

  ctx.pushDisposable(controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, run, true));
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatedPublishRefusal, gateSummary, readGateReport } from '../../../server/publish/gateReport';
import { report } from './modelFixture';

function withFile(text: string, fn: (p: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-gr-'));
  const p = join(dir, 'report.json');
  writeFileSync(p, text);
  return fn(p).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('a ModelGate report: passed, counts, failing gates listed with their message', () =>
  withFile(report(false), async (p) => {
    const r = await readGateReport(p);
    assert.equal(r.passed, false);
    assert.equal(r.gates, 3);
    assert.equal(r.failed, 1);
    assert.deepEqual(r.failures, ['staleness.age: model age 120 d > 90 d (30 d over)']);
    assert.deepEqual(r.model, { name: 'tiny', version: '1.2.3', artifactSha256: undefined });
    assert.equal(gateSummary(r, false), 'ungated (2/3 passed)');
  }));

test('any JSON with a boolean summary.passed is accepted', () =>
  withFile('{"summary":{"passed":true}}', async (p) => {
    const r = await readGateReport(p);
    assert.equal(r.passed, true);
    assert.equal(gateSummary(r, true), 'passed');
    assert.equal(gateSummary(undefined, false), 'ungated');
  }));

test('a version-1 report (before verdicts) vouches only when every suite is in it', () =>
  withFile(
    JSON.stringify({
      kind: 'modelgate-report',
      reportVersion: 1,
      complete: true,
      suites: { metrics: {} },
      summary: { passed: true, gates: 1, failed: 0, errors: [] },
      gates: [{ id: 'metrics.accuracy', pass: true, message: 'ok' }],
    }),
    async (p) => {
      const r = await readGateReport(p);
      assert.equal(r.verdict, 'incomplete');
      assert.equal(r.passed, false);
      assert.deepEqual(r.suitesNotRun, ['staleness', 'stress']);
      const refusal = gatedPublishRefusal(r, 'not publishing tiny 1.2.3');
      assert.equal(refusal?.exitCode, 3);
      assert.match(refusal!.message, /suite\(s\) not run: staleness, stress/);
    },
  ));

test('the gate policy: passed vouches; failed refuses with exit 1; no report or incomplete with exit 3', () =>
  withFile(report(false), async (p) => {
    const failed = await readGateReport(p);
    assert.equal(gatedPublishRefusal(failed, 'x')?.exitCode, 1);
    assert.match(gatedPublishRefusal(failed, 'x')!.message, /1 of 3 gates failed:\n {2}staleness\.age/);
    assert.equal(gatedPublishRefusal(undefined, 'x')?.exitCode, 3);
    assert.equal(gatedPublishRefusal({ ...failed, verdict: 'passed', passed: true, failures: [] }, 'x'), undefined);
    const inconclusive = {
      ...failed,
      verdict: 'incomplete' as const,
      passed: false,
      failures: [],
      incomplete: ['stress.p99 (inconclusive): the load generator was the bottleneck'],
    };
    assert.match(gatedPublishRefusal(inconclusive, 'x')!.message, /1 gate\(s\) not decided:\n {2}stress\.p99 \(inconclusive\)/);
  }));

test('unusable reports are refused with what to do', async () => {
  await withFile('<html>', async (p) => {
    await assert.rejects(readGateReport(p), /is not JSON.*not the HTML one/);
  });
  await withFile('{"summary":{"passed":"yes"}}', async (p) => {
    await assert.rejects(readGateReport(p), /no boolean summary\.passed/);
  });
  await withFile('{"kind":"modelgate-report","reportVersion":99,"summary":{"passed":true}}', async (p) => {
    await assert.rejects(readGateReport(p), /report version 99, newer.*update modelgate/);
  });
  await assert.rejects(readGateReport('/nonexistent/report.json'), /does not exist; write it with `modelgate test <manifest> --json/);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ago, deploySummary, lastResultText, runSummary } from '../../../extension/lastResultText';
import type { GateResult, Report } from '../../../server/protocol/report';

const base: Report = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8'));
const at = (iso: string, patch: Partial<Report> = {}): Report => ({ ...base, createdAt: iso, ...patch });
const t0 = new Date('2026-01-01T12:00:00Z');
const summary = (verdict: Report['summary']['verdict'], gates: number, failed: number, extra: Partial<Report['summary']> = {}): Report['summary'] => ({
  verdict,
  passed: verdict === 'passed',
  gates,
  failed,
  inconclusive: 0,
  notRun: 0,
  suitesRun: ['staleness', 'metrics', 'stress'],
  suitesNotRun: [],
  errors: [],
  ...extra,
});
const withStatus = (n: number, failed: number, notRun = 0): GateResult[] =>
  base.gates.slice(0, 1).flatMap((g) =>
    Array.from({ length: n }, (_, i): GateResult => {
      const status = i < failed ? 'failed' : i < failed + notRun ? 'not run' : 'passed';
      return {
        ...g,
        suite: 'metrics',
        id: `g${i}`,
        status,
        pass: status === 'passed',
        ...(status === 'not run' ? { measured: null, reason: 'no validation data' } : {}),
      };
    }),
  );

test('ago rounds to just now, minutes, hours and days', () => {
  assert.equal(ago(new Date('2026-01-01T11:59:30Z'), t0), 'just now');
  assert.equal(ago(new Date('2026-01-01T11:58:00Z'), t0), '2 min ago');
  assert.equal(ago(new Date('2026-01-01T09:00:00Z'), t0), '3 h ago');
  assert.equal(ago(new Date('2025-12-28T12:00:00Z'), t0), '4 d ago');
  // A clock skewed into the future reads as now, not as negative time.
  assert.equal(ago(new Date('2026-01-01T12:05:00Z'), t0), 'just now');
});

test('lastResultText counts passed gates and marks pass, fail, incomplete and cancel', () => {
  const pass = at('2026-01-01T11:58:00Z', { gates: withStatus(12, 0), summary: summary('passed', 12, 0), cancelled: false });
  assert.equal(lastResultText(pass, t0), '✓ 12/12 gates · 2 min ago');
  const fail = at('2026-01-01T11:58:00Z', { gates: withStatus(12, 2), summary: summary('failed', 12, 2), cancelled: false });
  assert.equal(lastResultText(fail, t0), '✗ 10/12 gates · 2 min ago');
  const partial = at('2026-01-01T11:58:00Z', { gates: withStatus(12, 0, 4), summary: summary('incomplete', 12, 0, { notRun: 4 }), cancelled: false });
  assert.equal(lastResultText(partial, t0), '… 8/12 gates (4 not decided) · 2 min ago');
  const cancelled = at('2026-01-01T11:59:50Z', { gates: withStatus(4, 1), summary: summary('cancelled', 4, 1), cancelled: true });
  assert.equal(lastResultText(cancelled, t0), '⊘ cancelled (3/4 gates) · just now');
});

test('runSummary of an incomplete run says nothing failed and what was not decided', () => {
  const r = at(t0.toISOString(), {
    gates: withStatus(5, 0, 2),
    summary: summary('incomplete', 5, 0, { notRun: 2, suitesRun: ['metrics'], suitesNotRun: ['staleness', 'stress'] }),
    cancelled: false,
  });
  assert.equal(
    runSummary(r),
    `${base.model.name} ${base.model.version}: nothing failed, but the verdict is incomplete (staleness, stress not run; not run: g0 (no validation data); g1 (no validation data)). Run all tests for a complete verdict.`,
  );
});

test('runSummary names the model and the first failed gate', () => {
  const failing = base.gates.map((g, i): GateResult =>
    i === 1
      ? { ...g, status: 'failed', pass: false, message: 'p99 latency 40 ms is above 25 ms', nextStep: 'profile the model' }
      : { ...g, status: 'passed', pass: true },
  );
  const r = at(t0.toISOString(), { gates: failing, summary: summary('failed', failing.length, 1), cancelled: false });
  assert.equal(
    runSummary(r),
    `${base.model.name} ${base.model.version}: 1 of ${failing.length} gates failed. First: p99 latency 40 ms is above 25 ms Next: profile the model.`,
  );
  const ok = at(t0.toISOString(), { summary: summary('passed', 3, 0), cancelled: false });
  assert.equal(runSummary(ok), `${base.model.name} ${base.model.version}: all 3 gates passed.`);
});

test('Test & Deploy says what was published where, against which champion, or why nothing was', () => {
  const passed: Report = { ...base, summary: summary('passed', 3, 0), gates: withStatus(3, 0) };
  const failed: Report = { ...base, summary: summary('failed', 3, 1), gates: withStatus(3, 1) };
  const common = { reportPaths: { json: 'r.json', html: 'r.html' }, notices: [], steps: [] };
  const name = `${base.model.name} ${base.model.version}`;
  assert.equal(
    deploySummary({
      ...common,
      report: passed,
      passed: true,
      published: { reference: '/p/.modelgate/registry/m:1.1.0', digest: 'sha256:a', gated: true },
      champion: { version: '1.0.0', reference: '/p/.modelgate/registry/m:1.0.0' },
    }),
    `published /p/.modelgate/registry/m:1.1.0. ${name}: all 3 gates passed. Compared with 1.0.0 (/p/.modelgate/registry/m:1.0.0).`,
  );
  assert.match(
    deploySummary({ ...common, report: failed, passed: false, refused: 'x' }),
    new RegExp(`^not publishing ${name}: ${name}: 1 of 3 gates failed\\.`),
  );
  assert.match(
    deploySummary({ ...common, report: passed, passed: true, alreadyPublished: { reference: 'oci://h/m:1.0.0', digest: 'sha256:a' } }),
    /already published at oci:\/\/h\/m:1\.0\.0 .*report is attached/,
  );
  assert.match(
    deploySummary({ ...common, report: failed, passed: false, published: { reference: 'r', digest: 'd', gated: false } }),
    /^published r marked UNGATED\./,
  );
});

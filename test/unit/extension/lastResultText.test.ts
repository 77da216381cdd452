import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ago, lastResultText, runSummary } from '../../../extension/lastResultText';
import type { Report } from '../../../server/protocol/report';

const base: Report = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'report', 'full.json'), 'utf8'));
const at = (iso: string, patch: Partial<Report> = {}): Report => ({ ...base, createdAt: iso, ...patch });
const t0 = new Date('2026-01-01T12:00:00Z');

test('ago rounds to just now, minutes, hours and days', () => {
  assert.equal(ago(new Date('2026-01-01T11:59:30Z'), t0), 'just now');
  assert.equal(ago(new Date('2026-01-01T11:58:00Z'), t0), '2 min ago');
  assert.equal(ago(new Date('2026-01-01T09:00:00Z'), t0), '3 h ago');
  assert.equal(ago(new Date('2025-12-28T12:00:00Z'), t0), '4 d ago');
  // A clock skewed into the future reads as now, not as negative time.
  assert.equal(ago(new Date('2026-01-01T12:05:00Z'), t0), 'just now');
});

test('lastResultText counts passed gates and marks pass, fail and cancel', () => {
  const pass = at('2026-01-01T11:58:00Z', { summary: { passed: true, gates: 12, failed: 0, errors: [] }, cancelled: false });
  assert.equal(lastResultText(pass, t0), '✓ 12/12 gates · 2 min ago');
  const fail = at('2026-01-01T11:58:00Z', { summary: { passed: false, gates: 12, failed: 2, errors: [] }, cancelled: false });
  assert.equal(lastResultText(fail, t0), '✗ 10/12 gates · 2 min ago');
  const cancelled = at('2026-01-01T11:59:50Z', { summary: { passed: false, gates: 4, failed: 1, errors: [] }, cancelled: true });
  assert.equal(lastResultText(cancelled, t0), '⊘ cancelled (3/4 gates) · just now');
});

test('runSummary names the model and the first failed gate', () => {
  const failing = base.gates.map((g, i) => (i === 1 ? { ...g, pass: false, message: 'p99 latency 40 ms is above 25 ms' } : { ...g, pass: true }));
  const r = at(t0.toISOString(), { gates: failing, summary: { passed: false, gates: failing.length, failed: 1, errors: [] }, cancelled: false });
  assert.equal(runSummary(r), `${base.model.name} ${base.model.version}: 1 of ${failing.length} gates failed. First: p99 latency 40 ms is above 25 ms`);
  const ok = at(t0.toISOString(), { summary: { passed: true, gates: 3, failed: 0, errors: [] }, cancelled: false });
  assert.equal(runSummary(ok), `${base.model.name} ${base.model.version}: all 3 gates passed.`);
});

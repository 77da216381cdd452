// Small builders for manifest tests: a valid header, markers for the line a
// diagnostic must point at, and a one-call validator.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ManifestDiagnostic } from '../../../server/manifest/diagnostics';
import { parseManifest } from '../../../server/manifest/parse';
import { validateManifest } from '../../../server/manifest/validate';

/** A valid classifier manifest; tests append sections to it. */
export const HEAD = `apiVersion: modelgate/v1
kind: Model
metadata:
  name: demo
  version: 1.0.0
model:
  artifact: model.onnx
  task: classification
  classLabels: [neg, pos]
`;

/** The fixed clock of the tests: trainedAt after it is "in the future". */
export const NOW = new Date('2026-11-23T12:00:00Z');

export function doc(body = ''): string {
  return HEAD + body;
}

export async function check(text: string, opts: { semantic?: boolean; dir?: string } = {}): Promise<ManifestDiagnostic[]> {
  const manifestPath = join(opts.dir ?? '/nonexistent-modelgate-test', 'model.yaml');
  return validateManifest(parseManifest(text), { manifestPath, semantic: opts.semantic ?? false, now: NOW });
}

/** 1-based line of the `#!` marker. */
export function markerLine(text: string): number {
  const i = text.split('\n').findIndex((l) => l.includes('#!'));
  assert.ok(i >= 0, 'fixture has no #! marker');
  return i + 1;
}

export function show(diags: ManifestDiagnostic[]): string {
  return diags.map((d) => `  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`).join('\n') || '  (none)';
}

/** Asserts a diagnostic with `code` on `line` (1-based) and returns it. */
export function expectAt(diags: ManifestDiagnostic[], code: string, line: number): ManifestDiagnostic {
  const d = diags.find((x) => x.code === code && x.range.start.line + 1 === line);
  assert.ok(d, `expected ${code} on line ${line}, got:\n${show(diags)}`);
  return d;
}

export function expectNone(diags: ManifestDiagnostic[], code: string): void {
  const d = diags.filter((x) => x.code === code);
  assert.equal(d.length, 0, `expected no ${code}, got:\n${show(d)}`);
}

/** No raw ajv wording may reach a user. */
export function expectFriendly(diags: ManifestDiagnostic[]): void {
  for (const d of diags) {
    assert.doesNotMatch(
      d.message,
      /must match|must NOT|must have required|must be equal to|must be >=|must match format|additional properties/,
      `raw ajv text in: ${d.message}`,
    );
  }
}

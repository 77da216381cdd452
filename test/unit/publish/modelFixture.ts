// A throwaway model directory for publish tests: a minimal valid manifest,
// a model file (any bytes: publishing never runs it) and reports.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadManifest, type LoadedManifest } from '../../../server/manifest/load';

export interface ModelFixture {
  dir: string;
  manifestPath: string;
  modelPath: string;
  passingReport: string;
  failingReport: string;
  load(): Promise<LoadedManifest>;
  cleanup(): void;
}

export function manifestText(opts: { name?: string; version?: string; trainedAt?: string | null; deployOci?: string } = {}): string {
  return [
    'apiVersion: modelgate/v1',
    'kind: Model',
    'metadata:',
    `  name: ${opts.name ?? 'tiny'}`,
    `  version: ${opts.version ?? '1.2.3'}`,
    '  description: A tiny regression model for publish tests.',
    'model:',
    '  framework: onnx',
    '  artifact: model.onnx',
    '  task: regression',
    ...(opts.trainedAt === null ? [] : [`  trainedAt: ${opts.trainedAt ?? '2026-01-02T03:04:05Z'}`]),
    ...(opts.deployOci ? ['deploy:', `  oci: ${opts.deployOci}`] : []),
    '',
  ].join('\n');
}

/** A report of a full run (every suite) whose third gate passed or failed. */
export function report(passed: boolean, model = { name: 'tiny', version: '1.2.3' }): string {
  return JSON.stringify(
    {
      kind: 'modelgate-report',
      reportVersion: 2,
      model: { ...model, manifest: 'model.yaml', artifact: 'model.onnx' },
      createdAt: '2026-02-03T04:05:06Z',
      summary: {
        verdict: passed ? 'passed' : 'failed',
        passed,
        gates: 3,
        failed: passed ? 0 : 1,
        inconclusive: 0,
        notRun: 0,
        suitesRun: ['staleness', 'metrics', 'stress'],
        suitesNotRun: [],
        errors: [],
      },
      gates: [
        { id: 'metrics.r2', status: 'passed', pass: true, message: 'r2 0.91 >= 0.8' },
        { id: 'stress.p99', status: 'passed', pass: true, message: 'p99 3 ms <= 50 ms' },
        {
          id: 'staleness.age',
          status: passed ? 'passed' : 'failed',
          pass: passed,
          message: passed ? 'model age 10 d <= 90 d' : 'model age 120 d > 90 d (30 d over)',
        },
      ],
    },
    null,
    2,
  );
}

export function makeModelFixture(
  opts: { modelBytes?: number; name?: string; version?: string; trainedAt?: string | null; deployOci?: string } = {},
): ModelFixture {
  const dir = mkdtempSync(join(tmpdir(), 'mg-pubfix-'));
  const manifestPath = join(dir, 'model.yaml');
  const modelPath = join(dir, 'model.onnx');
  writeFileSync(manifestPath, manifestText(opts));
  // seeded content so two fixtures of the same size are byte-identical
  const size = opts.modelBytes ?? 4096;
  const bytes = Buffer.alloc(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = (x >> 16) & 0xff;
  }
  writeFileSync(modelPath, bytes);
  const model = { name: opts.name ?? 'tiny', version: opts.version ?? '1.2.3' };
  const passingReport = join(dir, 'report.json');
  const failingReport = join(dir, 'failing-report.json');
  writeFileSync(passingReport, report(true, model));
  writeFileSync(failingReport, report(false, model));
  return {
    dir,
    manifestPath,
    modelPath,
    passingReport,
    failingReport,
    load: () => loadManifest(manifestPath, { semantic: false }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A copy of a committed sample in a temp dir (outside git, so no source/revision annotations). */
export function copySample(name: string): { dir: string; cleanup(): void } {
  const dir = join(mkdtempSync(join(tmpdir(), 'mg-sample-')), name);
  cpSync(join('samples', name), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(join(dir, '..'), { recursive: true, force: true }) };
}

export function randomName(): string {
  return 'm' + randomBytes(4).toString('hex');
}

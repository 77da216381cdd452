// Assembles the versioned report from what the suites measured: model
// identity, environment, every gate, and a summary that says plainly
// whether the model may ship.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cpus, platform, arch, release } from 'node:os';
import { relative } from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import { artifactPath } from '../manifest/predict';
import { REPORT_VERSION, type DatasetUse, type GateResult, type Report, type ReportSummary, type SuiteId, type Verdict } from '../protocol/report';

declare const MODELGATE_VERSION: string;

export function modelgateVersion(): string {
  return typeof MODELGATE_VERSION === 'string' ? MODELGATE_VERSION : '0.0.0-dev';
}

export function environment(): Report['environment'] {
  const c = cpus();
  return {
    modelgate: modelgateVersion(),
    node: process.version,
    platform: `${platform()}-${arch()} ${release()}`,
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    pid: process.pid,
    execArgv: [...process.execArgv],
  };
}

export async function sha256File(path: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * The verdict over every declared gate: failed when any gate failed or a
 * suite crashed; incomplete when nothing failed but a gate is inconclusive
 * or not run, or a suite did not run; passed only when every gate of every
 * suite passed.
 */
export function summarize(gates: GateResult[], errors: string[], suites: { run: SuiteId[]; notRun: SuiteId[] }, cancelled = false): ReportSummary {
  const count = (s: GateResult['status']) => gates.filter((g) => g.status === s).length;
  const failed = count('failed');
  const inconclusive = count('inconclusive');
  const notRun = count('not run');
  const verdict: Verdict = cancelled
    ? 'cancelled'
    : failed > 0 || errors.length > 0
      ? 'failed'
      : inconclusive > 0 || notRun > 0 || suites.notRun.length > 0
        ? 'incomplete'
        : 'passed';
  return {
    verdict,
    passed: verdict === 'passed',
    gates: gates.length,
    failed,
    inconclusive,
    notRun,
    suitesRun: [...suites.run],
    suitesNotRun: [...suites.notRun],
    errors,
  };
}

export interface ReportParts {
  loaded: LoadedManifest;
  startedAt: Date;
  finishedAt: Date;
  suites: Report['suites'];
  gates: GateResult[];
  errors: string[];
  /** Suites that ran to the end, and those that did not. */
  suitesRun: SuiteId[];
  suitesNotRun: SuiteId[];
  datasets?: DatasetUse[];
  complete: boolean;
  cancelled?: boolean;
  artifactSha256?: string;
  /** Paths in the report are shown relative to this directory (default: the working directory). */
  cwd?: string;
}

export function buildReport(p: ReportParts): Report {
  const m = p.loaded.manifest;
  const cwd = p.cwd ?? process.cwd();
  // Relative to the working directory when that is shorter (reports travel; absolute paths rarely help).
  const rel = (x: string) => {
    const r = relative(cwd, x);
    return r && r.length < x.length ? r : x;
  };
  const report: Report = {
    kind: 'modelgate-report',
    reportVersion: REPORT_VERSION,
    model: { name: m.metadata.name, version: m.metadata.version, manifest: rel(p.loaded.path), artifact: rel(artifactPath(p.loaded)) },
    createdAt: p.finishedAt.toISOString(),
    durationMs: Math.max(0, p.finishedAt.getTime() - p.startedAt.getTime()),
    complete: p.complete,
    environment: environment(),
    suites: p.suites,
    gates: p.gates,
    summary: summarize(p.gates, p.errors, { run: p.suitesRun, notRun: p.suitesNotRun }, !!p.cancelled),
  };
  if (p.artifactSha256) report.model.artifactSha256 = p.artifactSha256;
  if (p.cancelled) report.cancelled = true;
  if (p.datasets?.length) report.datasets = p.datasets;
  return report;
}

// Assembles the versioned report from what the suites measured: model
// identity, environment, every gate, and a summary that says plainly
// whether the model may ship.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cpus, platform, arch, release } from 'node:os';
import { relative } from 'node:path';
import type { LoadedManifest } from '../manifest/load';
import { artifactPath } from '../manifest/predict';
import { REPORT_VERSION, type GateResult, type Report } from '../protocol/report';

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

export function summarize(gates: GateResult[], errors: string[], complete: boolean): Report['summary'] {
  const failed = gates.filter((g) => !g.pass).length;
  // An incomplete run or a suite error never counts as a pass, even when the gates measured so far passed.
  return { passed: complete && failed === 0 && errors.length === 0, gates: gates.length, failed, errors };
}

export interface ReportParts {
  loaded: LoadedManifest;
  startedAt: Date;
  finishedAt: Date;
  suites: Report['suites'];
  gates: GateResult[];
  errors: string[];
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
    summary: summarize(p.gates, p.errors, p.complete),
  };
  if (p.artifactSha256) report.model.artifactSha256 = p.artifactSha256;
  if (p.cancelled) report.cancelled = true;
  return report;
}

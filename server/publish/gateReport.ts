// Reads the test report a publish is based on and checks it can vouch for
// this model version. Accepts the versioned report of server/protocol/report.ts
// and, for reports from other tools, any JSON with `summary.passed`.
import { readFile } from 'node:fs/promises';
import type { Report } from '../protocol/report';
import { REPORT_VERSION } from '../protocol/report';

export interface GateReport {
  path: string;
  passed: boolean;
  gates?: number;
  failed?: number;
  /** One line per failed gate, for refusal messages. */
  failures: string[];
  model?: { name?: string; version?: string; artifactSha256?: string };
  createdAt?: string;
  /** false when the run was cancelled or a suite crashed */
  complete?: boolean;
}

export class GateReportError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'GateReportError';
  }
}

export async function readGateReport(path: string): Promise<GateReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new GateReportError(path, `cannot read report ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist; write it with `modelgate test <manifest> --json ' + path + '`' : (err as Error).message}`);
  }
  let json: Partial<Report> & { summary?: { passed?: unknown; gates?: unknown; failed?: unknown } };
  try {
    json = JSON.parse(text) as typeof json;
  } catch (err) {
    throw new GateReportError(path, `${path} is not JSON (${(err as Error).message}); pass the JSON report, not the HTML one`);
  }
  if (!json || typeof json !== 'object' || !json.summary || typeof json.summary.passed !== 'boolean') {
    throw new GateReportError(path, `${path} has no boolean summary.passed; pass a report written by \`modelgate test <manifest> --json report.json\``);
  }
  if (json.kind === 'modelgate-report' && typeof json.reportVersion === 'number' && json.reportVersion > REPORT_VERSION) {
    throw new GateReportError(path, `${path} is report version ${json.reportVersion}, newer than this modelgate understands (${REPORT_VERSION}); update modelgate`);
  }
  const failures = Array.isArray(json.gates)
    ? json.gates.filter((g) => g && g.pass === false).map((g) => `${g.id}: ${g.message}`)
    : [];
  const out: GateReport = { path, passed: json.summary.passed, failures };
  if (typeof json.summary.gates === 'number') out.gates = json.summary.gates;
  if (typeof json.summary.failed === 'number') out.failed = json.summary.failed;
  if (json.model && typeof json.model === 'object') out.model = { name: json.model.name, version: json.model.version, artifactSha256: json.model.artifactSha256 };
  if (typeof json.createdAt === 'string') out.createdAt = json.createdAt;
  if (typeof json.complete === 'boolean') out.complete = json.complete;
  return out;
}

/** `12/12 passed`, or `ungated (10/12 passed)` for a forced publish, or `ungated`. */
export function gateSummary(report: GateReport | undefined, gated: boolean): string {
  const counts = report && report.gates !== undefined ? `${report.gates - (report.failed ?? 0)}/${report.gates} passed` : undefined;
  if (gated) return counts ?? 'passed';
  return counts ? `ungated (${counts})` : 'ungated';
}

// Reads the test report a publish is based on and checks it can vouch for
// this model version. Accepts the versioned report of server/protocol/report.ts
// and, for reports from other tools, any JSON with `summary.passed`.
import { readFile } from 'node:fs/promises';
import type { Report, SuiteId, Verdict } from '../protocol/report';
import { REPORT_VERSION, SUITES } from '../protocol/report';
import { ERROR_CODES, ModelGateError } from '../protocol/errors';

export interface GateReport {
  path: string;
  passed: boolean;
  gates?: number;
  failed?: number;
  /** Gates with status passed. */
  passedGates?: number;
  /** One line per failed gate, for refusal messages. */
  failures: string[];
  model?: { name?: string; version?: string; artifactSha256?: string };
  createdAt?: string;
  /** false when the run was cancelled or a suite crashed */
  complete?: boolean;
  /** The run's verdict; for reports written before verdicts existed, derived from passed, complete and the suites present. */
  verdict: Verdict;
  /** Gates that were inconclusive or not run, one line each. */
  incomplete: string[];
  /** Suites that did not run to the end. */
  suitesNotRun: SuiteId[];
}

export class GateReportError extends ModelGateError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(ERROR_CODES.reportUnusable, message, 2);
  }
}

export async function readGateReport(path: string): Promise<GateReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new GateReportError(
      path,
      `cannot read report ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist; write it with `modelgate test <manifest> --json ' + path + '`' : (err as Error).message}`,
    );
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
    throw new GateReportError(
      path,
      `${path} is report version ${json.reportVersion}, newer than this modelgate understands (${REPORT_VERSION}); update modelgate`,
    );
  }
  const gates = Array.isArray(json.gates) ? json.gates.filter((g) => g && typeof g === 'object') : [];
  const statusOf = (g: (typeof gates)[number]) => g.status ?? (g.pass ? 'passed' : 'failed');
  const failures = gates.filter((g) => statusOf(g) === 'failed').map((g) => `${g.id}: ${g.message}`);
  const incomplete = gates
    .filter((g) => statusOf(g) === 'inconclusive' || statusOf(g) === 'not run')
    .map((g) => `${g.id} (${statusOf(g)}): ${g.reason ?? g.message}`);
  const summary = json.summary as Partial<Report['summary']>;
  const modelgate = json.kind === 'modelgate-report';
  // Suites a report covers: from the summary, else (earlier reports) from the suites present.
  const suitesNotRun = Array.isArray(summary.suitesNotRun) ? summary.suitesNotRun : modelgate ? SUITES.filter((s) => !json.suites || !(s in json.suites)) : [];
  let verdict: Verdict;
  if (typeof summary.verdict === 'string' && ['passed', 'failed', 'incomplete', 'cancelled'].includes(summary.verdict)) verdict = summary.verdict;
  else if (json.cancelled === true) verdict = 'cancelled';
  else if (!json.summary.passed || failures.length) verdict = 'failed';
  else verdict = json.complete === false || suitesNotRun.length || incomplete.length ? 'incomplete' : 'passed';
  const out: GateReport = { path, passed: verdict === 'passed', failures, verdict, incomplete, suitesNotRun };
  if (typeof json.summary.gates === 'number') out.gates = json.summary.gates;
  if (typeof json.summary.failed === 'number') out.failed = json.summary.failed;
  if (gates.length) out.passedGates = gates.filter((g) => statusOf(g) === 'passed').length;
  if (json.model && typeof json.model === 'object')
    out.model = { name: json.model.name, version: json.model.version, artifactSha256: json.model.artifactSha256 };
  if (typeof json.createdAt === 'string') out.createdAt = json.createdAt;
  if (typeof json.complete === 'boolean') out.complete = json.complete;
  return out;
}

/** `12/12 passed`, or `ungated (10/12 passed)` for a forced publish, or `ungated`. */
export function gateSummary(report: GateReport | undefined, gated: boolean): string {
  const counts = report && report.gates !== undefined ? `${report.passedGates ?? report.gates - (report.failed ?? 0)}/${report.gates} passed` : undefined;
  if (gated) return counts ?? 'passed';
  return counts ? `ungated (${counts})` : 'ungated';
}

/**
 * Why this report cannot vouch for a gated publish, or undefined when it can:
 * the one gate policy every door (CLI publish, deploy, editor) applies. The
 * exit code is 1 when a gate failed, 3 when the verdict is incomplete.
 */
export function gatedPublishRefusal(report: GateReport | undefined, what: string): { message: string; exitCode: 1 | 3 } | undefined {
  const force = 'or publish it ungated (--force; in the editor: "Publish ungated"), which marks the artifact dev.modelgate.gated=false';
  if (!report)
    return {
      message: `${what}: no test report vouches for it; run every suite (\`modelgate test <manifest> --json report.json\`) first, ${force}`,
      exitCode: 3,
    };
  switch (report.verdict) {
    case 'passed':
      return undefined;
    case 'failed': {
      const list = report.failures.length ? `:\n  ${report.failures.join('\n  ')}` : '';
      return {
        message: `${what}: ${report.path} says ${report.failures.length || report.failed || 'some'} of ${report.gates ?? '?'} gates failed${list}\nfix the model, its data or the thresholds and test again, ${force}`,
        exitCode: 1,
      };
    }
    case 'cancelled':
      return { message: `${what}: ${report.path} is from a cancelled test run; run the tests to the end, ${force}`, exitCode: 3 };
    case 'incomplete': {
      const parts: string[] = [];
      if (report.suitesNotRun.length) parts.push(`suite(s) not run: ${report.suitesNotRun.join(', ')}`);
      if (report.incomplete.length)
        parts.push(
          `${report.incomplete.length} gate(s) not decided:\n  ${report.incomplete.slice(0, 12).join('\n  ')}${report.incomplete.length > 12 ? `\n  … ${report.incomplete.length - 12} more` : ''}`,
        );
      return {
        message: `${what}: ${report.path} is not a complete verdict (nothing failed, but ${parts.join('; ') || 'the run did not complete'})\nrun every suite to the end and give each gate what it needs, ${force}`,
        exitCode: 3,
      };
    }
  }
}

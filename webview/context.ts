// What every section renderer gets: the report, the host link and the chart board.
import type { GateResult, GateStatus, Report, SuiteId, Verdict } from '../server/protocol/report';
import type { WebviewState } from '../server/protocol/webview';
import type { ChartBoard } from './charts';
import type { Host } from './host';

export interface Ctx {
  report: Report;
  host: Host;
  charts: ChartBoard;
  state: WebviewState;
}

export function gatesOf(report: Report, suite: SuiteId): GateResult[] {
  return report.gates.filter((g) => g.suite === suite);
}

/** The first gate of a suite whose id or metric matches; used to show limits next to measured values. */
export function findGate(report: Report, suite: SuiteId, pattern: RegExp): GateResult | undefined {
  return report.gates.find((g) => g.suite === suite && (pattern.test(g.id) || pattern.test(g.metric)));
}

/** A gate's status, also for reports written before statuses existed. */
export function statusOf(g: GateResult): GateStatus {
  return g.status ?? (g.pass ? 'passed' : 'failed');
}

/** The run's verdict, also for reports written before verdicts existed. */
export function verdictOf(r: Report): Verdict {
  return (
    r.summary.verdict ??
    (r.cancelled ? 'cancelled' : !r.complete ? 'incomplete' : r.gates.some((g) => !g.pass) || r.summary.errors.length ? 'failed' : 'passed')
  );
}

export const statusMarks: Record<GateStatus, string> = { passed: '✓', failed: '✗', inconclusive: '?', 'not run': '–' };
/** CSS class of each status (colour). */
export const statusClass: Record<GateStatus, string> = { passed: 'pass', failed: 'fail', inconclusive: 'warn', 'not run': 'muted' };

export const suiteTitles: Record<SuiteId, string> = { stress: 'Stress', staleness: 'Staleness', metrics: 'Metrics' };

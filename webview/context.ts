// What every section renderer gets: the report, the host link and the chart board.
import type { GateResult, Report, SuiteId } from '../server/protocol/report';
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

export const suiteTitles: Record<SuiteId, string> = { stress: 'Stress', staleness: 'Staleness', metrics: 'Metrics' };

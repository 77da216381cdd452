// What the Test Explorer says about one gate: pure text and positions from a
// report, unit-tested without VS Code.
import type { GateResult, Report, SuiteId } from '../server/protocol/report';

export const SUITE_LABELS: Record<SuiteId, string> = { stress: 'Stress', staleness: 'Staleness', metrics: 'Metrics' };

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
}

/** `measured 0.91; threshold >= 0.95` (units kept), or why it was not measured; then the next step. */
export function gateFailureText(g: GateResult): string {
  const unit = g.threshold.unit ? ` ${g.threshold.unit}` : '';
  const threshold = `threshold ${g.threshold.op} ${num(g.threshold.value)}${unit}`;
  const next = g.nextStep ? ` Next: ${g.nextStep}.` : '';
  const status = g.status ?? (g.pass ? 'passed' : 'failed');
  if (g.measured === null) return `${g.metric} was ${status === 'not run' ? 'not run' : 'not measured'} (${threshold}). ${g.message}${next}`;
  return `${g.metric}: measured ${num(g.measured)}${unit}; ${threshold}. ${g.message}${next}`;
}

/** The 0-based line of the manifest that set the gate's threshold, when known. */
export function gateLine(g: GateResult): number | undefined {
  return g.source ? Math.max(0, g.source.line - 1) : undefined;
}

/** Gates of a report grouped by suite, in report order. */
export function gatesBySuite(report: Report): Map<SuiteId, GateResult[]> {
  const out = new Map<SuiteId, GateResult[]>();
  for (const g of report.gates) {
    const list = out.get(g.suite) ?? [];
    list.push(g);
    out.set(g.suite, list);
  }
  return out;
}

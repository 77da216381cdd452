// What the Test Explorer says about one gate and about a run: pure text and
// positions from a report, unit-tested without VS Code. The words come from
// the shared gate formatter, so the Test Explorer and the report agree.
import { gateDistance, gateMessage, gateRule, gateStatus, gateValue } from '../server/protocol/gateText';
import type { GateResult, GateStatus, Report, SuiteId } from '../server/protocol/report';

export const SUITE_LABELS: Record<SuiteId, string> = { stress: 'Stress', staleness: 'Staleness', metrics: 'Metrics' };

/** `Failed: p99 latency 740 ms at 200 req/s — must be ≤ 50 ms (over by 690 ms). Next: …` */
export function gateFailureText(g: GateResult): string {
  return gateMessage(g);
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

const MARKS: Record<GateStatus, string> = { passed: '✓', failed: '✗', inconclusive: '?', 'not run': '–' };
const ORDER: Record<GateStatus, number> = { failed: 0, inconclusive: 1, 'not run': 2, passed: 3 };

/**
 * The run's gate table for Test Results (a terminal): failed, inconclusive
 * and not-run gates first, one row each with status, gate, measured value,
 * rule and distance; then each open gate's next step. Lines end in CRLF.
 */
export function gateTable(report: Report, suites?: ReadonlySet<SuiteId>): string {
  const gates = report.gates
    .filter((g) => !suites || suites.has(g.suite))
    .map((g, i) => ({ g, i }))
    .sort((a, b) => ORDER[gateStatus(a.g)] - ORDER[gateStatus(b.g)] || a.i - b.i)
    .map((x) => x.g);
  const rows = gates.map((g) => {
    const st = gateStatus(g);
    return [
      `${MARKS[st]} ${st}`,
      g.id,
      g.measured === null ? '—' : gateValue(g, g.measured),
      gateRule(g).replace(/^must be /, ''),
      gateDistance(g) ?? (g.reason ? `${st}: ${g.reason}` : st),
    ];
  });
  const head = ['status', 'gate', 'measured', 'rule', 'distance'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((x, c) => (c === cells.length - 1 ? x : x.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `${report.model.name} ${report.model.version}: ${verdictWords(report)}`,
    '',
    line(head),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
  ];
  const open = gates.filter((g) => gateStatus(g) !== 'passed');
  if (open.length) out.push('', ...open.map((g) => `${g.id}: ${gateMessage(g)}`));
  return out.map((l) => `${l}\r\n`).join('');
}

function verdictWords(report: Report): string {
  const s = report.summary;
  switch (s.verdict) {
    case 'passed':
      return `passed, all ${s.gates} gates`;
    case 'failed':
      return s.failed ? `failed, ${s.failed} of ${s.gates} gates` : `failed, ${s.errors[0] ?? 'a suite did not finish'}`;
    case 'cancelled':
      return 'cancelled; the gates below hold what was measured before the cancel';
    default:
      return `incomplete, ${s.inconclusive} inconclusive and ${s.notRun} not run of ${s.gates} gates`;
  }
}

/**
 * The hover on a gate's manifest line: its last measured result, when, and
 * the next step, as plain text (the hover shows it as text, not markdown).
 */
export function gateHoverLines(report: Report, line0: number, when: string): string[] {
  const gates = report.gates.filter((g) => gateLine(g) === line0);
  if (!gates.length) return [];
  const head = `Last result (${when}, ${report.model.name} ${report.model.version}):`;
  return [head, ...gates.map((g) => `${MARKS[gateStatus(g)]} ${g.id}: ${gateMessage(g)}`)];
}

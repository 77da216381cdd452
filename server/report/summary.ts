// The CLI's compact view of a report: one row per gate (status, gate,
// measured vs threshold, margin, manifest line) and a final verdict line
// that names each failing gate and by how much.
import type { GateResult, Report } from '../protocol/report';

/** Up to 4 significant digits; no exponent for everyday magnitudes. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e9) return abs >= 1000 ? String(Math.round(x * 10) / 10) : String(Number(x.toPrecision(4)));
  return x.toExponential(2);
}

const unitOf = (g: GateResult) => (g.threshold.unit ? ` ${g.threshold.unit}` : '');
const SHOWN: Record<GateResult['threshold']['op'], string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '==': '=' };
const VIOLATED: Record<GateResult['threshold']['op'], string> = { '>=': '<', '>': '≤', '<=': '>', '<': '≥', '==': '≠' };

/** "731 d > 365 d by 366 d", or "not measured". */
export function failureText(g: GateResult): string {
  if (g.measured === null) return 'not measured';
  const u = unitOf(g);
  const by = g.margin !== undefined ? ` by ${formatValue(Math.abs(g.margin))}${u}` : '';
  return `${formatValue(g.measured)}${u} ${VIOLATED[g.threshold.op]} ${formatValue(g.threshold.value)}${u}${by}`;
}

export function verdictLine(report: Report): string {
  const { gates, failed, errors } = report.summary;
  const failing = report.gates.filter((g) => !g.pass);
  const incomplete = report.complete ? '' : report.cancelled ? ' (cancelled: partial results)' : ' (incomplete)';
  if (failed > 0) {
    const list = failing.map((g) => `${g.id} (${failureText(g)})`).join(', ');
    return `✗ ${failed} of ${gates} gates failed${incomplete}: ${list}`;
  }
  if (errors.length > 0) return `✗ ${errors.length} suite error(s)${incomplete}; ${gates} gate(s) passed: ${errors[0]}`;
  if (!report.complete) return `✗ run did not complete${incomplete}; ${gates} gate(s) measured passed`;
  return gates === 0 ? '✓ no gates set in the manifest; nothing failed' : `✓ all ${gates} gates passed`;
}

/** The gate table plus the verdict; `manifest` is how to show the manifest path (e.g. relative). */
export function summaryTable(report: Report): string {
  const rows = report.gates.map((g) => {
    const u = unitOf(g);
    return [
      g.pass ? '✓' : '✗',
      g.id,
      g.measured === null ? 'not measured' : `${formatValue(g.measured)}${u}`,
      `${SHOWN[g.threshold.op]} ${formatValue(g.threshold.value)}${u}`,
      g.margin === undefined ? '' : `${g.margin >= 0 ? '+' : '−'}${formatValue(Math.abs(g.margin))}${u}`,
      g.source ? `${report.model.manifest}:${g.source.line}:${g.source.column}` : '',
    ];
  });
  const header = ['', 'gate', 'measured', 'threshold', 'margin', 'set at'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...r[c]!].length)));
  const line = (r: string[]) => r.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  ').trimEnd();
  const out: string[] = [];
  if (rows.length) out.push(line(header), ...rows.map(line));
  for (const g of report.gates.filter((x) => !x.pass && x.measured === null)) out.push(`  ${g.message}`);
  for (const e of report.summary.errors) out.push(`error: ${e}`);
  out.push(verdictLine(report));
  return out.join('\n');
}

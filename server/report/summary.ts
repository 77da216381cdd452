// The CLI's compact view of a report: one row per gate (status, gate,
// measured vs threshold, margin, manifest line) and a final verdict line
// that names each failing gate and by how much.
import type { GateResult, Report, Verdict } from '../protocol/report';

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

const MARK: Record<GateResult['status'], string> = { passed: '✓', failed: '✗', inconclusive: '?', 'not run': '–' };

/** Status of a gate, also for reports written before statuses existed. */
export function statusOf(g: GateResult): GateResult['status'] {
  return g.status ?? (g.pass ? 'passed' : 'failed');
}

/** "731 d > 365 d by 366 d", or "not measured". */
export function failureText(g: GateResult): string {
  if (g.measured === null) return statusOf(g) === 'not run' ? 'not run' : 'not measured';
  const u = unitOf(g);
  const by = g.margin !== undefined ? ` by ${formatValue(Math.abs(g.margin))}${u}` : '';
  const rel = statusOf(g) === 'passed' || (statusOf(g) === 'inconclusive' && (g.margin ?? -1) >= 0) ? SHOWN : VIOLATED;
  return `${formatValue(g.measured)}${u} ${rel[g.threshold.op]} ${formatValue(g.threshold.value)}${u}${statusOf(g) === 'passed' ? '' : by}`;
}

const NEXT: Record<Exclude<Verdict, 'passed'>, string> = {
  failed: 'fix the model, its data or the thresholds in the manifest, then test again',
  incomplete: 'not gated: run every suite to the end and give each gate what it needs (see the reasons above); `--force` publishes it marked UNGATED',
  cancelled: 'run the tests again to the end',
};

export function verdictLine(report: Report): string {
  const s = report.summary;
  const verdict: Verdict = s.verdict ?? (report.cancelled ? 'cancelled' : s.passed ? 'passed' : 'failed');
  const list = (status: GateResult['status']) => report.gates.filter((g) => statusOf(g) === status);
  const named = (gs: GateResult[]) =>
    gs
      .slice(0, 8)
      .map((g) => `${g.id} (${failureText(g)})`)
      .join(', ') + (gs.length > 8 ? `, … ${gs.length - 8} more` : '');
  switch (verdict) {
    case 'passed':
      return s.gates === 0 ? '✓ passed: no gates set in the manifest; nothing failed' : `✓ passed: all ${s.gates} gates passed`;
    case 'failed': {
      const failing = list('failed');
      if (failing.length === 0) return `✗ failed: ${s.errors.length} suite error(s): ${s.errors[0] ?? ''}`;
      return `✗ failed: ${failing.length} of ${s.gates} gates failed: ${named(failing)}`;
    }
    case 'incomplete': {
      const parts: string[] = [];
      const inc = list('inconclusive');
      const nr = list('not run');
      if (inc.length) parts.push(`${inc.length} inconclusive: ${named(inc)}`);
      if (nr.length) parts.push(`${nr.length} not run: ${named(nr)}`);
      const skipped = s.suitesNotRun ?? [];
      if (!parts.length && skipped.length) parts.push(`suite(s) not run: ${skipped.join(', ')}`);
      return `… incomplete: nothing failed, but ${parts.join('; ')} — ${NEXT.incomplete}`;
    }
    case 'cancelled':
      return `✗ cancelled: partial results (${list('passed').length} of ${s.gates} gates passed before the cancel) — ${NEXT.cancelled}`;
  }
}

/** Rows read, used and dropped per dataset, and the first dropped cells. */
export function datasetLines(report: Report): string[] {
  const out: string[] = [];
  for (const d of report.datasets ?? []) {
    out.push(`data: ${d.suite} ${d.role} ${d.path}: ${d.rowsRead} rows read, ${d.rowsUsed} used, ${d.rowsDropped} dropped`);
    for (const x of d.dropped.slice(0, 3)) out.push(`  dropped ${d.path}:${x.line} column "${x.column}" = ${JSON.stringify(x.value)}: ${x.why}`);
    if (d.rowsDropped > 3 && d.dropped.length) out.push(`  … ${d.rowsDropped - Math.min(3, d.dropped.length)} more dropped rows`);
  }
  return out;
}

/** How the drift verdict was corrected for testing many features, when more than one p-value decided it. */
export function driftLines(report: Report): string[] {
  const mt = report.suites.staleness?.multipleTesting;
  if (!mt || mt.tests < 2) return [];
  return [
    mt.method === 'none'
      ? `drift: ${mt.drifted} of ${mt.tests} p-value tests drifted, each judged alone (staleness.drift.multipleTesting: none)`
      : `drift: ${mt.drifted} of ${mt.tests} p-value tests drifted after the Benjamini–Hochberg correction (${mt.driftedUncorrected} without it)`,
  ];
}

/** The p99 at slo.rps beside its interval and noise floor, and the highest rate held: the figures the stress gates stand on. */
export function stressLines(report: Report): string[] {
  const s = report.suites.stress;
  if (!s?.slo) return [];
  const c = s.slo;
  const ms = (x: number) => `${formatValue(x)} ms`;
  const flags = [
    c.p99Stable ? '' : 'did not settle',
    c.loadGeneratorBound ? 'load-generator bound' : '',
    c.otherCpuCores ? `other programs used ${formatValue(c.otherCpuCores)} of ${c.cores ?? '?'} cores` : '',
  ].filter(Boolean);
  const out = [
    `stress: p99 at ${formatValue(c.rps)} rps ${ms(c.p99Ms)} (${Math.round(c.p99IntervalMs.level * 100)}% interval ${ms(c.p99IntervalMs.low)}–${ms(c.p99IntervalMs.high)}, ${c.runs} run${c.runs === 1 ? '' : 's'}), noise floor ${ms(c.noiseFloorP99Ms)}${flags.length ? `; ${flags.join(', ')}` : ''}`,
  ];
  if (s.maxSustainableRps)
    out.push(`stress: highest rate held within the p99 limit ${formatValue(s.maxSustainableRps.value)} rps (p99 ${ms(s.maxSustainableRps.p99Ms)})`);
  if (c.disagreement) out.push(`stress: ${c.disagreement}`);
  return out;
}

/** The gate table plus the verdict; `manifest` is how to show the manifest path (e.g. relative). */
export function summaryTable(report: Report): string {
  const rows = report.gates.map((g) => {
    const u = unitOf(g);
    return [
      MARK[statusOf(g)],
      g.id,
      g.measured === null ? (statusOf(g) === 'not run' ? 'not run' : 'not measured') : `${formatValue(g.measured)}${u}`,
      `${SHOWN[g.threshold.op]} ${formatValue(g.threshold.value)}${u}`,
      g.margin === undefined ? '' : `${g.margin >= 0 ? '+' : '−'}${formatValue(Math.abs(g.margin))}${u}`,
      g.source ? `${report.model.manifest}:${g.source.line}:${g.source.column}` : '',
    ];
  });
  const header = ['', 'gate', 'measured', 'threshold', 'margin', 'set at'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...r[c]!].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (rows.length) out.push(line(header), ...rows.map(line));
  // Every gate that did not pass says why and what to do next; not-run gates of one reason are grouped.
  const notRunByReason = new Map<string, GateResult[]>();
  for (const g of report.gates) {
    const st = statusOf(g);
    if (st === 'passed') continue;
    if (st === 'not run') {
      const key = g.reason ?? g.message;
      notRunByReason.set(key, [...(notRunByReason.get(key) ?? []), g]);
      continue;
    }
    if (st === 'inconclusive' || g.measured === null || g.nextStep) {
      out.push(`  ${MARK[st]} ${g.message}${g.nextStep ? `\n      next: ${g.nextStep}` : ''}`);
    }
  }
  for (const [reason, gs] of notRunByReason) {
    const ids = gs.map((g) => g.id);
    out.push(
      `  – ${ids.length === 1 ? ids[0] : `${ids.length} gates (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''})`}: ${reason}${gs[0]?.nextStep ? `\n      next: ${gs[0].nextStep}` : ''}`,
    );
  }
  out.push(...datasetLines(report), ...driftLines(report), ...stressLines(report));
  for (const e of report.summary.errors) out.push(`error: ${e}`);
  out.push(verdictLine(report));
  return out.join('\n');
}

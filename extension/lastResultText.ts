// The words the editor shows for a test result: CodeLens suffix and the
// notification after a run. Pure, so it is unit-tested without VS Code.
import type { GateResult, Report, Verdict } from '../server/protocol/report';
import type { DeployRequest } from '../server/protocol/lsp';

/** "just now", "2 min ago", "3 h ago", "4 d ago". */
export function ago(then: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

const statusOf = (g: GateResult) => g.status ?? (g.pass ? 'passed' : 'failed');

/** The run's verdict, also for reports written before verdicts existed. */
export function verdictOf(report: Report): Verdict {
  return report.summary.verdict ?? (report.cancelled ? 'cancelled' : report.summary.passed && report.complete ? 'passed' : 'failed');
}

/** `✓ 12/12 gates · 2 min ago`, `✗ 10/12 gates · just now`, `… 8/18 gates (10 not run) · …`, `⊘ cancelled · …`. */
export function lastResultText(report: Report, now: Date): string {
  const when = ago(new Date(report.createdAt), now);
  const passed = report.gates.filter((g) => statusOf(g) === 'passed').length;
  const total = report.summary.gates;
  // A run of some suites only says which, so `✗ 4/6` never reads as the whole model.
  const ran = report.summary.suitesRun ?? [];
  const only = (report.summary.suitesNotRun ?? []).length > 0 && ran.length > 0 && !report.cancelled ? ` (${ran.join(', ')} only)` : '';
  switch (verdictOf(report)) {
    case 'cancelled':
      return `⊘ cancelled (${passed}/${total} gates) · ${when}`;
    case 'passed':
      return `✓ ${passed}/${total} gates${only} · ${when}`;
    case 'failed':
      return `✗ ${passed}/${total} gates${only} · ${when}`;
    case 'incomplete': {
      const open = report.gates.filter((g) => statusOf(g) === 'not run' || statusOf(g) === 'inconclusive').length;
      return `… ${passed}/${total} gates (${open} not decided)${only} · ${when}`;
    }
  }
}

/** What an incomplete report did not decide: suites not run and gates inconclusive or not run. */
export function undecidedText(report: Report): string {
  const parts: string[] = [];
  const notRunSuites = report.summary.suitesNotRun ?? [];
  if (notRunSuites.length) parts.push(`${notRunSuites.join(', ')} not run`);
  const inconclusive = report.gates.filter((g) => statusOf(g) === 'inconclusive');
  if (inconclusive.length) parts.push(`inconclusive: ${inconclusive.map((g) => g.id).join(', ')}`);
  const notRun = report.gates.filter((g) => statusOf(g) === 'not run' && !notRunSuites.includes(g.suite));
  if (notRun.length)
    parts.push(
      `not run: ${notRun
        .slice(0, 4)
        .map((g) => `${g.id} (${g.reason ?? 'not measured'})`)
        .join('; ')}${notRun.length > 4 ? `; … ${notRun.length - 4} more` : ''}`,
    );
  return parts.join('; ');
}

/** One line for the notification shown when a run finishes. */
export function runSummary(report: Report): string {
  const name = `${report.model.name} ${report.model.version}`;
  const { gates, errors } = report.summary;
  switch (verdictOf(report)) {
    case 'cancelled':
      return `${name}: tests cancelled; the report holds what was measured.`;
    case 'passed':
      return `${name}: all ${gates} gates passed.`;
    case 'failed': {
      const failing = report.gates.filter((g) => statusOf(g) === 'failed');
      const first = failing[0];
      const detail = first ? ` First: ${first.message}${first.nextStep ? ` Next: ${first.nextStep}.` : ''}` : errors[0] ? ` ${errors[0]}` : '';
      return `${name}: ${failing.length || 'no'} of ${gates} gates failed.${detail}`;
    }
    case 'incomplete': {
      const inc = report.gates.find((g) => statusOf(g) === 'inconclusive');
      const next = inc?.nextStep ? ` Next: ${inc.nextStep}.` : ' Run all tests for a complete verdict.';
      return `${name}: nothing failed, but the verdict is incomplete (${undecidedText(report)}).${next}`;
    }
  }
}

/** One line for the end of Test & Deploy: what was published where, or why nothing was. */
export function deploySummary(r: DeployRequest.Result): string {
  const name = `${r.report.model.name} ${r.report.model.version}`;
  const against = r.champion ? ` Compared with ${r.champion.version} (${r.champion.reference}).` : '';
  if (r.alreadyPublished)
    return `${name} is already published at ${r.alreadyPublished.reference} with this model and manifest; this run's report is attached to it. ${runSummary(r.report)}${against}`;
  if (r.published) return `published ${r.published.reference}${r.published.gated ? '' : ' marked UNGATED'}. ${runSummary(r.report)}${against}`;
  return `not publishing ${name}: ${runSummary(r.report)}${against}`;
}

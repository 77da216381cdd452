// The words the editor shows for a test result: CodeLens suffix and the
// notification after a run. Pure, so it is unit-tested without VS Code.
import type { Report } from '../server/protocol/report';

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

/** `✓ 12/12 gates · 2 min ago`, `✗ 10/12 gates · just now`, `⊘ cancelled · …`. */
export function lastResultText(report: Report, now: Date): string {
  const when = ago(new Date(report.createdAt), now);
  const passed = report.summary.gates - report.summary.failed;
  if (report.cancelled) return `⊘ cancelled (${passed}/${report.summary.gates} gates) · ${when}`;
  const mark = report.summary.passed ? '✓' : '✗';
  return `${mark} ${passed}/${report.summary.gates} gates · ${when}`;
}

/** One line for the notification shown when a run finishes. */
export function runSummary(report: Report): string {
  const name = `${report.model.name} ${report.model.version}`;
  const { gates, failed, errors } = report.summary;
  if (report.cancelled) return `${name}: tests cancelled; the report holds what was measured.`;
  if (report.summary.passed) return `${name}: all ${gates} gates passed.`;
  const firstFailed = report.gates.find((g) => !g.pass);
  const detail = firstFailed ? ` First: ${firstFailed.message}` : errors[0] ? ` ${errors[0]}` : '';
  return `${name}: ${failed} of ${gates} gates failed.${detail}`;
}

// One notification per outcome of a run, short enough not to be cut off,
// with the actions that fit it: Open report, Re-run, Publish ungated (only
// after a refused Test & Deploy), Show logs. Pure, unit-tested without VS Code;
// the commands wire the actions.
import { gateDistance, gateStatus } from '../server/protocol/gateText';
import type { DeployRequest } from '../server/protocol/lsp';
import type { GateResult, Report } from '../server/protocol/report';
import { verdictOf } from './lastResultText';

export const OPEN_REPORT = 'Open report';
export const RERUN = 'Re-run';
export const PUBLISH_UNGATED = 'Publish ungated…';
export const SHOW_LOGS_ACTION = 'Show logs';

export interface Toast {
  severity: 'info' | 'warning' | 'error';
  text: string;
  actions: string[];
}

/** `staleness.driftedShare over by 6.67 %`, or the reason a gate has no value. */
function gateBrief(g: GateResult): string {
  return `${g.id} ${gateDistance(g) ?? gateStatus(g)}`;
}

/** What the gates said, in one short sentence (the report holds the rest). */
export function verdictBrief(report: Report): string {
  const name = `${report.model.name} ${report.model.version}`;
  const s = report.summary;
  const failed = report.gates.filter((g) => gateStatus(g) === 'failed');
  switch (verdictOf(report)) {
    case 'passed':
      return `${name}: all ${s.gates} gates passed.`;
    case 'cancelled':
      return `${name}: cancelled; the report holds what was measured.`;
    case 'failed':
      if (!failed.length) return `${name}: a suite failed: ${s.errors[0] ?? 'see the report'}.`;
      return `${name}: ${failed.length} of ${s.gates} gates failed — ${failed.slice(0, 2).map(gateBrief).join(', ')}${failed.length > 2 ? ', …' : ''}.`;
    case 'incomplete': {
      const open = report.gates.filter((g) => gateStatus(g) === 'inconclusive' || gateStatus(g) === 'not run').length;
      return `${name}: nothing failed, but ${open || 'some'} of ${s.gates} gates are not decided.`;
    }
  }
}

/** After Run tests. */
export function testToast(report: Report): Toast {
  const v = verdictOf(report);
  if (v === 'passed') return { severity: 'info', text: `ModelGate: ${verdictBrief(report)}`, actions: [OPEN_REPORT] };
  if (v === 'cancelled') return { severity: 'info', text: `ModelGate: ${verdictBrief(report)}`, actions: [RERUN, OPEN_REPORT] };
  return { severity: 'warning', text: `ModelGate: ${verdictBrief(report)}`, actions: [OPEN_REPORT, RERUN] };
}

/** After Test & Deploy: what was published, or why not, and what to do. */
export function deployToast(r: DeployRequest.Result): Toast {
  const v = verdictOf(r.report);
  if (r.alreadyPublished)
    return {
      severity: 'info',
      text: `ModelGate: already published at ${r.alreadyPublished.reference}; this run's report is attached.`,
      actions: [OPEN_REPORT],
    };
  if (r.published) {
    const ungated = r.published.gated ? '' : ' marked UNGATED';
    return {
      severity: r.published.gated ? 'info' : 'warning',
      text: `ModelGate: published ${r.published.reference}${ungated}. ${verdictBrief(r.report)}`,
      actions: [OPEN_REPORT],
    };
  }
  if (v === 'cancelled') return { severity: 'info', text: `ModelGate: Test & Deploy cancelled; nothing was published.`, actions: [RERUN, OPEN_REPORT] };
  // A refused publish may go out ungated, never a cancelled one; the dialog behind it says what that means.
  return { severity: 'warning', text: `ModelGate: not published. ${verdictBrief(r.report)}`, actions: [OPEN_REPORT, RERUN, PUBLISH_UNGATED] };
}

/** When the run itself could not happen. */
export function errorToast(what: string, message: string): Toast {
  return { severity: 'error', text: `ModelGate: ${what} could not run. ${message}`, actions: [SHOW_LOGS_ACTION, RERUN] };
}

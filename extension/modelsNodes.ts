// The rows of the Models view for one manifest, from what the editor knows:
// its last report and the running server. Pure, unit-tested.
import type { ServerStatusNotification } from '../server/protocol/lsp';
import type { Report } from '../server/protocol/report';
import { lastResultText } from './lastResultText';

export interface ModelRow {
  label: string;
  description?: string;
  /** codicon id */
  icon: string;
}

export function manifestRow(relPath: string, report: Report | undefined): ModelRow {
  if (!report) return { label: relPath, description: 'not tested', icon: 'circle-large-outline' };
  return { label: relPath, description: `${report.model.name} ${report.model.version}`, icon: report.summary.passed ? 'pass' : report.cancelled ? 'circle-slash' : 'error' };
}

export function detailRows(report: Report | undefined, server: ServerStatusNotification.Params, now: Date): ModelRow[] {
  const rows: ModelRow[] = [];
  if (report) {
    rows.push({ label: `version ${report.model.version}`, icon: 'tag' });
    rows.push({ label: lastResultText(report, now), icon: report.summary.passed ? 'pass' : 'error' });
    const served = server.running && server.models?.some((m) => m.name === report.model.name);
    if (served && server.url) rows.push({ label: `serving at ${server.url}`, icon: 'server-process' });
  } else {
    rows.push({ label: 'no test run yet', description: 'Run all tests', icon: 'beaker' });
  }
  return rows;
}

// The rows of the Models view for one manifest, from what the editor knows:
// its last report and the running server. Pure, unit-tested.
import type { ServerStatusNotification, VersionsRequest } from '../server/protocol/lsp';
import type { Report, Verdict } from '../server/protocol/report';
import { ago, lastResultText, verdictOf } from './lastResultText';

const VERDICT_ICON: Record<Verdict, string> = { passed: 'pass', failed: 'error', incomplete: 'warning', cancelled: 'circle-slash' };

export interface ModelRow {
  label: string;
  description?: string;
  /** codicon id */
  icon: string;
}

export function manifestRow(relPath: string, report: Report | undefined): ModelRow {
  if (!report) return { label: relPath, description: 'not tested', icon: 'circle-large-outline' };
  return { label: relPath, description: `${report.model.name} ${report.model.version}`, icon: VERDICT_ICON[verdictOf(report)] };
}

/**
 * Whether this manifest is what the server serves: by its path (two manifests
 * may name the same model), and, from a server that does not say its
 * manifests, by model name and version.
 */
export function servedHere(manifest: string, report: Report | undefined, server: ServerStatusNotification.Params): boolean {
  if (!server.running || !server.url) return false;
  if (server.manifests) return server.manifests.includes(manifest);
  return !!report && !!server.models?.some((m) => m.name === report.model.name && m.version === report.model.version);
}

export function detailRows(manifest: string, report: Report | undefined, server: ServerStatusNotification.Params, now: Date): ModelRow[] {
  const rows: ModelRow[] = [];
  if (report) {
    rows.push({ label: `version ${report.model.version}`, icon: 'tag' });
    rows.push({ label: lastResultText(report, now), icon: VERDICT_ICON[verdictOf(report)] });
  } else {
    rows.push({ label: 'no test run yet', description: 'Run all tests', icon: 'beaker' });
  }
  if (servedHere(manifest, report, server)) {
    const models = (server.models ?? []).map((m) => `${m.name} ${m.version}`).join(', ');
    rows.push({ label: `serving at ${server.url}`, description: models, icon: 'server-process' });
  }
  return rows;
}

/** Published versions shown at most; older ones are summed up in one row. */
export const MAX_PUBLISHED_ROWS = 5;

/** Rows for what is published where "Publish" would put this model, or why that could not be read. */
export function publishedRows(published: VersionsRequest.Result | { error: string }, now: Date): ModelRow[] {
  if ('error' in published) {
    const short = published.error.length > 120 ? `${published.error.slice(0, 117)}…` : published.error;
    return [{ label: 'published versions unavailable', description: short, icon: 'warning' }];
  }
  if (published.versions.length === 0) return [{ label: 'not published yet', description: published.location, icon: 'package' }];
  const rows = published.versions.slice(0, MAX_PUBLISHED_ROWS).map((v): ModelRow => {
    const parts = [
      v.gated === false ? 'UNGATED' : v.gated ? 'gated' : undefined,
      v.gates,
      v.aliases.length ? v.aliases.join(', ') : undefined,
      // The artifact's creation time (model.trainedAt unless set at publish), not when it was pushed.
      v.created ? `created ${ago(new Date(v.created), now)}` : undefined,
    ];
    return { label: `published ${v.tag}`, description: parts.filter(Boolean).join(' · '), icon: v.gated === false ? 'warning' : 'package' };
  });
  const older = published.versions.length - MAX_PUBLISHED_ROWS;
  if (older > 0) rows.push({ label: `${older} older version${older === 1 ? '' : 's'}`, description: published.location, icon: 'history' });
  return rows;
}

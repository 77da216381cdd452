// The last report per manifest, kept in workspace state so CodeLens and
// "Open last report" survive a reload.
import * as vscode from 'vscode';
import type { Report } from '../server/protocol/report';

const KEY = 'modelgate.lastReports';

export class ReportStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the manifest path whose report changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, Report> {
    return this.state.get<Record<string, Report>>(KEY) ?? {};
  }

  get(manifestPath: string): Report | undefined {
    return this.all()[manifestPath];
  }

  /** The manifest a stored report belongs to (a report names it relative to the engine's cwd). */
  manifestOf(report: Report): string | undefined {
    for (const [manifest, r] of Object.entries(this.all())) {
      if (r.createdAt === report.createdAt && r.model.name === report.model.name) return manifest;
    }
    return undefined;
  }

  /** The most recent report of any manifest. */
  latest(): { manifest: string; report: Report } | undefined {
    let best: { manifest: string; report: Report } | undefined;
    for (const [manifest, report] of Object.entries(this.all())) {
      if (!best || report.createdAt > best.report.createdAt) best = { manifest, report };
    }
    return best;
  }

  async set(manifestPath: string, report: Report): Promise<void> {
    await this.state.update(KEY, { ...this.all(), [manifestPath]: report });
    this.changed.fire(manifestPath);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

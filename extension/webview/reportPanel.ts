// The report panel host: one panel, reused; typed messages both ways; the
// webview keeps its report in its own state, and the serializer revives it
// after a reload.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Report } from '../../server/protocol/report';
import type { HostToWebviewMessage, WebviewState, WebviewToHostMessage } from '../../server/protocol/webview';
import type { Ctx } from '../ctx';
import { reportHtml } from './reportHtml';

const RERUN_COMMAND = { all: 'modelgate.runAll', stress: 'modelgate.runStress', staleness: 'modelgate.runStaleness', metrics: 'modelgate.runMetrics' } as const;

export class ReportPanel {
  static readonly viewType = 'modelgate.report';
  private static current: ReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static createOrShow(ctx: Ctx, report: Report): ReportPanel {
    const column = vscode.ViewColumn.Beside;
    if (ReportPanel.current) {
      ReportPanel.current.show(report);
      ReportPanel.current.panel.reveal(column, true);
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      ReportPanel.viewType,
      ReportPanel.title(report),
      { viewColumn: column, preserveFocus: true },
      ReportPanel.options(ctx.extensionUri),
    );
    ReportPanel.current = new ReportPanel(panel, ctx, report);
    return ReportPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, ctx: Ctx, state: WebviewState | undefined): ReportPanel {
    panel.webview.options = ReportPanel.options(ctx.extensionUri);
    const report = state?.report ?? ctx.reports.latest()?.report;
    ReportPanel.current?.dispose();
    ReportPanel.current = new ReportPanel(panel, ctx, report);
    return ReportPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
  }

  private static title(report: Report | undefined): string {
    return report ? `Report: ${report.model.name} ${report.model.version}` : 'ModelGate report';
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    private report: Report | undefined,
  ) {
    const webview = panel.webview;
    webview.html = reportHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'webview.js')).toString(),
      nonce: randomBytes(18).toString('base64'),
      title: ReportPanel.title(report),
    });
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((msg: WebviewToHostMessage) => this.receive(msg)),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })),
    );
  }

  show(report: Report): void {
    this.report = report;
    this.panel.title = ReportPanel.title(report);
    this.post({ type: 'report', report });
  }

  /** Tells an open panel that a run started or ended, so it disables its re-run buttons meanwhile. */
  static notifyRunning(suite: keyof typeof RERUN_COMMAND, running: boolean): void {
    ReportPanel.current?.post({ type: 'running', suite, running });
  }

  private post(msg: HostToWebviewMessage): void {
    void this.panel.webview.postMessage(msg);
  }

  private async receive(msg: WebviewToHostMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.report) this.post({ type: 'report', report: this.report });
        return;
      case 'openSource': {
        if (!this.report) return;
        const manifest = this.manifest();
        if (!manifest) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(manifest));
        const pos = new vscode.Position(Math.max(0, msg.line - 1), Math.max(0, (msg.column ?? 1) - 1));
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
        return;
      }
      case 'rerun': {
        const manifest = this.manifest();
        if (manifest) await vscode.commands.executeCommand(RERUN_COMMAND[msg.suite], vscode.Uri.file(manifest));
        return;
      }
    }
  }

  private manifest(): string | undefined {
    return this.report && this.ctx.reports.manifestOf(this.report);
  }

  dispose(): void {
    if (ReportPanel.current === this) ReportPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function reportPanelSerializer(ctx: Ctx): vscode.WebviewPanelSerializer<WebviewState> {
  return {
    async deserializeWebviewPanel(panel, state) {
      ReportPanel.revive(panel, ctx, state);
    },
  };
}

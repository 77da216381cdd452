// The "Models" side bar view: the workspace's manifests, each with its
// version, last gate status, whether it is being served, and the versions
// already published where "Publish" would put it.
import * as vscode from 'vscode';
import { MANIFEST_GLOB } from './commandIds';
import type { Ctx } from './ctx';
import { detailRows, manifestRow, publishedRows, type ModelRow } from './modelsNodes';
import { onDidPublish } from './publishedEvent';
import { credentialsFor } from './registryCredentials';
import type { ServerState } from './serverState';
import { VersionsRequest } from '../server/protocol/lsp';

type Node = { kind: 'manifest'; uri: vscode.Uri } | { kind: 'detail'; row: ModelRow; uri: vscode.Uri };

class ModelsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly server: ServerState,
  ) {
    ctx.pushDisposable(this.changed);
    ctx.pushDisposable(ctx.reports.onDidChange(() => this.changed.fire()));
    // Only when what the view shows changes (running, URL, models), not on every request-rate update:
    // a refresh reads the published versions again.
    let shown = '';
    ctx.pushDisposable(
      server.onDidChange(() => {
        const { running, url, models, manifests } = server.current;
        const key = JSON.stringify([ctx.server.kind, running, url, models, manifests]);
        if (key === shown) return;
        shown = key;
        this.changed.fire();
      }),
    );
    ctx.pushDisposable(onDidPublish(() => this.changed.fire()));
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB, false, true, false);
    ctx.pushDisposable(watcher);
    ctx.pushDisposable(watcher.onDidCreate(() => this.changed.fire()));
    ctx.pushDisposable(watcher.onDidDelete(() => this.changed.fire()));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const found = await vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**', 200);
      return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ kind: 'manifest', uri }));
    }
    if (node.kind === 'detail') return [];
    const now = new Date();
    const rows = [
      ...detailRows(node.uri.fsPath, this.ctx.reports.get(node.uri.fsPath), this.server.current, now),
      ...publishedRows(await this.published(node.uri), now),
    ];
    return rows.map((row) => ({ kind: 'detail', row, uri: node.uri }));
  }

  /** What is published where "Publish" would put this manifest's model (read each time the node expands or refreshes). */
  private async published(uri: vscode.Uri): Promise<Parameters<typeof publishedRows>[0]> {
    const target = vscode.workspace.getConfiguration('modelgate', uri).get<string>('registry') || undefined;
    const client = this.ctx.client;
    if (!client) {
      const s = this.ctx.server;
      return { error: `the language server is not running${s.kind === 'failed' ? `: ${s.reason}` : ''}` };
    }
    try {
      const credentials = await credentialsFor(this.ctx.extension.secrets, target);
      return await client.sendRequest(VersionsRequest.type, { manifest: uri.fsPath, target, ...(credentials ? { credentials } : {}) });
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const row = node.kind === 'manifest' ? manifestRow(vscode.workspace.asRelativePath(node.uri), this.ctx.reports.get(node.uri.fsPath)) : node.row;
    const item = new vscode.TreeItem(row.label, node.kind === 'manifest' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    if (node.kind === 'manifest') {
      item.resourceUri = node.uri;
      item.contextValue = 'modelgate.manifest';
      item.command = { title: 'Open', command: 'vscode.open', arguments: [node.uri] };
    } else if (row.icon === 'pass' || row.icon === 'error') {
      item.command = { title: 'Open last report', command: 'modelgate.openLastReport', arguments: [node.uri] };
    } else if (row.icon === 'beaker') {
      item.command = { title: 'Run all tests', command: 'modelgate.runAll', arguments: [node.uri] };
    }
    return item;
  }
}

export function modelsView(ctx: Ctx, server: ServerState): void {
  ctx.pushDisposable(vscode.window.createTreeView('modelgate.models', { treeDataProvider: new ModelsProvider(ctx, server), showCollapseAll: true }));
}

// Fired with the manifest path after a publish succeeds, so views that list
// published versions (the Models view) read them again.
import * as vscode from 'vscode';

const emitter = new vscode.EventEmitter<string>();
export const onDidPublish = emitter.event;

export function firePublished(manifest: string): void {
  emitter.fire(manifest);
}

// What the user reads when the language server does not run: why it did not
// start, what a command that needs it says, and the status bar's warning.
// No vscode import, so unit tests can load it.

/** The language server module the extension runs, and whether modelgate.server.path chose it. */
export interface ServerModule {
  path: string;
  fromSetting: boolean;
}

export const SHOW_LOG = 'Show log';
export const RETRY = 'Retry';

/** What a command resolves with when it could not run because the server is down (for callers and tests). */
export interface ServerNotRunning {
  serverNotRunning: string;
}

/** Why the server did not start, with the fix: a missing module, or the start error as the client gave it. */
export function serverStartFailure(module: ServerModule, exists: boolean, err?: unknown): string {
  if (!exists) {
    return module.fromSetting
      ? `the language server "${module.path}" set in modelgate.server.path does not exist; correct the setting, or clear it to use the bundled server`
      : `the bundled language server "${module.path}" is missing; reinstall the ModelGate extension (in a development checkout: node scripts/build.mjs)`;
  }
  const message = (err instanceof Error ? err.message : String(err ?? 'it ended before it answered')).trim();
  const where = module.fromSetting ? ` (modelgate.server.path: ${module.path})` : '';
  return `the language server${where} did not start: ${message || 'no reason given'}`;
}

/** The error a command shows while the server is down, naming the command and why. */
export function serverDownMessage(commandTitle: string, state: { kind: 'starting' } | { kind: 'failed'; reason: string } | { kind: 'running' }): string {
  const why = state.kind === 'failed' ? `it failed to start: ${state.reason}` : 'it is not running';
  return `ModelGate: "${commandTitle}" needs the ModelGate language server, but ${why}. Fix the cause, then choose "${RETRY}" (or run "ModelGate: Restart language server"); "${SHOW_LOG}" has the details.`;
}

/** The status bar's warning while the server is down. */
export function serverFailedStatus(reason: string): { text: string; tooltip: string } {
  return {
    text: '$(warning) ModelGate: server failed',
    tooltip: `The ModelGate language server failed to start: ${reason}.\nCommands, diagnostics and the Models view need it. Click to retry; "ModelGate: Show logs" has the details.`,
  };
}

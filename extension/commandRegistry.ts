// Registers every command of the table at activation, whatever the language
// server does: a command runs its enabled variant while the server runs, and
// its disabled one otherwise (by default: say why, offer Show log and Retry).
// A command invoked while the server is still starting waits for the start.
import * as vscode from 'vscode';
import { COMMANDS, type CommandId } from './commandIds';
import type { Cmd, CommandFactory, Ctx } from './ctx';
import { RETRY, serverDownMessage, SHOW_LOG, type ServerNotRunning } from './serverDownText';

export function registerCommands(ctx: Ctx, table: Record<CommandId, CommandFactory>): void {
  for (const id of Object.keys(COMMANDS) as CommandId[]) {
    const factory = table[id];
    // One enabled handler per client: a restart builds it again for the new client.
    let built: { client: unknown; cmd: Cmd } | undefined;
    const disabled = (factory.disabled ?? serverDown(id))(ctx);
    ctx.pushDisposable(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await ctx.settled();
        const init = ctx.initialized();
        if (!init) return disabled(...args);
        if (built?.client !== init.client) built = { client: init.client, cmd: factory.enabled(init) };
        return built.cmd(...args);
      }),
    );
  }
}

/** The disabled variant of a command that needs the server. */
function serverDown(id: CommandId): (ctx: Ctx) => Cmd {
  return (ctx) => (): ServerNotRunning => {
    const message = serverDownMessage(COMMANDS[id].title, ctx.server);
    ctx.output.error(message);
    explainServerDown(ctx, message);
    return { serverNotRunning: message };
  };
}

/** Shows why the server is down with Show log and Retry; not awaited, so the command ends now. */
export function explainServerDown(ctx: Ctx, message: string): void {
  void vscode.window.showErrorMessage(message, SHOW_LOG, RETRY).then(async (action) => {
    if (action === SHOW_LOG) ctx.output.show();
    else if (action === RETRY) await retryServer(ctx);
  });
}

/** Restarts the server; says so when it runs again, explains again when it does not. */
export async function retryServer(ctx: Ctx): Promise<boolean> {
  const ok = await ctx.restart();
  const s = ctx.server;
  if (ok) {
    ctx.output.info('the language server is running');
    void vscode.window.showInformationMessage('ModelGate: the language server is running; commands work again.');
  } else if (s.kind === 'failed') {
    explainServerDown(ctx, `ModelGate: the language server still does not start: ${s.reason}.`);
  }
  return ok;
}

// When the language server cannot start (here: modelgate.server.path names a
// module that does not exist, as prepare.ts sets it up), the extension still
// activates, every command exists and says why it cannot run, and Retry
// after fixing the setting brings the commands back without a reload. Runs
// first (file order): the other specs need the server this one restarts.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { StopRequest } from '../../../server/protocol/lsp';
import type { ServerNotRunning } from '../../../extension/serverDownText';
import { unregisteredCommands, workspaceUri } from './helpers';

describe('ModelGate when its language server cannot start', () => {
  const valid = workspaceUri('breast-cancer', 'model.yaml');
  const config = () => vscode.workspace.getConfiguration('modelgate');

  after(async () => {
    // whatever happened above, the specs after this one get a running server
    if (config().inspect('server.path')?.workspaceValue !== undefined) {
      await config().update('server.path', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('modelgate.restartServer');
    }
  });

  it('activates and registers every contributed command', async () => {
    assert.equal(config().get('server.path'), 'dev-build/no-such-server.js', 'the prepared workspace does not set modelgate.server.path');
    assert.deepEqual(await unregisteredCommands(), [], 'contributed commands without a handler');
  });

  it('a command that needs the server says which file is missing and how to fix it', async () => {
    const missing = workspaceUri('dev-build', 'no-such-server.js').fsPath;
    for (const [id, title] of [
      ['modelgate.serve', 'Serve model'],
      ['modelgate.runMetrics', 'Run metric tests'],
      ['modelgate.scoreCsv', 'Score a CSV file'],
      ['modelgate.stop', 'Stop server'],
    ] as const) {
      const down = await vscode.commands.executeCommand<ServerNotRunning | undefined>(id, valid);
      assert.ok(down?.serverNotRunning, `${id} did not explain that the server is down: ${JSON.stringify(down)}`);
      assert.ok(
        down.serverNotRunning.startsWith(
          `ModelGate: "${title}" needs the ModelGate language server, but it failed to start: the language server "${missing}" set in modelgate.server.path does not exist`,
        ),
        down.serverNotRunning,
      );
      assert.match(down.serverNotRunning, /"Retry".*"Show log"/);
    }
    // what needs no server still works, and the CodeLens is there to click
    await vscode.commands.executeCommand('modelgate.showLogs');
    // the lens provider runs on an open document
    await vscode.window.showTextDocument(valid);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', valid);
    assert.ok(
      lenses.some((l) => l.command?.command === 'modelgate.serve'),
      `no Serve lens: ${lenses.map((l) => l.command?.title).join(' | ')}`,
    );
  });

  it('Retry while the setting is still wrong fails again, with the same reason', async () => {
    const ok = await vscode.commands.executeCommand<boolean>('modelgate.restartServer');
    assert.equal(ok, false);
    const down = await vscode.commands.executeCommand<ServerNotRunning | undefined>('modelgate.stop');
    assert.match(down?.serverNotRunning ?? '', /no-such-server\.js" set in modelgate\.server\.path does not exist/);
  });

  it('after the setting is cleared, Retry starts the bundled server and the commands work without a reload', async () => {
    await config().update('server.path', undefined, vscode.ConfigurationTarget.Workspace);
    const ok = await vscode.commands.executeCommand<boolean>('modelgate.restartServer');
    assert.equal(ok, true, 'the bundled server did not start (see the ModelGate output channel)');
    const stopped = await vscode.commands.executeCommand<StopRequest.Result | ServerNotRunning>('modelgate.stop');
    assert.deepEqual(stopped, { stopped: false }, 'Stop server did not reach the restarted language server');
  });
});

// Stops the model server started by "Serve model".
import * as vscode from 'vscode';
import type { CommandFactory } from '../ctx';
import { StopRequest } from '../../server/protocol/lsp';

export const stop: CommandFactory = {
  enabled: (ctx) => async () => {
    const result = await ctx.client.sendRequest(StopRequest.type, {});
    void vscode.window.showInformationMessage(result.stopped ? `ModelGate: stopped the server at ${result.url}.` : 'ModelGate: no server is running.');
    return result;
  },
};

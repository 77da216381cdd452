// `modelgate lsp --stdio | --node-ipc`: runs the language server in this
// process, so any LSP-capable editor can lint and complete manifests.
import type { Command } from 'commander';
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server';
import { fail } from './exit';

export function registerLsp(program: Command): void {
  program
    .command('lsp')
    .description('Run the manifest language server (diagnostics, completion, hover, quick fixes) for an editor.')
    .option('--stdio', 'talk LSP over stdin/stdout')
    .option('--node-ipc', 'talk LSP over the Node IPC channel (when started with fork())')
    .option('--clientProcessId <pid>', 'exit when this process ends (set by LSP clients)')
    .action(async (opts: { stdio?: boolean; nodeIpc?: boolean }) => {
      if (!opts.stdio === !opts.nodeIpc) fail('lsp: choose one transport: `modelgate lsp --stdio` or `modelgate lsp --node-ipc`');
      if (opts.nodeIpc && !process.send) fail('lsp --node-ipc: this process has no IPC channel; start it with child_process.fork(), or use --stdio');
      const connection = opts.stdio
        ? createConnection(ProposedFeatures.all, process.stdin, process.stdout)
        : createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process));
      startServer(connection, { redirectConsole: !!opts.stdio });
      // The connection ends the process itself on `exit` or when the client goes away.
      await new Promise<never>(() => {});
    });
}

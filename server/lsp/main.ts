// Standalone entry of the language server (dist/server.js), started by the
// VS Code client with --node-ipc or by any editor with --stdio.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// createConnection reads the transport (--stdio, --node-ipc, --socket=N) from argv
// and, with --stdio, keeps console output off the protocol stream.
startServer(createConnection(ProposedFeatures.all));

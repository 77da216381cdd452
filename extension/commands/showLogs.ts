// Shows the ModelGate output channel (client and language server log).
import type { CommandFactory } from '../ctx';

export const showLogs: CommandFactory = (ctx) => () => ctx.output.show();

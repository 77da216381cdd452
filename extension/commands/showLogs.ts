// Shows the ModelGate output channel (client and language server log).
import { anyState } from '../ctx';

export const showLogs = anyState((ctx) => () => ctx.output.show());

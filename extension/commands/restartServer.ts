// Restarts the language server (what "Retry" does): after fixing
// modelgate.server.path or rebuilding, commands work again without a reload.
import { retryServer } from '../commandRegistry';
import { anyState } from '../ctx';

/** Resolves true when the server runs again. */
export const restartServer = anyState((ctx) => () => retryServer(ctx));

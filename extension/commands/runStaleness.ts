// Runs the staleness suite of a manifest and opens the report.
import type { CommandFactory } from '../ctx';
import { runSuites } from '../runSuites';

export const runStaleness: CommandFactory = { enabled: (ctx) => (arg) => runSuites(ctx, arg, ['staleness']) };

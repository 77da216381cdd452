// Runs the metrics suite of a manifest and opens the report.
import type { CommandFactory } from '../ctx';
import { runSuites } from '../runSuites';

export const runMetrics: CommandFactory = { enabled: (ctx) => (arg) => runSuites(ctx, arg, ['metrics']) };

// Runs all suites of a manifest and opens the report.
import type { CommandFactory } from '../ctx';
import { runSuites } from '../runSuites';

export const runAll: CommandFactory = { enabled: (ctx) => (arg) => runSuites(ctx, arg) };

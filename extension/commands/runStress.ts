// Runs the stress suite of a manifest and opens the report.
import type { CommandFactory } from '../ctx';
import { runSuites } from '../runSuites';

export const runStress: CommandFactory = { enabled: (ctx) => (arg) => runSuites(ctx, arg, ['stress']) };

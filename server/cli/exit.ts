import type { Verdict } from '../protocol/report';

// A command ends by returning normally (exit 0), by setting CliExit.code, or
// by throwing CliExit with a message already meant for the user.
export class CliExit extends Error {
  static code: number | undefined;
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

/** Prints a user-facing error and ends the command with the given exit code. */
export function fail(message: string, exitCode = 2): never {
  process.stderr.write(`modelgate: ${message}\n`);
  throw new CliExit(exitCode, message);
}

/**
 * Exit codes of `modelgate test` and `deploy`, the same in every command:
 * 0 passed, 1 a gate failed, 2 usage / configuration / I/O, 3 nothing failed
 * but the verdict is incomplete (a gate inconclusive or not run), 130 cancelled.
 */
export const VERDICT_EXIT: Record<Verdict, number> = { passed: 0, failed: 1, incomplete: 3, cancelled: 130 };

/** The exit codes and verdict rules, for `--help` of the commands that judge a model (as the README states them). */
export const VERDICT_HELP = `
The verdict: passed only when every gate the manifest declares passed, over
every suite; a gate is passed, failed, inconclusive (measured, but not
reliably: the reason says why) or not run (suite skipped with --only,
cancelled, data or baseline missing). Only a passed verdict publishes gated;
anything else publishes only with --force, marked UNGATED.

Exit codes:
  0    passed: every declared gate passed
  1    a gate failed
  2    usage, configuration or I/O error
  3    nothing failed, but the verdict is incomplete (a gate inconclusive or not run)
  130  cancelled (Ctrl-C)`;

import type { Verdict } from '../protocol/report';

// A command ends by returning normally (exit 0), by setting CliExit.code, or
// by throwing CliExit with a message already meant for the user.
export class CliExit extends Error {
  static code: number | undefined;
  constructor(readonly exitCode: number, message = '') {
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

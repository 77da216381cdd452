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

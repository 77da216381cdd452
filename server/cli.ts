// The `modelgate` command. Each subcommand lives in server/cli/<name>.ts and
// registers itself on the program; this file only wires them and maps
// failures to exit codes: 0 success, 1 a check failed, 2 usage or I/O error.
import { Command, CommanderError } from 'commander';
import { commands } from './cli/commands';
import { CliExit } from './cli/exit';

declare const MODELGATE_VERSION: string;

export function buildProgram(): Command {
  const program = new Command('modelgate')
    .description('Lint, serve, test and publish ONNX models described by a model.yaml manifest.')
    .version(typeof MODELGATE_VERSION === 'string' ? MODELGATE_VERSION : '0.0.0-dev', '-V, --version')
    .showHelpAfterError('(run `modelgate --help` for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return CliExit.code ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliExit) return err.exitCode;
    throw err;
  }
}

// `modelgate __loadgen`: the stress suite's load-generator child. Hidden from
// help; the suite forks it with an IPC channel so load never runs on the
// event loop of the process that serves the model.
import type { Command } from 'commander';
import { runLoadgenChild } from '../modeltests/stress/loadgenWorker';
import { fail } from './exit';

export function registerLoadgen(program: Command): void {
  program
    .command('__loadgen', { hidden: true })
    .description('internal: load generator of the stress suite (started by `modelgate test`)')
    .action(async () => {
      if (!process.send)
        fail(
          "__loadgen is the stress suite's internal load generator and needs the IPC channel it is started with; run `modelgate test <manifest>` instead",
          2,
        );
      await runLoadgenChild();
    });
}

// Every subcommand, in the order `modelgate --help` lists them.
import type { Command } from 'commander';
import { registerLoadgen } from './loadgen';
import { registerPublish } from './publish';
import { registerPull } from './pull';
import { registerVersions } from './versions';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerLoadgen,
  registerPublish,
  registerPull,
  registerVersions,
];

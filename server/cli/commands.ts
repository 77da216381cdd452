// Every subcommand, in the order `modelgate --help` lists them.
import type { Command } from 'commander';
import { registerDeploy } from './deploy';
import { registerInit } from './init';
import { registerLint } from './lint';
import { registerLoadgen } from './loadgen';
import { registerLsp } from './lsp';
import { registerPublish } from './publish';
import { registerPull } from './pull';
import { registerScore } from './score';
import { registerServe } from './serve';
import { registerTest } from './test';
import { registerVersions } from './versions';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerDeploy,
  registerInit,
  registerLint,
  registerLoadgen,
  registerLsp,
  registerPublish,
  registerPull,
  registerScore,
  registerServe,
  registerTest,
  registerVersions,
];

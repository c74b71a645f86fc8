import { Command } from 'commander';
import { CliIo } from '../io';
import { registerInit } from './init';
import { registerPromote } from './promote';
import { registerCheck } from './check';
import { registerDiff } from './diff';
import { registerExplain } from './explain';
import { registerPreview } from './preview';
import { registerRender } from './render';

/** Registers one subcommand on the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every subcommand, one file each in this folder. */
export const COMMANDS: RegisterCommand[] = [
  registerInit,
  registerPromote,
  registerCheck,
  registerDiff,
  registerExplain,
  registerRender,
  registerPreview,
];

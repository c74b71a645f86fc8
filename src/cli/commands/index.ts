import { Command } from 'commander';
import { CliIo } from '../io';
import { registerInit } from './init';
import { registerPromote } from './promote';

/** Registers one subcommand on the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every subcommand, one file each in this folder. */
export const COMMANDS: RegisterCommand[] = [
  registerInit,
  registerPromote,
];

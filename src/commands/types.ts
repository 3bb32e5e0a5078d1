import type { Argv } from 'yargs';
import type { Io } from '../io';
import type { GlobalOptions } from '../options';

/**
 * One subcommand: its yargs shape (cheap to load) and a lazily imported runner that
 * returns the exit code. Runners never exit the process; failures are thrown CliErrors.
 */
export interface CommandSpec<A = Record<string, unknown>> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv;
  run: (globals: GlobalOptions, args: A, io: Io) => Promise<number>;
}

import type { Argv } from 'yargs';
import type { Io } from '../io';
import type { Checks } from '../kube/validate';
import type { GlobalOptions } from '../options';

/**
 * One subcommand: its yargs shape (cheap to load) and a lazily imported runner that
 * returns the exit code. Runners never exit the process; failures are thrown CliErrors.
 */
export interface CommandSpec<A = Record<string, unknown>> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv;
  /** Checks and converts the parsed flags before anything is sent; problems go into `checks`. */
  args?: (parsed: Record<string, unknown>, checks: Checks) => A;
  run: (globals: GlobalOptions, args: A, io: Io) => Promise<number>;
}

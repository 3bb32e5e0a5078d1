import type { Argv } from 'yargs';
import type { Io } from '../io';
import type { Checks } from '../kube/validate';
import type { GlobalOptions } from '../options';
import type { CiFormat } from '../render/structured';

/**
 * What a runner hands back (pnpm's shape): the result, rendered once by the command's
 * `render`, and the exit code it means (a value of ExitCode, errors.ts). A failure the user
 * must act on (usage, cluster, aborted, timeout) is thrown as a CliError instead.
 */
export interface Outcome<R> { result: R; exitCode: number }

/**
 * One subcommand: its yargs shape (cheap to load) and a lazily imported runner. Runners
 * never exit the process and write nothing to stdout themselves, except what is live by
 * nature (the plan before its prompt, `status --watch` lines); progress goes to stderr.
 */
export interface CommandSpec<A = Record<string, unknown>, R = unknown> {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv;
  /** Checks and converts the parsed flags before anything is sent; problems go into `checks`. */
  args?: (parsed: Record<string, unknown>, checks: Checks) => A;
  run: (globals: GlobalOptions, args: A, io: Io) => Promise<Outcome<R>>;
  /** Writes the result; also the partial result a PartialResult carries before its error. */
  render: (result: R, globals: GlobalOptions, io: Io) => void | Promise<void>;
  /** The CI report formats (`-o sarif|junit`) the command writes; the others refuse them. */
  outputs?: readonly CiFormat[];
}

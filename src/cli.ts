import yargs from 'yargs';
import { COMMANDS } from './commands/registry';
import { CliError, ExitCode, PartialResult, usageError } from './errors';
import type { Io } from './io';
import { Checks, refuse } from './kube/validate';
import { isCiFormat } from './render/structured';
import { addGlobalOptions, globalsFrom, type GlobalOptions, type RawGlobals } from './options';
import type { CommandSpec } from './commands/types';
import { versionLine } from './version';

export const USAGE_NAME = 'kubectl dhakacart';

/**
 * Runs one command and renders its result: the one place output is written from a result.
 * A PartialResult is rendered too (what was done), then its error goes on to main.
 */
async function runCommand(spec: CommandSpec<never, unknown>, globals: GlobalOptions, args: never, io: Io): Promise<number> {
  let outcome;
  try {
    outcome = await spec.run(globals, args, io);
  } catch (e) {
    if (!(e instanceof PartialResult)) throw e;
    await spec.render(e.result, globals, io);
    throw e.error;
  }
  await spec.render(outcome.result, globals, io);
  return outcome.exitCode;
}

/** yargs takes a lone `-` for a positional: kubectl's `-f -` (read stdin) makes it the flag's value. */
const stdinAsValue = (argv: string[]): string[] =>
  argv.flatMap((a, i) => (a === '-' && (argv[i - 1] === '-f' || argv[i - 1] === '--filename') ? [] : argv[i + 1] === '-' && (a === '-f' || a === '--filename') ? ['--filename=-'] : [a]));

/**
 * A single-valued flag given twice (`--timeout 1s --timeout 2s`) is an array to yargs; kubectl
 * (pflag) keeps the last, and so do we. Flags declared as arrays (`--check`, `-f`) keep all.
 */
type Declared = { string: string[]; number: string[]; array: string[] };

function lastValueWins<T extends Record<string, unknown>>(argv: T, declared: Declared): T {
  const single = new Set([...declared.string, ...declared.number].filter((k) => !declared.array.includes(k)));
  return Object.fromEntries(Object.entries(argv).map(([k, v]) => [k, single.has(k) && Array.isArray(v) ? v.at(-1) : v])) as T;
}

/**
 * Parses argv (kubectl passes no flags of its own to plugins, so every global flag is
 * ours) and runs the chosen subcommand. Returns the exit code; throws CliError.
 */
export async function runCli(argv: string[], makeIo: (noColor: boolean) => Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === 'version')) {
    process.stdout.write(versionLine());
    return ExitCode.ok;
  }
  let selected: (() => Promise<number>) | undefined;
  const parser = addGlobalOptions(yargs())
    .scriptName(USAGE_NAME)
    .usage(`Diagnose and fix crash-looping DhakaCart pods.\n\nUsage: ${USAGE_NAME} <command> [options]`)
    .version(false)
    .option('version', { type: 'boolean', describe: 'Show the version, git commit and Node runtime' })
    .strict()
    .recommendCommands()
    .demandCommand(1, `a command is required: ${COMMANDS.map((c) => c.command.split(' ')[0]).join(', ')}`)
    .exitProcess(false)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err instanceof CliError) throw err;
      throw usageError(msg ?? err?.message ?? 'invalid arguments', `run '${USAGE_NAME} --help' for usage`);
    });
  for (const spec of COMMANDS) {
    parser.command(spec.command, spec.describe, spec.builder, (raw) => {
      // getOptions (yargs 17, untyped) holds the declarations of the running command too.
      const a = lastValueWins(raw, (parser as unknown as { getOptions(): Declared }).getOptions());
      selected = () => {
        // Every flag problem, global or the command's, is reported at once and before any request.
        const checks = new Checks();
        const globals = globalsFrom(a as unknown as RawGlobals, env, checks);
        const args = spec.args ? spec.args(a, checks) : a;
        if (isCiFormat(globals.output) && !spec.outputs?.includes(globals.output)) {
          checks.take(refuse(`-o ${globals.output} is not an output of ${spec.command.split(' ')[0]}`, 'use -o table, wide, json or yaml (sarif and junit are for check)'));
        }
        checks.done();
        return runCommand(spec, globals, args as never, makeIo(!globals.color));
      };
    });
  }
  let helpShown = false;
  const parsed = await parser.parseAsync(stdinAsValue(argv), {}, (_err, _argv, output) => {
    if (output) { helpShown = true; process.stdout.write(output + '\n'); }
  });
  if ((parsed as { version?: boolean }).version) {
    process.stdout.write(versionLine());
    return ExitCode.ok;
  }
  if (!selected) {
    if (helpShown) return ExitCode.ok;
    throw usageError('no command given', `run '${USAGE_NAME} --help' for usage`);
  }
  return selected();
}

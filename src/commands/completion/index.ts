import type { CommandSpec } from '../types';
import type { CompletionOutput } from './run';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export interface CompletionArgs { shell: (typeof SHELLS)[number] | 'install'; dir?: string }
export interface CompleteArgs { words?: string[]; _: (string | number)[] }

const completionCommand: CommandSpec<CompletionArgs, CompletionOutput> = {
  command: 'completion <shell>',
  describe: 'Shell completion: print the script for bash, zsh or fish, or install the kubectl completion helper',
  builder: (y) =>
    y
      .positional('shell', { choices: [...SHELLS, 'install'], describe: 'bash|zsh|fish: print a script for kubectl-dhakacart; install: write kubectl_complete-dhakacart (for `kubectl dhakacart <TAB>`, kubectl >= 1.26)' })
      .option('dir', { type: 'string', requiresArg: true, describe: 'install: directory on PATH for the helper (default: where kubectl-dhakacart is)' }),
  run: async (g, a) => (await import('./run')).runCompletion(g, a),
  render: async (r, _g, io) => (await import('./run')).renderCompletion(r, io),
};

/** Hidden: what kubectl (through kubectl_complete-dhakacart) and the shell scripts call. */
const completeCommand: CommandSpec<CompleteArgs, CompletionOutput> = {
  command: '__complete [words..]',
  describe: false as unknown as string,
  builder: (y) => y.strict(false),
  run: async (g, a) => (await import('./run')).runComplete(g, a),
  render: async (r, _g, io) => (await import('./run')).renderCompletion(r, io),
};

export const COMPLETION_COMMANDS = [completionCommand, completeCommand];

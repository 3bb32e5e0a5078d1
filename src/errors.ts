/**
 * Every failure the plugin reports is a CliError with a kind. The kind alone decides the
 * exit code (exitCodeFor), so no command picks numbers of its own.
 */
export type ErrorKind = 'problems' | 'usage' | 'cluster' | 'aborted' | 'timeout' | 'internal';

export class CliError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** One line telling the user what to do next. */
    readonly hint?: string,
    /** Further problems of the same run, each reported on its own `error:` line. */
    readonly more: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One thing wrong with the input: the `error:` line and its `hint:`. */
export interface Problem { message: string; hint?: string }

export const usageError = (message: string, hint?: string) => new CliError('usage', message, hint);

/** Every input problem at once (so a user fixes them in one go); undefined when there are none. */
export function usageErrors(problems: readonly Problem[]): CliError | undefined {
  const [first, ...rest] = problems;
  return first && new CliError('usage', first.message, first.hint, rest);
}
export const clusterError = (message: string, hint?: string) => new CliError('cluster', message, hint);

/**
 * A failure after part of the work was done (a change applied, then its rollout could not be
 * followed): `result` says what was done and is rendered first; then `error` ends the run.
 */
export class PartialResult<R = unknown> extends Error {
  constructor(readonly error: unknown, readonly result: R) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'PartialResult';
  }
}

/** The contract's exit codes (CONTRACT.md "Exit codes"). */
export const ExitCode = {
  ok: 0,
  problems: 1,
  usage: 2,
  cluster: 3,
  aborted: 4,
  timeout: 5,
  /** EX_SOFTWARE of sysexits.h: a bug in the plugin, not a problem found in the cluster. */
  internal: 70,
} as const;

function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'problems': return ExitCode.problems;
    case 'usage': return ExitCode.usage;
    case 'cluster': return ExitCode.cluster;
    case 'aborted': return ExitCode.aborted;
    case 'timeout': return ExitCode.timeout;
    case 'internal': return ExitCode.internal;
  }
}

/** The exit code a failure means: its kind's; anything that is not a CliError is a bug. */
export const exitCodeOf = (e: unknown): number => (e instanceof CliError ? exitCodeFor(e.kind) : ExitCode.internal);

/** Several runs as one (a fleet's clusters): the highest code is the worst. */
export const worstExitCode = (codes: readonly number[]): number => Math.max(ExitCode.ok, ...codes);

/** The `error:` and `hint:` lines of problems, as every failure and refusal is written. */
export function problemText(problems: readonly Problem[]): string {
  return problems.map((p) => `error: ${p.message}\n${p.hint ? `hint: ${p.hint}\n` : ''}`).join('');
}

/**
 * What the user sees for a failure, and the exit code. A CliError is an expected failure:
 * its lines as they are. Anything else is a bug: one line, where to report it with the
 * version, and the stack only when asked for (a stack scares and helps no on-call engineer).
 */
export function formatFailure(e: unknown, opts: { debug: boolean; version: string }): { text: string; code: number } {
  if (e instanceof CliError) return { text: problemText([{ message: e.message, hint: e.hint }, ...e.more]), code: exitCodeOf(e) };
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim() || (e instanceof Error ? e.name : 'unknown failure');
  const lines = [`internal error: ${message}`,
    `hint: this is a bug in kubectl-dhakacart; please report it with this line and: ${opts.version.trim()}${opts.debug ? '' : ' (--debug or DHAKACART_DEBUG=1 shows the stack)'}`];
  if (opts.debug && e instanceof Error && e.stack) lines.push(e.stack);
  return { text: lines.join('\n') + '\n', code: ExitCode.internal };
}

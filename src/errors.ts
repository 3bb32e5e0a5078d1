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
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string, hint?: string) => new CliError('usage', message, hint);
export const clusterError = (message: string, hint?: string) => new CliError('cluster', message, hint);

/** The contract's exit codes (CONTRACT.md "Exit codes"). */
export const ExitCode = {
  ok: 0,
  problems: 1,
  usage: 2,
  cluster: 3,
  aborted: 4,
  timeout: 5,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'problems': return ExitCode.problems;
    case 'usage': return ExitCode.usage;
    case 'cluster': return ExitCode.cluster;
    case 'aborted': return ExitCode.aborted;
    case 'timeout': return ExitCode.timeout;
    case 'internal': return ExitCode.problems;
  }
}

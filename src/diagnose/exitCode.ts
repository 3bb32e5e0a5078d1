import type { ContainerStateTerminated } from '../kube/types';

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM',
};

const SIGNAL_MEANING: Record<number, string> = {
  2: 'interrupted',
  6: 'the process aborted itself (a failed assertion; Node.js when its heap is exhausted)',
  9: 'killed from outside: the OOM killer, or a stop that outlived its grace period',
  11: 'segmentation fault: the process touched memory it does not own',
  15: 'asked to stop (a liveness restart, a rollout, a delete)',
};

const CODE_MEANING: Record<number, string> = {
  0: 'success',
  1: 'application error',
  2: 'misuse of a shell builtin or bad arguments',
  126: 'the command was found but is not executable (permissions)',
  127: 'command not found',
  128: 'the runtime could not start the process (StartError)',
  255: 'exit status out of range',
};

export interface ExitInfo { code: number; signal: number | null; signalName: string | null; meaning: string }

/** POSIX shells report death by signal n as 128+n; some runtimes set `signal` directly. */
export function decodeExit(t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>): ExitInfo {
  const code = t.exitCode;
  const signal = t.signal || (code > 128 && code < 160 ? code - 128 : null);
  if (signal) {
    const name = SIGNALS[signal] ?? `signal ${signal}`;
    return { code, signal, signalName: SIGNALS[signal] ?? null, meaning: `${name}: ${SIGNAL_MEANING[signal] ?? `killed by signal ${signal}`}` };
  }
  return { code, signal: null, signalName: null, meaning: CODE_MEANING[code] ?? 'application-defined error code' };
}

/** "exit 137 (SIGKILL: ...)" */
export function exitText(t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>): string {
  return `exit ${t.exitCode} (${decodeExit(t).meaning})`;
}

/** Signals sent from outside the process: their exit says nothing about the app itself. */
export const isExternalKill = (t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>) => [9, 15].includes(decodeExit(t).signal ?? 0);

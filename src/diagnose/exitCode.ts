import type { ContainerStateTerminated } from '../kube/types';
import type { Runtime } from './logPatterns';

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

/**
 * What a code means when the runtime that chose it is known (from its log lines or its image).
 * Node: doc/api/process.md "Exit codes"; Go: src/runtime/panic.go (exit(2) after a panic or
 * throw) and log.Fatal (os.Exit(1)); CPython: an uncaught exception exits 1, argparse and a
 * missing script exit 2 (Lib/argparse.py, Modules/main.c); the JVM exits 1 when main throws
 * (Spring Boot's SpringApplication.exit after a failed start too); nginx, postgres and redis
 * exit 1 when start-up fails (ngx_master_process / postmaster.c ExitPostmaster(1) /
 * redis server.c exit(1)).
 */
const RUNTIME_CODES: Partial<Record<Runtime, Record<number, string>>> = {
  node: {
    1: 'Node.js: an uncaught exception or unhandled rejection, or the app called process.exit(1)',
    7: 'Node.js: the uncaught-exception handler itself threw',
    9: 'Node.js: invalid argument (an unknown option, or one without its value)',
    13: 'Node.js: unsettled top-level await (the module waited on a promise that never settled)',
    134: 'SIGABRT: Node.js aborts this way when the V8 heap is exhausted',
  },
  go: { 1: 'Go: log.Fatal or os.Exit(1)', 2: 'Go: a panic or fatal runtime error (the runtime exits with 2)' },
  python: { 1: 'Python: an uncaught exception, or sys.exit(1)', 2: 'Python: command-line usage error (argparse, or the script cannot be opened)' },
  jvm: { 1: 'JVM: main threw, or the application (Spring Boot) failed to start' },
  nginx: { 1: 'nginx: start-up failed ([emerg] in the log)' },
  postgres: { 1: 'PostgreSQL: the server failed to start or stopped on a FATAL/PANIC' },
  redis: { 1: 'Redis: a fatal start-up error' },
  'fluent-bit': { 1: 'Fluent Bit: its configuration or a plugin failed to initialise' },
};

/** The runtime an image name shows, for the common official images; null when it does not say. */
export function runtimeOfImage(image: string | undefined): Runtime | null {
  const name = (image ?? '').split('@')[0]!.replace(/:[^/]*$/, '').split('/').pop() ?? '';
  const known: [RegExp, Runtime][] = [
    [/^node$/, 'node'], [/^golang$/, 'go'], [/^python$/, 'python'], [/^(?:openjdk|eclipse-temurin|amazoncorretto|ibmjava|sapmachine)$/, 'jvm'],
    [/^nginx(?:-unprivileged)?$/, 'nginx'], [/^postgres(?:ql)?$/, 'postgres'], [/^(?:redis|valkey)$/, 'redis'], [/^fluent-bit$/, 'fluent-bit'],
  ];
  return known.find(([re]) => re.test(name))?.[1] ?? null;
}

export interface ExitInfo { code: number; signal: number | null; meaning: string }

/** POSIX shells report death by signal n as 128+n; some runtimes set `signal` directly. */
export function decodeExit(t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>, runtime: Runtime | null = null): ExitInfo {
  const code = t.exitCode;
  const signal = t.signal || (code > 128 && code < 160 ? code - 128 : null);
  const own = runtime ? RUNTIME_CODES[runtime]?.[code] : undefined;
  if (own) return { code, signal, meaning: own };
  if (signal) {
    const name = SIGNALS[signal] ?? `signal ${signal}`;
    return { code, signal, meaning: `${name}: ${SIGNAL_MEANING[signal] ?? `killed by signal ${signal}`}` };
  }
  return { code, signal: null, meaning: CODE_MEANING[code] ?? 'application-defined error code' };
}

/** "exit 137 (SIGKILL: ...)" */
export function exitText(t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>): string {
  return `exit ${t.exitCode} (${decodeExit(t).meaning})`;
}

/** Signals sent from outside the process: their exit says nothing about the app itself. */
export const isExternalKill = (t: Pick<ContainerStateTerminated, 'exitCode' | 'signal'>) => [9, 15].includes(decodeExit(t).signal ?? 0);

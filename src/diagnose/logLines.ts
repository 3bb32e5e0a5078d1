import { sanitizeLogLine } from '../security/sanitize';
import type { ContainerLogs } from './snapshot';

export const DEFAULT_LOG_LINES = 5;
/** A log line is evidence, not a dump: longer ones are cut. */
const MAX_LINE = 300;

/** The runbook's `grep -i "error\|exception\|fatal\|panic"`. */
export const ERROR_LINE = /error|exception|fatal|panic/i;

/**
 * What a process wrapper prints after the app died (`npm start`: `npm error code 1`, `npm
 * error command failed`; npm 6-9: `npm ERR!`; yarn 1: `error Command failed with exit code 1.`).
 * It only says the child failed and would push the app's own error out of the last N lines.
 * Such lines, and stack frames, are shown only when nothing else matched.
 */
const WRAPPER_TRAILER = /^\s*(?:npm (?:ERR!|error\b)|error Command failed with exit code \d+)/;
/** A stack frame (`    at Parser.parseErrorMessage (...)`) matches "error" by its function name, not its meaning. */
const STACK_FRAME = /^\s+at\s/;
const isNoise = (l: string) => WRAPPER_TRAILER.test(l) || STACK_FRAME.test(l);

export interface LogExcerpt { lines: string[]; from: 'previous' | 'current' | null }

export function cleanLine(line: string): string {
  const s = sanitizeLogLine(line);
  return s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s;
}

/** Every non-empty line of a log text, raw: callers match on them and clean what they keep. */
export function splitLines(text: string | null | undefined): string[] {
  return (text ?? '').split(/\r?\n/).filter((l) => l.trim() !== '');
}

/**
 * The last n error lines of the previous run's log (the run that crashed), else of the
 * current one, sanitized.
 */
export function errorLines(logs: ContainerLogs | null | undefined, n = DEFAULT_LOG_LINES): LogExcerpt {
  if (n <= 0) return { lines: [], from: null };
  for (const from of ['previous', 'current'] as const) {
    const hits = splitLines(logs?.[from].text).filter((l) => ERROR_LINE.test(l));
    const own = hits.filter((l) => !isNoise(l));
    if (hits.length) return { lines: (own.length ? own : hits).slice(-n).map(cleanLine), from };
  }
  return { lines: [], from: null };
}

/** Lines of both logs (previous first) that match re, sanitized, newest last. */
export function matchingLines(logs: ContainerLogs | null | undefined, re: RegExp): string[] {
  return [...splitLines(logs?.previous.text), ...splitLines(logs?.current.text)].filter((l) => re.test(l)).map(cleanLine);
}

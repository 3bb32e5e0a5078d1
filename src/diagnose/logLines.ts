import { sanitizeLogLine } from '../render/sanitize';
import type { ContainerLogs } from './snapshot';

export const DEFAULT_LOG_LINES = 5;
/** A log line is evidence, not a dump: longer ones are cut. */
const MAX_LINE = 300;

/** The runbook's `grep -i "error\|exception\|fatal\|panic"`. */
export const ERROR_LINE = /error|exception|fatal|panic/i;

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
    if (hits.length) return { lines: hits.slice(-n).map(cleanLine), from };
  }
  return { lines: [], from: null };
}

/** Lines of both logs (previous first) that match re, sanitized, newest last. */
export function matchingLines(logs: ContainerLogs | null | undefined, re: RegExp): string[] {
  return [...splitLines(logs?.previous.text), ...splitLines(logs?.current.text)].filter((l) => re.test(l)).map(cleanLine);
}

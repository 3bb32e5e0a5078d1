import { sanitizeLogLine } from '../security/sanitize';
import {
  FATAL, JSON_LEVEL_FIELDS, JSON_TEXT_FIELDS, jsonLevel, LEVEL, LEVEL_PREFIX, LOG_PATTERNS, LOW_LEVEL, NOISE, RUNTIME_MARKERS, STOPS,
  type LogClass, type LogPattern, type Runtime,
} from './logPatterns';
import type { ContainerLogs } from '../cluster/snapshot';

export const DEFAULT_LOG_LINES = 5;
/** A log line is evidence, not a dump: longer ones are cut. */
const MAX_LINE = 300;

/** One classified line. `line` is sanitized and cut; `text` is sanitized only, for further matching. */
export interface LogHit {
  line: string;
  text: string;
  class: LogClass;
  specificity: number;
  runtime: Runtime;
  meaning: string;
  /** A stack frame or wrapper trailer: shown only when no other line matched. */
  noise: boolean;
}

export type LogSource = 'previous' | 'current' | 'termination message';

/**
 * The error lines of one source (the crashed run's log first), the most specific of them
 * (`headline`), or, when no line looks like an error, the plain tail (`plain`).
 */
export interface LogExcerpt { lines: string[]; from: LogSource | null; headline: LogHit | null; plain: boolean }

export function cleanLine(line: string): string {
  return cut(sanitizeLogLine(line));
}

const cut = (s: string) => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE - 1)}…` : s);

/** Every non-empty line of a log text, raw: callers match on them and clean what they keep. */
export function splitLines(text: string | null | undefined): string[] {
  return (text ?? '').split(/\r?\n/).filter((l) => l.trim() !== '');
}

const best = (text: string, min = 0): LogPattern | undefined =>
  LOG_PATTERNS.reduce<LogPattern | undefined>((b, pat) => (pat.specificity > (b?.specificity ?? min - 1) && pat.re.test(text) ? pat : b), undefined);

const GENERIC: Record<'error' | 'fatal', Pick<LogPattern, 'class' | 'specificity' | 'meaning'>> = {
  error: { class: 'error', specificity: LEVEL, meaning: 'an error is logged' },
  fatal: { class: 'fatal', specificity: FATAL, meaning: 'the program says it stops' },
};

function field(o: Record<string, unknown>, path: string): unknown {
  if (path in o) return o[path];
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v && typeof v === 'object' ? [field(v as Record<string, unknown>, 'type'), field(v as Record<string, unknown>, 'message')].filter((x) => typeof x === 'string').join(': ') : '';

type Match = Pick<LogPattern, 'class' | 'specificity' | 'meaning' | 'runtime'>;
const toMatch = (p: LogPattern): Match => ({ class: p.class, specificity: p.specificity, meaning: p.meaning, runtime: p.runtime });

/** A structured (JSON) line is judged by its level field and the words of its message fields. */
function classifyJson(text: string): Match | null | undefined {
  if (!text.startsWith('{')) return undefined;
  let o: unknown;
  try { o = JSON.parse(text); } catch { return undefined; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  const key = JSON_LEVEL_FIELDS.find((k) => field(rec, k) !== undefined);
  if (!key) return undefined;
  const level = jsonLevel(field(rec, key));
  if (level === 'low' || level === null) return null;
  const words = JSON_TEXT_FIELDS.map((k) => asText(field(rec, k))).filter(Boolean).join(' ');
  const specific = best(words, STOPS);
  if (specific) return toMatch(specific);
  return level === 'warn' ? null : { ...GENERIC[level], runtime: 'any' };
}

/** The class of one line on its own, or null when it does not look like an error. */
export function classifyLine(raw: string): Match | null {
  const text = sanitizeLogLine(raw);
  const json = classifyJson(text.trim());
  if (json !== undefined) return json;
  const head = text.slice(0, LEVEL_PREFIX);
  if (LOW_LEVEL.some((l) => l.re.test(head))) return null;
  const pat = best(text);
  return pat ? toMatch(pat) : null;
}

/**
 * Every error line of one log text, in order. Multi-line shapes are followed: a Python
 * traceback's frames are noise and its last line is the exception; Spring Boot's
 * `APPLICATION FAILED TO START` block is headlined by the line after `Description:`.
 */
export function scanLog(text: string | null | undefined): LogHit[] {
  const hits: LogHit[] = [];
  let traceback = false;
  let spring: 'banner' | 'description' | null = null;
  for (const raw of splitLines(text)) {
    const clean = sanitizeLogLine(raw);
    if (/^Traceback \(most recent call last\):/.test(clean)) { traceback = true; continue; }
    if (traceback && /^\s/.test(clean)) continue;
    traceback = false;
    if (/APPLICATION FAILED TO START/.test(clean)) { spring = 'banner'; continue; }
    if (spring === 'banner' && /^Description:\s*$/.test(clean)) { spring = 'description'; continue; }
    const m = classifyLine(raw);
    if (spring === 'description') {
      spring = null;
      // Spring Boot's failure analysis says what failed in words of its own.
      const own = m && m.specificity >= STOPS ? m : { class: 'fatal' as const, specificity: STOPS, meaning: 'Spring Boot failed to start', runtime: 'jvm' as const };
      hits.push({ ...own, line: cut(clean), text: clean, noise: false });
      continue;
    }
    if (!m) continue;
    hits.push({ ...m, line: cut(clean), text: clean, noise: NOISE.some((n) => n.re.test(clean)) });
  }
  return hits;
}

/** The most specific hit; among equals the later one (the deepest cause, the traceback's last line). */
export function headline(hits: LogHit[]): LogHit | null {
  const own = hits.some((h) => !h.noise) ? hits.filter((h) => !h.noise) : hits;
  return own.reduce<LogHit | null>((b, h) => (!b || h.specificity >= b.specificity ? h : b), null);
}

/** The last n of the lines, with the headline kept among them. */
function lastWithHeadline(hits: LogHit[], head: LogHit | null, n: number): string[] {
  const tail = hits.slice(-n);
  if (!head || tail.includes(head)) return tail.map((h) => h.line);
  return [head, ...tail.slice(1)].map((h) => h.line);
}

/**
 * The error lines of the previous run's log (the run that crashed), else of the current
 * one, else of the termination message (terminationMessagePath, or FallbackToLogsOnError's
 * log tail); when no line anywhere looks like an error, the last n lines of the first of
 * them that has any text, marked `plain`.
 */
export function errorLines(logs: ContainerLogs | null | undefined, n = DEFAULT_LOG_LINES, terminationMessage?: string | null): LogExcerpt {
  if (n <= 0) return { lines: [], from: null, headline: null, plain: false };
  const sources: [LogSource, string | null | undefined][] = [['previous', logs?.previous.text], ['current', logs?.current.text], ['termination message', terminationMessage]];
  for (const [from, text] of sources) {
    const hits = scanLog(text);
    if (!hits.length) continue;
    const own = hits.filter((h) => !h.noise);
    const shown = own.length ? own : hits;
    const head = headline(hits);
    return { lines: lastWithHeadline(shown, head, n), from, headline: head, plain: false };
  }
  for (const [from, text] of sources) {
    const lines = splitLines(text);
    if (lines.length) return { lines: lines.slice(-n).map(cleanLine), from, headline: null, plain: true };
  }
  return { lines: [], from: null, headline: null, plain: false };
}

/**
 * One line for a termination message, which may be many (FallbackToLogsOnError copies up to
 * 80 log lines): its most specific error line, else its last line.
 */
export function messageLine(message: string): string {
  const ex = errorLines(null, 1, message);
  return ex.headline?.line ?? ex.lines.at(-1) ?? '';
}

/** How an excerpt names where its lines come from: `previous log`, `current log (no line looks like an error)`. */
export function excerptLabel(ex: Pick<LogExcerpt, 'from' | 'plain'>): string {
  const where = ex.from === 'previous' ? 'previous log' : ex.from === 'current' ? 'current log' : ex.from ?? 'log';
  return ex.plain ? `${where}, no line looks like an error` : where;
}

/** Lines of both logs (previous first) of the given classes, newest last; noise lines never. */
export function linesOfClass(logs: ContainerLogs | null | undefined, ...classes: LogClass[]): LogHit[] {
  return [...scanLog(logs?.previous.text), ...scanLog(logs?.current.text)].filter((h) => !h.noise && classes.includes(h.class));
}

/** The runtime whose own lines the logs show (the crashed run's first, its last such line), null when none does. */
export function logRuntime(logs: ContainerLogs | null | undefined): Runtime | null {
  for (const text of [logs?.previous.text, logs?.current.text]) {
    const lines = splitLines(text).map(sanitizeLogLine);
    const marked = lines.flatMap((l) => RUNTIME_MARKERS.filter((m) => m.re.test(l)).map((m) => m.runtime)).at(-1);
    if (marked) return marked;
    const own = headline(scanLog(text).filter((h) => h.runtime !== 'any'));
    if (own) return own.runtime;
  }
  return null;
}

/** `port-in-use: the port is already taken`; the generic classes say nothing more than their name. */
export const describeHit = (h: Pick<LogHit, 'class' | 'meaning'>): string => (['error', 'fatal', 'panic'].includes(h.class) ? h.class : `${h.class}: ${h.meaning}`);

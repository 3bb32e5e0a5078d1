import { usageError } from '../errors';
import { accept, quoted, refuse, type Checked } from './validate';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Node's timers hold at most 2^31-1 ms (24.8 days); a longer wait would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * A kubectl-style duration ("30s", "1m30s", "500ms", "2h") in milliseconds, the sum of its
 * parts. A bare integer means seconds, as kubectl's --request-timeout accepts; "0" means no limit.
 */
export function checkDuration(text: string, flag: string): Checked<number> {
  const s = text.trim();
  const bad = (why: string) => refuse(`invalid value ${quoted(text)} for ${flag}: ${why}`, 'use a number with a unit, for example 30s, 1m or 1h30m');
  if (s.startsWith('-')) return bad('must not be negative');
  let total = 0;
  if (/^\d+$/.test(s)) {
    total = Number(s) * 1000;
  } else {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let pos = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      total += Number(m[1]) * UNIT_MS[m[2]!]!;
      pos = re.lastIndex;
    }
    if (pos === 0 || pos !== s.length) return bad('not a duration');
  }
  if (!(total <= MAX_DURATION_MS)) return bad('too long (at most 596h)');
  return accept(Math.round(total));
}

export function parseDuration(text: string, flag: string): number {
  const c = checkDuration(text, flag);
  if (!c.ok) throw usageError(c.problem.message, c.problem.hint);
  return c.value;
}

/** kubectl's HumanDuration (apimachinery/pkg/util/duration), used for AGE columns. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** A probe's whole-seconds field (initialDelaySeconds, ...): "60", "60s" or "1m", at least `min`. */
export function checkSeconds(text: string, flag: string, min: number): Checked<number> {
  const c = checkDuration(text, flag);
  if (!c.ok) return c;
  if (c.value % 1000 !== 0) return refuse(`invalid value ${quoted(text)} for ${flag}: probes count whole seconds`, 'use 10, 10s or 1m');
  if (c.value / 1000 < min) return refuse(`invalid value ${quoted(text)} for ${flag}: must be at least ${min}s`);
  return accept(c.value / 1000);
}

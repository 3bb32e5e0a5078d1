/**
 * The one retry policy of the transport, after client-go's: pure, so it can be tested
 * without a server. Reads (GET, which covers list pages, log reads and watch opens) are
 * idempotent and retry on throttling (429), server errors (500/502/503/504) and connection
 * failures. A write is retried only on 429: API Priority and Fairness rejects it before it
 * is processed, so it cannot have landed. Any other failed write may have landed and is
 * never repeated blindly (the caller re-reads the object instead).
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Attempts per request, the first included. */
export const MAX_ATTEMPTS = 5;
/** Backoff before retry n (1-based) is BASE * 2^(n-1), capped at MAX_BACKOFF, then jittered. */
export const BASE_BACKOFF_MS = 250;
export const MAX_BACKOFF_MS = 4_000;
/** A server asking for more than this (Retry-After: 3600) still gets only this. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** Total time one request may spend waiting between attempts. */
export const REQUEST_WAIT_BUDGET_MS = 20_000;
/** Retries one command may make in all, so a storm cannot stretch a command without end. */
export const COMMAND_RETRY_BUDGET = 100;

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Connection failures worth another attempt: reset, refused, dropped (also mid-TLS) or cut
 * bodies. Not timeouts: --request-timeout is the user's bound for a request, and retrying
 * would multiply it.
 */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Failures that happen before a request leaves this machine: a write that failed so cannot
 * have landed. Everything else (reset, timeout, cut reply) leaves a write's outcome unknown.
 */
export function failedBeforeSending(code: string): boolean {
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || isTlsVerificationFailure(code);
}

/** Node's codes for a server certificate that does not verify. */
export const isTlsVerificationFailure = (code: string): boolean => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code);

export const isIdempotent = (m: Method): boolean => m === 'GET';

/** Retry-After (seconds or an HTTP-date) in ms, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const h = header.trim();
  let ms: number;
  if (/^\d+$/.test(h)) ms = Number(h) * 1000;
  else {
    // Every HTTP-date form names the month; without the check "-1" or "1.5" parse as dates.
    const at = /[a-z]/i.test(h) ? Date.parse(h) : NaN;
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Capped exponential backoff with "equal jitter": between half and all of the step, so
 * parallel requests that failed together do not come back together. `random` in [0, 1).
 */
export function backoffMs(retry: number, random: number): number {
  const step = Math.min(BASE_BACKOFF_MS * 2 ** Math.max(retry - 1, 0), MAX_BACKOFF_MS);
  return Math.round(step / 2 + (step / 2) * random);
}

export type Outcome = { status: number; retryAfter?: string } | { code: string };

export interface RetryState {
  /** Attempts made so far for this request (1 after the first). */
  attempts: number;
  /** ms already waited between this request's attempts. */
  waitedMs: number;
  /** Retries left for the whole command. */
  commandBudget: number;
}

/** How long to wait before the next attempt, or null to give up and report the outcome. */
export function nextDelay(method: Method, outcome: Outcome, s: RetryState, now: number, random: number): number | null {
  if (s.attempts >= MAX_ATTEMPTS || s.commandBudget <= 0) return null;
  let delay: number;
  if ('status' in outcome) {
    if (!RETRY_STATUS.has(outcome.status)) return null;
    if (!isIdempotent(method) && outcome.status !== 429) return null;
    delay = retryAfterMs(outcome.retryAfter, now) ?? backoffMs(s.attempts, random);
  } else {
    if (!isIdempotent(method) || !RETRY_CODES.has(outcome.code)) return null;
    delay = backoffMs(s.attempts, random);
  }
  return s.waitedMs + delay > REQUEST_WAIT_BUDGET_MS ? null : delay;
}

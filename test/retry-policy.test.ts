// The transport's retry policy (src/cluster/retryPolicy.ts), as properties.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BASE_BACKOFF_MS, MAX_ATTEMPTS, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, REQUEST_WAIT_BUDGET_MS,
  backoffMs, failedBeforeSending, nextDelay, retryAfterMs, type Method,
} from '../src/cluster/retryPolicy';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const fresh = { attempts: 1, waitedMs: 0, commandBudget: 100 };
const methods = fc.constantFrom<Method>('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

test('backoff: between half and all of a step that doubles from BASE and is capped at MAX', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), random, (retry, r) => {
    const step = Math.min(BASE_BACKOFF_MS * 2 ** (retry - 1), MAX_BACKOFF_MS);
    const d = backoffMs(retry, r);
    return d >= step / 2 && d <= step && d <= MAX_BACKOFF_MS;
  }));
  assert.is(backoffMs(1, 0), BASE_BACKOFF_MS / 2);
  assert.is(backoffMs(3, 0.999999), 4 * BASE_BACKOFF_MS);
});

test('backoff is jittered: different random draws give different waits', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), (retry) => backoffMs(retry, 0) < backoffMs(retry, 0.99)));
});

test('Retry-After: seconds or an HTTP-date, capped, never negative; junk is ignored', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 100_000 }), (s) => retryAfterMs(String(s), NOW) === Math.min(s * 1000, MAX_RETRY_AFTER_MS)));
  fc.assert(fc.property(fc.integer({ min: -3600, max: 3600 }), (s) => {
    const ms = retryAfterMs(new Date(NOW + s * 1000).toUTCString(), NOW)!;
    return ms === Math.min(Math.max(s * 1000, 0), MAX_RETRY_AFTER_MS);
  }));
  for (const junk of ['', 'soon', '-1', '1.5', 'NaN']) assert.is(retryAfterMs(junk, NOW), undefined, junk);
  assert.is(retryAfterMs(undefined, NOW), undefined);
});

test('a 429 is retried for every method, after exactly its Retry-After (capped)', () => {
  fc.assert(fc.property(methods, fc.integer({ min: 0, max: 60 }), random, (m, s, r) =>
    nextDelay(m, { status: 429, retryAfter: String(s) }, fresh, NOW, r) === Math.min(s * 1000, MAX_RETRY_AFTER_MS)));
});

test('5xx and connection failures are retried for reads only; writes never repeat them', () => {
  fc.assert(fc.property(fc.constantFrom(500, 502, 503, 504), fc.constantFrom('ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET'), random, (status, code, r) => {
    const read = nextDelay('GET', { status }, fresh, NOW, r);
    const readConn = nextDelay('GET', { code }, fresh, NOW, r);
    return read !== null && readConn !== null && read === backoffMs(1, r)
      && (['POST', 'PUT', 'PATCH', 'DELETE'] as Method[]).every((m) => nextDelay(m, { status }, fresh, NOW, r) === null && nextDelay(m, { code }, fresh, NOW, r) === null);
  }));
});

test('never retried: 4xx other than 429, timeouts, unknown errors', () => {
  fc.assert(fc.property(methods, fc.integer({ min: 200, max: 499 }).filter((s) => s !== 429), random, (m, status, r) => nextDelay(m, { status }, fresh, NOW, r) === null));
  for (const code of ['TIMEOUT', 'ABORTED', 'UNKNOWN', 'CERT_HAS_EXPIRED']) assert.is(nextDelay('GET', { code }, fresh, NOW, 0.5), null, code);
});

test('bounded: at most MAX_ATTEMPTS, within the request wait budget and the command budget', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(429, 503), fc.integer({ min: 0, max: 100 }), random), { minLength: 1, maxLength: 50 }), (answers) => {
    let s = { attempts: 1, waitedMs: 0, commandBudget: 100 };
    for (const [status, after, r] of answers) {
      const d = nextDelay('GET', { status, retryAfter: status === 429 ? String(after) : undefined }, s, NOW, r);
      if (d === null) break;
      s = { ...s, attempts: s.attempts + 1, waitedMs: s.waitedMs + d };
    }
    return s.attempts <= MAX_ATTEMPTS && s.waitedMs <= REQUEST_WAIT_BUDGET_MS;
  }));
  assert.is(nextDelay('GET', { status: 503 }, { ...fresh, commandBudget: 0 }, NOW, 0.5), null, 'command budget spent');
  assert.is(nextDelay('GET', { status: 503 }, { ...fresh, attempts: MAX_ATTEMPTS }, NOW, 0.5), null);
});

test('a refused or unverifiable connection never sent the request; a reset or timeout may have', () => {
  for (const c of ['ECONNREFUSED', 'ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']) assert.ok(failedBeforeSending(c), c);
  for (const c of ['ECONNRESET', 'TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE', 'UNKNOWN']) assert.not.ok(failedBeforeSending(c), c);
});

test.run();

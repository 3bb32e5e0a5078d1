// Property tests of the sanitiser (src/security/sanitize.ts), fast-check.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MASK, MAX_TEXT, bound, sanitizeData, sanitizeStyled, sanitizeText, terminalSafe } from '../src/security/sanitize';

const RUNS = { numRuns: 1000 };
/** Anything that may not be printed: C0 but tab, DEL, C1, bidi controls and marks, zero-width and invisible characters. */
const FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

const hostilePiece = fc.constantFrom(
  '\x1b]52;c;cHduZWQ=\x07', '\x1b[2J', '\x1b[31;1m', '\x1b]8;;http://x\x1b\\', '\x1bP1$r\x1b\\', '\x1b', '\x9b', '\x9b2J', '\x9d0;t\x9c',
  '\x00', '\x07', '\x08', '\r', '\n', '\x7f', '\x85', '\u202e', '\u202a', '\u2066', '\u2069', '\u200b', '\u200e', '\u061c', '\ufeff', '\u180e', '\u2060',
);
/** Text mixing printable characters of every plane with hostile pieces. */
const hostileText = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }), hostilePiece), { maxLength: 40 })
  .map((xs) => xs.join(''));

const alnum = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
const upnum = (n: number) => fc.stringMatching(new RegExp(`^[A-Z0-9]{${n}}$`));
/** A credential and the secret part of it that must disappear. */
const credential: fc.Arbitrary<{ text: string; secret: string }> = fc.oneof(
  fc.tuple(fc.constantFrom('postgres', 'mysql', 'https', 'redis', 'amqp'), alnum(1, 8), alnum(6, 20)).map(([s, u, p]) => ({ text: `${s}://${u}:${p}@db.example:5432/x`, secret: p })),
  fc.tuple(fc.constantFrom('password', 'DB_PASSWORD', 'api_key', 'token', 'client_secret', 'AccountKey', 'passwd'), fc.constantFrom('=', ': ', '="'), alnum(6, 24))
    .map(([k, sep, v]) => ({ text: `${k}${sep}${v}`, secret: v })),
  fc.tuple(fc.constantFrom('Bearer', 'Basic'), fc.stringMatching(/^[A-Za-z0-9._~+/-]{8,40}$/)).map(([k, v]) => ({ text: `${k} ${v}`, secret: v })),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), upnum(16)).map(([p, v]) => ({ text: p + v, secret: p + v })),
  fc.stringMatching(/^[0-9A-Za-z_-]{35}$/).map((v) => ({ text: `AIza${v}`, secret: `AIza${v}` })),
  fc.tuple(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.stringMatching(/^[A-Za-z0-9_-]{8,30}$/))
    .map(([a, b, c]) => ({ text: `eyJ${a}.${b}.${c}`, secret: `eyJ${a}.${b}.${c}` })),
  fc.stringMatching(/^[A-Za-z0-9+/]{20,60}$/).map((v) => ({ text: `-----BEGIN RSA PRIVATE KEY-----\n${v}\n-----END RSA PRIVATE KEY-----`, secret: v })),
  fc.tuple(alnum(1, 8), alnum(6, 16)).map(([u, p]) => ({ text: `${u}:${p}@tcp(db:3306)/shop`, secret: p })),
  alnum(10, 40).map((v) => ({ text: `https://shop.blob.core.windows.net/c?sv=2022&sig=${v}`, secret: v })),
  fc.stringMatching(/^[0-9A-Za-z_-]{20,60}$/).map((v) => ({ text: `ya29.${v}`, secret: v })),
  fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghs_'), alnum(36, 40)).map(([p, v]) => ({ text: p + v, secret: v })),
  fc.tuple(fc.constantFrom('xoxb-', 'xoxp-'), fc.stringMatching(/^[A-Za-z0-9-]{10,40}$/)).map(([p, v]) => ({ text: p + v, secret: v })),
  fc.tuple(fc.constantFrom('DB_PASSWORD', 'SECRET', 'AccessKey', 'Password'), alnum(6, 24)).map(([k, v]) => ({ text: `"${k}": "${v}"`, secret: v })),
);
/** Plain words and punctuation, the kind of text a kubelet message is made of, without any credential trigger. */
const plainText = fc.array(fc.oneof(fc.stringMatching(/^[a-z]{1,10}$/), fc.constantFrom(' ', ', ', ': ', '. ', '(', ')', '"', '-', '/', '1', '42', '\t')), { maxLength: 60 })
  .map((xs) => xs.join(''))
  .filter((s) => !/pass|pwd|secret|token|key|dsn|sig=|bearer|basic|eyj|akia|asia|aiza|ya29|gh[pousr]_|xox|begin|:\/\/|@/i.test(s));

test('idempotent: sanitizing clean text changes nothing', () => {
  fc.assert(fc.property(hostileText, fc.integer({ min: 1, max: 200 }), (s, max) => {
    const once = sanitizeText(s, max);
    assert.is(sanitizeText(once, max), once);
  }), RUNS);
  fc.assert(fc.property(fc.array(fc.oneof(hostileText, credential.map((c) => c.text)), { maxLength: 6 }), fc.integer({ min: 8, max: 120 }), (xs, max) => {
    const once = sanitizeText(xs.join(' '), max);
    assert.is(sanitizeText(once, max), once);
  }), RUNS);
});

test('never a control, bidi or zero-width character, in text, styled text and data', () => {
  fc.assert(fc.property(hostileText, (s) => {
    assert.not.match(sanitizeText(s), FORBIDDEN);
    assert.not.match(sanitizeStyled(s), FORBIDDEN);
    assert.not.match(terminalSafe(s, false).replace(/\n/g, ''), FORBIDDEN);
    const data = JSON.stringify(sanitizeData({ [s]: [s, { k: s }] }));
    assert.not.match(JSON.parse(data) && data.replace(/\\n/g, ''), FORBIDDEN);
    assert.not.match(data, /\\u00[01][0-9a-f]|\\u007f|\\[bfnr]/i);
  }), RUNS);
});

test('never longer than the bound, and cut only with an ellipsis', () => {
  fc.assert(fc.property(hostileText, fc.integer({ min: 1, max: 300 }), (s, max) => {
    const r = sanitizeText(s, max);
    assert.ok(r.length <= max, `${r.length} > ${max}`);
  }), RUNS);
  fc.assert(fc.property(fc.string({ minLength: MAX_TEXT + 1, maxLength: MAX_TEXT * 2 }), (s) => {
    const r = sanitizeText(s);
    assert.ok(r.length <= MAX_TEXT);
  }), { numRuns: 50 });
  fc.assert(fc.property(fc.stringMatching(/^[a-z ]{50,200}$/), fc.integer({ min: 2, max: 49 }), (s, max) => {
    const r = bound(s, max);
    assert.is(r.length, max);
    assert.ok(r.endsWith('…'));
    assert.ok(s.startsWith(r.slice(0, -1)));
  }), RUNS);
});

test('any generated credential embedded in random text is masked', () => {
  fc.assert(fc.property(plainText, credential, plainText, (before, c, after) => {
    const r = sanitizeText(`${before} ${c.text} ${after}`, Infinity);
    assert.not.ok(r.includes(c.secret), `${JSON.stringify(c)} in ${JSON.stringify(r)}`);
    assert.ok(r.includes(MASK), r);
  }), RUNS);
  // Next to hostile text a control sequence may swallow the mask itself (\x9b eats " *** ."
  // as its intermediates): the secret must still be gone.
  fc.assert(fc.property(hostileText, credential, hostileText, (before, c, after) => {
    const r = sanitizeText(`${before} ${c.text} ${after}`, Infinity);
    assert.not.ok(r.includes(c.secret), `${JSON.stringify(c)} in ${JSON.stringify(r)}`);
  }), RUNS);
  // In data too, keys included.
  fc.assert(fc.property(credential, (c) => {
    assert.not.ok(JSON.stringify(sanitizeData({ [c.text]: [c.text] })).includes(c.secret));
  }), RUNS);
});

test('plain ASCII text without a credential is left unchanged', () => {
  fc.assert(fc.property(plainText, (s) => {
    assert.is(sanitizeText(s), s);
    assert.is(sanitizeStyled(s), s);
    assert.is(terminalSafe(s, true), s);
  }), RUNS);
});

test('the plugin\'s own styles survive; every other escape goes, with colour or without', () => {
  const styles = ['\x1b[1m', '\x1b[22m', '\x1b[31m', '\x1b[39m', '\x1b[2m', '\x1b[32m', '\x1b[33m'];
  fc.assert(fc.property(plainText, fc.constantFrom(...styles), hostilePiece.filter((h) => h.includes('\x1b') || h.includes('\x9b')), (s, style, evil) => {
    const styled = `${style}${s}\x1b[39m`;
    assert.is(sanitizeStyled(styled), styled);
    assert.is(terminalSafe(styled, true), styled);
    assert.is(terminalSafe(`${styled}${evil}`, true), styled + terminalSafe(evil, true));
    assert.not.match(terminalSafe(`${styled}${evil}`, true).split(/\x1b\[(?:1|2|22|31|32|33|39)m/).join(''), /[\x1b\x9b]/);
    assert.not.match(terminalSafe(`${styled}${evil}`, false), /[\x1b\x9b]/);
  }), RUNS);
});

test.run();

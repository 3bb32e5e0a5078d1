/**
 * Every string that came from the cluster (names, labels, annotations such as
 * kubernetes.io/change-cause, waiting and event messages, log lines, error bodies) is
 * written by whoever can edit an object or make the app print. Before it reaches a
 * terminal, a JSON/YAML report, an error line or a saved snapshot it loses what could drive
 * the terminal or hide text (control sequences, C0/C1, bidi and zero-width characters),
 * what looks like a credential, and, for output, its excess length.
 *
 * This module sits below every other layer and imports nothing from the project, so any
 * layer may use it.
 */

export const MASK = '***';
/** The longest string printed; a longer one is cut and ends in an ellipsis. */
export const MAX_TEXT = 1000;
const ELLIPSIS = '…';

// ESC-introduced sequences: CSI, OSC (BEL- or ST-terminated, or cut off at the end),
// DCS/SOS/PM/APC strings, then any other two-byte escape; the 8-bit CSI/OSC/DCS forms;
// finally every remaining C0/C1 control except tab (and newline when it is kept).
const SEQUENCES = [
  '\\x1b\\[[0-?]*[ -/]*[@-~]',
  '\\x1b\\][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c|$)',
  '\\x1b[PX^_][^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c|$)',
  '\\x1b[ -~]?',
  '\\x9b[0-?]*[ -/]*[@-~]',
  '\\x9d[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c|$)',
  '[\\x90\\x98\\x9e\\x9f][^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c|$)',
];
const CONTROL = new RegExp([...SEQUENCES, '[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]'].join('|'), 'g');
const CONTROL_KEEP_NEWLINE = new RegExp([...SEQUENCES, '[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]'].join('|'), 'g');

// Bidi embeddings/overrides/isolates and marks (they reorder what the reader sees: U+202E
// makes "exe.txt" of "txt.exe"), zero-width and invisible characters, line/paragraph
// separators some terminals treat as newlines.
const INVISIBLE = /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * The plugin's own styles (render/color.ts), the only escape sequences it ever writes to
 * a colour terminal: bold, dim, red, green, yellow and their resets.
 */
export const OWN_STYLE = /\x1b\[(?:1|2|22|31|32|33|39)m/g;

// The value of a secret-named key ends at whitespace, a quote, a separator, an escape or
// the ellipsis of a cut string; a value that is already the mask is left as it is.
const VALUE = `(?!\\*\\*\\*(?:[\\s"'&,;\\x1b${ELLIPSIS}]|$))[^\\s"'&,;\\x1b${ELLIPSIS}]+`;
const SECRET_KEY = 'password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|account[_-]?key|shared[_-]?access[_-]?key|private[_-]?key|dsn';

const CREDENTIALS: [RegExp, string][] = [
  // PEM private key blocks, whole, or up to the end when the END line was cut off.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, MASK],
  // scheme://user:password@host keeps user and host: they say which database was meant.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)(?!\*\*\*@)[^\s@/]+@/gi, `$1${MASK}@`],
  // Go/MySQL DSNs: user:password@tcp(host:3306)/db.
  [/\b([\w.-]+:)(?!\*\*\*@)[^\s@/:]+@(tcp|unix)\(/g, `$1${MASK}@$2(`],
  // Authorization: Bearer xyz, or a bare "Bearer xyz".
  [/\b(Bearer|Basic)\s+(?!\*\*\*(?:\s|$))[A-Za-z0-9._~+/=-]{4,}/g, `$1 ${MASK}`],
  // key=value / key: value / "key": "value" for keys that name a secret (DB_PASSWORD, auth_token).
  // The colon must touch the key, so `volume "secret-vol" : secret "x" not found` survives.
  [new RegExp(`\\b([\\w.-]*?(?:${SECRET_KEY})[\\w.-]*["']?(?:\\s*=\\s*|:\\s*)["']?)(?!Bearer\\b|Basic\\b)${VALUE}`, 'gi'), `$1${MASK}`],
  // Azure SAS signatures (?sv=...&sig=...).
  [new RegExp(`([?&]sig=)${VALUE}`, 'g'), `$1${MASK}`],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, MASK],
  // AWS access key ids, GCP API keys and OAuth tokens, GitHub and Slack tokens.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, MASK],
  [/\bAIza[0-9A-Za-z_-]{35}/g, MASK],
  [/\bya29\.[0-9A-Za-z_-]{20,}/g, MASK],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}/g, MASK],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, MASK],
];

// Every rule above needs one of these literals, and every control or invisible character
// is outside printable ASCII: a string with neither is already clean (the common case:
// names, ages, kubelet messages), and is returned without running the rules.
const LITERALS = ':\\/\\/|@|bearer|basic|pass|pwd|secret|token|key|dsn|sig=|eyJ|AKIA|ASIA|AIza|ya29|gh[pousr]_|xox[abprs]-|-----BEGIN';
const NEEDS_WORK = new RegExp(`[^\\x20-\\x7e\\t]|${LITERALS}`, 'i');
const NEEDS_WORK_LINES = new RegExp(`[^\\x20-\\x7e\\t\\n]|${LITERALS}`, 'i');

export function stripControls(s: string, keepNewlines = false): string {
  return s.replace(keepNewlines ? CONTROL_KEEP_NEWLINE : CONTROL, '').replace(INVISIBLE, '');
}

export function maskCredentials(s: string): string {
  return CREDENTIALS.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

/** At most max UTF-16 units, the last an ellipsis when cut; never splits a surrogate pair. */
export function bound(s: string, max = MAX_TEXT): string {
  if (s.length <= max) return s;
  let end = max - 1;
  if (end > 0 && /[\ud800-\udbff]/.test(s[end - 1]!)) end--;
  return s.slice(0, end) + ELLIPSIS;
}

// Masked before and after the controls go: a control can hide a credential (pass\x00word=)
// or, as a sequence, swallow the first character of one (\x9b eats the "A" of A:pw@tcp().
const clean = (s: string, keepNewlines: boolean) => maskCredentials(stripControls(maskCredentials(s), keepNewlines));
const once = (s: string, max: number) => bound(clean(s.replace(/\r?\n/g, ' '), false), max);

/**
 * One line of cluster text, safe to print. Idempotent: cutting can leave the head of a
 * token that now reads as a credential (an AWS key id cut to its 16 characters), so the
 * steps are repeated until nothing changes (two rounds in practice).
 */
export function sanitizeText(s: string, max = MAX_TEXT): string {
  if (s.length <= max && !NEEDS_WORK.test(s)) return s;
  let r = once(s, max);
  for (let i = 0; i < 4; i++) {
    const next = once(r, max);
    if (next === r) break;
    r = next;
  }
  return r;
}

/** An error report (message, hint, a stack with --debug): every line cleaned and bounded, the line breaks kept. */
export function sanitizeErrorText(s: string): string {
  return s.split('\n').map((l) => sanitizeText(l)).join('\n');
}

/** One line of workload text for the diagnosis rules: cleaned, unbounded (they cut what they quote). */
export function sanitizeLogLine(s: string): string {
  return sanitizeText(s, Infinity).trimEnd();
}

/** Text of several lines (a log, a snapshot's strings): each line cleaned, the newlines kept. */
export function sanitizeLines(s: string): string {
  return NEEDS_WORK_LINES.test(s) ? clean(s, true) : s;
}

/**
 * Text that may already carry the plugin's own styles (a table cell, a coloured word): the
 * styles are kept and everything between them is cleaned; the visible length is bounded.
 */
export function sanitizeStyled(s: string, max = MAX_TEXT): string {
  const styles = s.match(OWN_STYLE) ?? [];
  const parts = s.split(OWN_STYLE).map((p) => sanitizeText(p, Infinity));
  if (parts.reduce((n, p) => n + p.length, 0) > max) return sanitizeText(parts.join(''), max);
  return parts.reduce((acc, p, i) => acc + p + (styles[i] ?? ''), '');
}

/**
 * The last filter before bytes reach stdout/stderr (io.ts): whatever path built the text,
 * no control sequence but the plugin's own styles (and none at all without colour), no
 * bidi or invisible character gets through. Newlines and tabs are layout, kept.
 */
export function terminalSafe(s: string, colors: boolean): string {
  if (!colors) return stripControls(s, true);
  const styles = s.match(OWN_STYLE) ?? [];
  return s.split(OWN_STYLE).reduce((acc, p, i) => acc + stripControls(p, true) + (styles[i] ?? ''), '');
}

/** JSON/YAML data: every string cleaned and bounded, keys included; the shape is kept. */
export function sanitizeData<T>(v: T): T {
  return cleanValue(v) as T;
}

function cleanValue(v: unknown): unknown {
  if (typeof v === 'string') return sanitizeText(v);
  if (Array.isArray(v)) return v.map(cleanValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [sanitizeText(k), cleanValue(x)]));
  }
  return v;
}

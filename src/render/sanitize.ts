/**
 * Log lines and event messages come from the workload, i.e. from anyone who can make the
 * app print. Before they reach a terminal or a JSON report they lose what could drive the
 * terminal (escape sequences) and what looks like a credential.
 */

const MASK = '***';

// ESC-introduced sequences: CSI, OSC (BEL- or ST-terminated, or cut off at the end of the
// line), DCS/SOS/PM/APC strings, then any other two-byte escape; the 8-bit CSI/OSC forms;
// finally every remaining C0/C1 control except tab.
const CONTROL = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]',
    '\\x1b\\][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '\\x1b[PX^_][^\\x1b\\x9c]*(?:\\x1b\\\\|\\x9c|$)',
    '\\x1b[ -~]?',
    '\\x9b[0-?]*[ -/]*[@-~]',
    '\\x9d[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c|$)',
    '[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]',
  ].join('|'),
  'g',
);

const CREDENTIALS: [RegExp, string][] = [
  // scheme://user:password@host keeps user and host: they say which database was meant.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:)[^\s@/]+@/gi, `$1${MASK}@`],
  // Authorization: Bearer xyz, or a bare "Bearer xyz".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{4,}/g, `$1 ${MASK}`],
  // key=value / key: value / "key": "value" for keys that name a secret (DB_PASSWORD, auth_token).
  // The colon must touch the key, so `volume "secret-vol" : secret "x" not found` survives.
  [/\b([\w.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key)[\w.-]*["']?(?:\s*=\s*|:\s*)["']?)(?!Bearer\b|Basic\b)[^\s"'&,;]+/gi, `$1${MASK}`],
  // JSON Web Tokens.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g, MASK],
  // AWS access key ids.
  [/\bAKIA[0-9A-Z]{16}\b/g, MASK],
];

export function stripControls(s: string): string {
  return s.replace(CONTROL, '');
}

export function maskCredentials(s: string): string {
  return CREDENTIALS.reduce((acc, [re, to]) => acc.replace(re, to), s);
}

/** One line of workload text, safe to print and to store. Idempotent. */
export function sanitizeLogLine(s: string): string {
  return maskCredentials(stripControls(s)).trimEnd();
}

/**
 * A `why --save` snapshot is a file that outlives the incident: it is attached to tickets
 * and shared. It keeps what the diagnosis needs (names, hosts, ports, messages) and loses
 * every value that looks secret: env values whose name or content says so, credentials in
 * args, commands, annotations and log lines, the same inside JSON held in a string (the
 * last-applied-configuration annotation repeats the whole spec).
 */
import { MASK, maskCredentials, sanitizeLines } from './sanitize';

/** Env var names that hold secrets: DB_PASSWORD, API_TOKEN, AWS_SECRET_ACCESS_KEY, SENTRY_DSN, DATABASE_URL... */
const SECRET_NAME = /pass(?:word|wd)?|pwd|secret|token|(?:^|_)(?:api_?)?key(?:$|_)|apikey|private|credential|auth|dsn|(?:database|db|mongo(?:db)?|redis|amqp|broker)_?ur[il]|conn(?:ection)?_?str(?:ing)?|signature|cookie|session/i;
/** A flag whose next argument is its value: --password x, --api-token x. */
const SECRET_FLAG = /^--?[\w.-]*(?:pass(?:word|wd)?|secret|token|key|credential|dsn)[\w.-]*$/i;

export const looksSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** An env value under a secret name: a URL keeps its scheme, user and host, anything else is masked whole. */
function maskEnvValue(name: string, value: string): string {
  const masked = maskCredentials(value);
  if (masked !== value) return masked;
  if (!looksSecretName(name)) return value;
  return /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+(?::\d+)?(?:\/|$)/i.test(value) ? value : MASK;
}

function redactArgs(args: unknown[]): unknown[] {
  return args.map((a, i) => {
    if (typeof a !== 'string') return redactValue(a);
    const prev = args[i - 1];
    return typeof prev === 'string' && SECRET_FLAG.test(prev) && !a.startsWith('-') ? MASK : redactString(a);
  });
}

function redactEnv(env: unknown[]): unknown[] {
  return env.map((e) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return redactValue(e);
    const entry = redactValue(e) as Record<string, unknown>;
    const { name, value } = e as Record<string, unknown>;
    return typeof name === 'string' && typeof value === 'string' ? { ...entry, value: sanitizeLines(maskEnvValue(name, value)) } : entry;
  });
}

function redactString(s: string): string {
  const t = s.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(s)));
    } catch {
      // not JSON after all: cleaned as text below
    }
  }
  return sanitizeLines(s);
}

function redactValue(v: unknown): unknown {
  if (typeof v === 'string') return redactString(v);
  if (Array.isArray(v)) return v.map(redactValue);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => {
    if (Array.isArray(x) && k === 'env') return [k, redactEnv(x)];
    if (Array.isArray(x) && (k === 'args' || k === 'command')) return [k, redactArgs(x)];
    return [k, redactValue(x)];
  }));
}

/** The same data with every secret-looking value masked and every string cleaned; the shape is kept. */
export function redactSecrets<T>(data: T): T {
  return redactValue(data) as T;
}

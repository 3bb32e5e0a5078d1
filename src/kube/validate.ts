import { usageErrors, type Problem } from '../errors';

/** A checked input: its value, or the one problem that refuses it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
export const refuse = (message: string, hint?: string): Checked<never> => ({ ok: false, problem: { message, hint } });

/**
 * Collects the problems of every flag of one run, so all of them are reported at once
 * (each on its own `error:` line) and before any request is sent.
 */
export class Checks {
  private readonly problems: Problem[] = [];

  take<T>(c: Checked<T>): T | undefined {
    if (c.ok) return c.value;
    this.problems.push(c.problem);
    return undefined;
  }

  /** Checks `text` only when the flag was given. */
  optional<T>(text: string | undefined, check: (t: string) => Checked<T>): T | undefined {
    return text === undefined ? undefined : this.take(check(text));
  }

  /** Throws the usage error listing every problem; the values taken are then all valid. */
  done(): void {
    const e = usageErrors(this.problems);
    if (e) throw e;
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDns1123Label = (s: string): boolean => s.length <= 63 && DNS1123_LABEL.test(s);
export const isDns1123Subdomain = (s: string): boolean => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);

/** Shown in messages: the value quoted, cut short and without control characters. */
export function quoted(text: string): string {
  // Control and format characters (bidi overrides, zero-width) would rewrite the terminal line.
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}...` : clean);
}

/**
 * An object name as the API server validates it: pods and Deployments are DNS-1123
 * subdomains (253), containers and namespaces DNS-1123 labels (63).
 */
export function checkName(text: string, what: string, rule: 'subdomain' | 'label'): Checked<string> {
  const max = rule === 'label' ? 63 : 253;
  if (text === '') return refuse(`${what} name must not be empty`);
  if (text.length > max) return refuse(`invalid ${what} name ${quoted(text)}: longer than ${max} characters`);
  if (!(rule === 'label' ? isDns1123Label : isDns1123Subdomain)(text)) {
    const lower = text.toLowerCase();
    const hint = lower !== text && (rule === 'label' ? isDns1123Label : isDns1123Subdomain)(lower) ? `did you mean ${lower}?`
      : `a ${what} name is lower-case letters, digits and '-'${rule === 'subdomain' ? " or '.'" : ''}, starting and ending with a letter or digit`;
    return refuse(`invalid ${what} name ${quoted(text)}`, hint);
  }
  return accept(text);
}

const INT32_MAX = 2 ** 31 - 1;

/** A whole number flag (yargs' `type: number` would turn "three" into NaN). */
export function checkInteger(text: string, flag: string, range: { min: number; max?: number }): Checked<number> {
  const max = range.max ?? INT32_MAX;
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) return refuse(`invalid value ${quoted(text)} for ${flag}: not a whole number`, `use a whole number from ${range.min} to ${max}`);
  const n = Number(s);
  if (n < range.min) return refuse(`invalid value ${quoted(text)} for ${flag}: must be at least ${range.min}`);
  if (n > max) return refuse(`invalid value ${quoted(text)} for ${flag}: must be at most ${max}`);
  return accept(n);
}

/** An image tag as the OCI distribution spec defines it. */
export function checkTag(text: string, flag: string): Checked<string> {
  return /^[\w][\w.-]{0,127}$/.test(text) ? accept(text)
    : refuse(`invalid image tag ${quoted(text)} for ${flag}`, 'a tag is up to 128 letters, digits, _, . and -, not starting with . or -');
}

/** An image reference or tag: no spaces, nothing empty; the registry judges the rest. */
export function checkImage(text: string, flag: string): Checked<string> {
  return /^[\w][\w.:/@+-]*$/.test(text) && text.length <= 4096 ? accept(text)
    : refuse(`invalid image ${quoted(text)} for ${flag}`, 'use IMAGE:TAG, IMAGE@sha256:DIGEST or a TAG alone');
}

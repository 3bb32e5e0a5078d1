import type { LabelSelector, Labels } from './types';
import { accept, isDns1123Subdomain, quoted, refuse, type Checked } from './validate';

/** The pods `status` and `why` look at unless told otherwise (CONTRACT.md). */
const DEFAULT_APPS = ['dhakacart-backend', 'dhakacart-frontend'] as const;
export const DEFAULT_POD_SELECTOR = `app in (${DEFAULT_APPS.join(',')})`;
export const DEFAULT_DEPLOYMENT = 'dhakacart-backend';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why the API server would refuse this label key (apimachinery's IsQualifiedName), or null. */
function labelKeyProblem(key: string): string | null {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [null, key];
  if (prefix !== null && !isDns1123Subdomain(prefix)) return `the prefix of label key ${quoted(key)} must be a DNS subdomain (lower case, at most 253 characters)`;
  if (name.length > 63 || !LABEL_NAME.test(name)) return `invalid label key ${quoted(key)}: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  return null;
}

/** Why the API server would refuse this label value, or null. */
function labelValueProblem(value: string): string | null {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value)) ? null
    : `invalid label value ${quoted(value)}: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
}

/**
 * Parses a label selector string with the grammar kubectl accepts (=, ==, !=, in, notin,
 * key, !key) and refuses what the API server would refuse (bad keys or values, an empty
 * set), saying why.
 */
export function checkSelector(text: string, flag = '--selector'): Checked<Requirement[]> {
  const out: Requirement[] = [];
  const bad = (why: string) => refuse(`invalid label selector ${quoted(text)} for ${flag}: ${why}`, 'use key=value, key!=value, key in (a,b), key or !key, joined by commas');
  const parts = splitTopLevel(text.trim());
  if (parts === null) return bad('unbalanced parentheses');
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpMatchArray | null;
    let req: Requirement;
    if ((m = p.match(/^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      if (values.length === 0) return bad(`for '${m[2]}', the set of values can't be empty`);
      req = { key: m[1]!, op: m[2] as 'in' | 'notin', values };
    } else if ((m = p.match(/^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/))) {
      req = { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] };
    } else if ((m = p.match(/^!\s*([^\s!=(),]+)$/))) {
      req = { key: m[1]!, op: '!exists' };
    } else if ((m = p.match(/^([^\s!=(),]+)$/))) {
      req = { key: m[1]!, op: 'exists' };
    } else {
      return bad(`cannot parse ${quoted(p)}`);
    }
    const problem = labelKeyProblem(req.key) ?? ('values' in req ? req.values.map(labelValueProblem).find((x) => x) : null);
    if (problem) return bad(problem);
    out.push(req);
  }
  return accept(out);
}

/** checkSelector for callers that only need to know whether it parses. */
export function parseSelector(text: string): Requirement[] | null {
  const c = checkSelector(text);
  return c.ok ? c.value : null;
}

/** Requirements back as selector text; parsing it gives the same requirements. */
export function formatRequirements(reqs: Requirement[]): string {
  return reqs.map((r) => {
    switch (r.op) {
      case 'in': return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
      case 'notin': return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
      case 'exists': return r.key;
      case '!exists': return `!${r.key}`;
    }
  }).join(',');
}

function splitTopLevel(s: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return null;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (depth !== 0) return null;
  parts.push(cur);
  return parts;
}

export function matchesRequirements(reqs: Requirement[], labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'in': return has && r.values.includes(l[r.key]!);
      case 'notin': return !has || !r.values.includes(l[r.key]!);
      case 'exists': return has;
      case '!exists': return !has;
    }
  });
}

/** A Deployment's spec.selector as the string the API's labelSelector parameter takes. */
export function selectorToString(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** A Service's (or matchLabels') selector: every key present with its value. */
export function matchesLabels(sel: Record<string, string>, labels: Labels | undefined): boolean {
  return Object.entries(sel).every(([k, v]) => labels?.[k] === v);
}

export function selectorMatches(sel: LabelSelector, labels: Labels | undefined): boolean {
  return matchesRequirements(parseSelector(selectorToString(sel)) ?? [], labels);
}

import type { LabelSelector, Labels } from './types';

/** The pods `status` and `why` look at unless told otherwise (CONTRACT.md). */
export const DEFAULT_APPS = ['dhakacart-backend', 'dhakacart-frontend'] as const;
export const DEFAULT_POD_SELECTOR = `app in (${DEFAULT_APPS.join(',')})`;
export const DEFAULT_DEPLOYMENT = 'dhakacart-backend';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/**
 * Parses a label selector string with the grammar kubectl accepts (=, ==, !=, in, notin,
 * key, !key). Returns null when the text is not a selector, so callers can report it as
 * a usage error with the flag's name.
 */
export function parseSelector(text: string): Requirement[] | null {
  const out: Requirement[] = [];
  const parts = splitTopLevel(text.trim());
  if (parts === null) return null;
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      out.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      out.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
    } else if ((m = p.match(/^!\s*([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: '!exists' });
    } else if ((m = p.match(/^([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: 'exists' });
    } else {
      return null;
    }
  }
  return out;
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

export function selectorMatches(sel: LabelSelector, labels: Labels | undefined): boolean {
  return matchesRequirements(parseSelector(selectorToString(sel)) ?? [], labels);
}

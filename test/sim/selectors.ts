// Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors with the
// fields the real API server supports per resource; errors are 400 Status like a real one.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { badRequest } from './errors';
import type { KObj } from './store';

type LabelReq =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VAL_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Split on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

function checkKey(k: string, sel: string) {
  if (!KEY_RE.test(k)) throw badRequest(`unable to parse requirement: <nil>: Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')` + (sel ? '' : ''));
}
function checkVal(v: string) {
  if (!VAL_RE.test(v) || v.length > 63) throw badRequest(`unable to parse requirement: values[0][]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
}

export function parseLabelSelector(sel: string | undefined): LabelSelector {
  if (!sel || !sel.trim()) return () => true;
  const reqs: LabelReq[] = [];
  for (const part of splitTop(sel)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]!, sel);
      const values = m[3]!.split(',').map((v) => v.trim());
      values.forEach(checkVal);
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values });
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/))) {
      checkKey(m[1]!, sel);
      checkVal(m[3]!.trim());
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.trim() });
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      checkKey(m[1]!, sel);
      reqs.push({ key: m[1]!, op: 'notexists' });
    } else if (/^\S+$/.test(part)) {
      checkKey(part, sel);
      reqs.push({ key: part, op: 'exists' });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'eq': return has && l[r.key] === r.value;
        case 'neq': return !has || l[r.key] !== r.value;
        case 'in': return has && r.values.includes(l[r.key]!);
        case 'notin': return !has || !r.values.includes(l[r.key]!);
        case 'exists': return has;
        case 'notexists': return !has;
      }
    });
  };
}

/** matchLabels + matchExpressions → selector string. */
export function selectorString(s: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): string {
  const parts = Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s?.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

const get = (o: any, path: string): string => {
  let v = o;
  for (const p of path.split('.')) v = v?.[p];
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
};

const COMMON: Record<string, (o: KObj) => string> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};
const pathFields = (...paths: string[]) => Object.fromEntries(paths.map((p) => [p, (o: KObj) => get(o, p)]));

/** Field selectors each resource supports (storage key → field → getter). */
const FIELDS: Record<string, Record<string, (o: KObj) => string>> = {
  pods: {
    ...pathFields('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'),
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.podIPs': (o) => (o.status?.podIPs ?? []).map((x: any) => x.ip).join(','),
  },
  events: {
    ...pathFields('involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
      'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'type'),
    source: (o) => o.source?.component ?? '',
    'reportingComponent': (o) => o.reportingComponent ?? '',
  },
  secrets: pathFields('type'),
  nodes: { 'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false) },
  namespaces: pathFields('status.phase'),
  'replicasets.apps': { 'status.replicas': (o) => String(o.status?.replicas ?? 0) },
};

export type FieldSelector = (o: KObj) => boolean;

export function parseFieldSelector(key: string, sel: string | undefined): FieldSelector {
  if (!sel || !sel.trim()) return () => true;
  const fields = { ...COMMON, ...(FIELDS[key] ?? {}) };
  const reqs: { get: (o: KObj) => string; neq: boolean; value: string }[] = [];
  for (const part of sel.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${part}'`);
    const g = fields[m[1]!];
    if (!g) throw badRequest(`field label not supported: ${m[1]}`);
    reqs.push({ get: g, neq: m[2] === '!=', value: m[3]!.replace(/\\(.)/g, '$1') });
  }
  return (o) => reqs.every((r) => (r.get(o) === r.value) !== r.neq);
}

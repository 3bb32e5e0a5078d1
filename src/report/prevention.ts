import { LEVELS, type CheckResult as CheckLine } from '../check/types';
import type { Cause, Diagnosis } from '../diagnose/diagnosis';

/** The runbook's Prevention Checklist, each item with the id a check result can be filed under. */
export const CHECKLIST = [
  { id: 'resources', item: 'Resource requests and limits properly set' },
  { id: 'health-checks', item: 'Health check endpoints implemented and tested' },
  { id: 'startup-probes', item: 'Startup probes configured for slow-starting apps' },
  { id: 'immutable-tags', item: 'Image tags are immutable (not using :latest)' },
  { id: 'config-validated', item: 'Configuration validated before deployment' },
  { id: 'rollback-tested', item: 'Rollback procedures tested' },
  { id: 'alerts', item: 'Monitoring alerts configured' },
] as const;
export type ChecklistId = (typeof CHECKLIST)[number]['id'];

/** Which checklist item a cause shows to have been missed. */
const MISSED_BY: Partial<Record<Cause, ChecklistId[]>> = {
  oom: ['resources'], evicted: ['resources'], unschedulable: ['resources'],
  probe: ['health-checks', 'startup-probes'], crash: ['health-checks'],
  image: ['immutable-tags'], config: ['config-validated'], db: ['config-validated'], dependency: ['config-validated'],
};

/** One result of `check` as its JSON has it (CONTRACT.md), filed under a checklist item. */
export interface CheckResult extends CheckLine { item: ChecklistId }

/**
 * The checklist item each of check's rules verifies. Replicas and disruption budgets are
 * check's own additions, not items of the runbook's list: not filed.
 */
const ITEM_OF: Record<string, ChecklistId> = {
  resources: 'resources', probes: 'health-checks', 'probe-port': 'health-checks', 'probes-distinct': 'health-checks',
  'startup-probe': 'startup-probes', 'image-tag': 'immutable-tags', 'config-refs': 'config-validated', rollback: 'rollback-tested', 'crash-alert': 'alerts',
};

/** check's results per workload (its JSON's `workloads`), filed under the items, each detail naming its workload. */
export function filedChecks(workloads: readonly { target: string; checks: readonly CheckLine[] }[]): CheckResult[] {
  return workloads.flatMap((w) => w.checks.flatMap((c) => {
    const item = ITEM_OF[c.id];
    return item ? [{ ...c, item, detail: `${w.target}: ${c.detail}` }] : [];
  }));
}

/**
 * `incident`: this incident shows the item was missed; `pass`/`warn`/`fail`: what `check`
 * found; `unchecked`: neither says.
 */
export interface Measure { id: ChecklistId; item: string; status: 'incident' | 'pass' | 'warn' | 'fail' | 'unchecked'; detail: string; fix: string | null }

/**
 * The Preventive Measures section, pre-filled: each checklist item the incident's causes show
 * was missed (with the diagnosis and its fix), then what `check` found for the rest.
 * `checks`: check's results (filedChecks); an item neither shows says how to find out.
 */
export function preventiveMeasures(diagnoses: Diagnosis[], checks: CheckResult[] = []): Measure[] {
  return CHECKLIST.map(({ id, item }): Measure => {
    const shown = diagnoses.filter((d) => MISSED_BY[d.cause]?.includes(id));
    if (shown.length) {
      const d = shown[0]!;
      const where = d.owner ?? `pod/${d.pod}`;
      return { id, item, status: 'incident', detail: `this incident: ${d.cause} on ${where}: ${d.summary}`, fix: d.fix?.command ?? null };
    }
    const filed = checks.filter((c) => c.item === id).sort((a, b) => LEVELS.indexOf(b.result) - LEVELS.indexOf(a.result));
    const found = filed[0];
    if (found) {
      // The worst result speaks for the item; how many more share it keeps one workload from standing for all.
      const more = filed.filter((c) => c.result === found.result).length - 1;
      const detail = `${found.title}: ${found.detail}${more ? ` (${more} more ${found.result === 'pass' ? 'pass' : `at ${found.result}`})` : ''}`;
      return { id, item, status: found.result, detail, fix: found.result === 'pass' ? null : found.fix };
    }
    return { id, item, status: 'unchecked', detail: 'not shown by this incident; kubectl dhakacart check tells', fix: null };
  });
}

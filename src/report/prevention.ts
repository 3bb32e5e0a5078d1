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
export interface CheckResult { item: ChecklistId; id: string; title: string; result: 'pass' | 'warn' | 'fail'; detail: string; fix: string }

/**
 * `incident`: this incident shows the item was missed; `pass`/`warn`/`fail`: what `check`
 * found; `unchecked`: neither says.
 */
export interface Measure { id: ChecklistId; item: string; status: 'incident' | 'pass' | 'warn' | 'fail' | 'unchecked'; detail: string; fix: string | null }

const WORST = { fail: 2, warn: 1, pass: 0 } as const;

/**
 * The Preventive Measures section, pre-filled: each checklist item the incident's causes show
 * was missed (with the diagnosis and its fix), then what `check` found for the rest.
 * `checks` is the seam for `check` (src/check/): until the report runs it, it passes none and
 * the other items say how to find out.
 */
export function preventiveMeasures(diagnoses: Diagnosis[], checks: CheckResult[] = []): Measure[] {
  return CHECKLIST.map(({ id, item }): Measure => {
    const shown = diagnoses.filter((d) => MISSED_BY[d.cause]?.includes(id));
    if (shown.length) {
      const d = shown[0]!;
      const where = d.owner ?? `pod/${d.pod}`;
      return { id, item, status: 'incident', detail: `this incident: ${d.cause} on ${where}: ${d.summary}`, fix: d.fix?.command ?? null };
    }
    const found = checks.filter((c) => c.item === id).sort((a, b) => WORST[b.result] - WORST[a.result])[0];
    if (found) return { id, item, status: found.result, detail: `${found.title}: ${found.detail}`, fix: found.result === 'pass' ? null : found.fix };
    return { id, item, status: 'unchecked', detail: 'not shown by this incident; kubectl dhakacart check tells', fix: null };
  });
}

import type { Container, Pod } from '../kube/types';
import { combine, containerPatch, patchOn, verdict } from './fix';
import { budgetSeconds, handlerOf } from './probe';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';

/**
 * The slowest start-up seen: from the container's start to its pod turning Ready, across the
 * workload's running pods (for a manifest: those of the workload it replaces); null when none shows it.
 */
export function observedStartSeconds(pods: Pod[], container: string): number | null {
  let slowest: number | null = null;
  for (const p of pods) {
    const started = p.status?.containerStatuses?.find((s) => s.name === container)?.state?.running?.startedAt;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
    if (!started || !ready) continue;
    const s = (Date.parse(ready) - Date.parse(started)) / 1000;
    if (Number.isFinite(s) && s >= 0) slowest = Math.max(slowest ?? 0, s);
  }
  return slowest;
}

/** Start-up above this share of what the liveness probe allows leaves no margin for a slow node or a cold cache. */
const MARGIN = 0.5;

function container(ctx: CheckContext, c: Container): Verdict {
  const live = c.livenessProbe;
  const pods = ctx.pods;
  const seen = pods.state === 'read' ? observedStartSeconds(pods.value, c.name) : null;
  const took = seen === null ? '' : `${c.name} took ${Math.round(seen)}s to become ready`;
  if (c.startupProbe) {
    const budget = budgetSeconds(c.startupProbe);
    if (seen !== null && seen >= budget) {
      return verdict('fail', `${took}, its startup probe allows ${budget}s`,
        patchOn(ctx.workload, containerPatch(c.name, { startupProbe: { failureThreshold: Math.ceil((seen * 2) / (c.startupProbe.periodSeconds ?? 10)) } })));
    }
    return verdict('pass', `${c.name} has a startup probe (${budget}s)${took ? `; ${took}` : ''}`);
  }
  if (!live) return verdict('pass', `${c.name}: no liveness probe to outlast`);
  const budget = budgetSeconds(live);
  if (seen === null) {
    if (pods.state === 'unreadable') return verdict('warn', `start-up of ${c.name} not observed: pods ${pods.reason}`);
    return verdict('pass', `${c.name}: no start-up observed (no ready pod); liveness allows ${budget}s`);
  }
  if (seen < budget * MARGIN) return verdict('pass', `${took}; liveness allows ${budget}s`);
  const period = 10;
  const fix = patchOn(ctx.workload, containerPatch(c.name, {
    startupProbe: { ...handlerOf(live), periodSeconds: period, failureThreshold: Math.ceil(Math.max(seen * 2, budget) / period) },
  }));
  return verdict(seen >= budget ? 'fail' : 'warn', `${took}; its liveness probe allows ${budget}s and it has no startup probe`, fix);
}

export const startupProbe: Rule = {
  id: 'startup-probe',
  title: 'Startup probe for a slow start',
  check: (ctx) => combine(containersOf(ctx.workload).map((c) => container(ctx, c)), 'start-up fits the liveness probe'),
};

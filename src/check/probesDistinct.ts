import type { Container } from '../kube/types';
import { combine, containerPatch, patchOn, verdict } from './fix';
import { handlerOf, sameJson, timingOf } from './probe';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';

/**
 * A liveness probe identical to the readiness probe restarts a pod whenever it is merely not
 * ready (its database slow, a burst of load): every replica at once, which is a crash loop.
 */
function container(ctx: CheckContext, c: Container): Verdict {
  const l = c.livenessProbe;
  const r = c.readinessProbe;
  if (!l || !r) return verdict('pass', '');
  if (!sameJson(handlerOf(l), handlerOf(r)) || !sameJson(timingOf(l), timingOf(r))) return verdict('pass', '');
  const t = timingOf(l);
  return verdict('warn', `${c.name}'s liveness probe is identical to its readiness probe: a pod that is only unready gets restarted`,
    patchOn(ctx.workload, containerPatch(c.name, { livenessProbe: { failureThreshold: t.failureThreshold * 2, initialDelaySeconds: Math.max(t.initialDelaySeconds, 30) } })));
}

export const probesDistinct: Rule = {
  id: 'probes-distinct',
  title: 'Liveness probe differs from readiness',
  check: (ctx) => combine(containersOf(ctx.workload).map((c) => container(ctx, c)), 'liveness and readiness differ (or one is absent: see probes)'),
};

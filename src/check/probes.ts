import type { Container, Probe } from '../kube/types';
import { combine, containerPatch, patchOn, verdict } from './fix';
import { handlerOf } from './probe';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';

/** A handler for a probe the container lacks: the other probe's, else HTTP /health on its first declared port. */
function handlerFor(c: Container, other: Probe | undefined): Partial<Probe> | null {
  if (other) return handlerOf(other);
  const port = c.ports?.[0]?.containerPort;
  return port ? { httpGet: { path: '/health', port } } : null;
}

function container(ctx: CheckContext, c: Container): Verdict {
  const missing: string[] = [];
  const add: Record<string, unknown> = {};
  if (!c.livenessProbe) {
    missing.push('liveness');
    const h = handlerFor(c, c.readinessProbe);
    // More patient than readiness: a pod that is only busy is taken out of the Service, not restarted.
    if (h) add.livenessProbe = { ...h, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 };
  }
  if (!c.readinessProbe) {
    missing.push('readiness');
    const h = handlerFor(c, c.livenessProbe);
    if (h) add.readinessProbe = { ...h, initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 };
  }
  if (!missing.length) return verdict('pass', '');
  const fix = Object.keys(add).length ? patchOn(ctx.workload, containerPatch(c.name, add)) : null;
  return verdict('fail', `${c.name} has no ${missing.join(' or ')} probe${fix ? '' : ' and declares no port to aim one at'}`, fix);
}

export const probes: Rule = {
  id: 'probes',
  title: 'Liveness and readiness probes present',
  check: (ctx) => combine(containersOf(ctx.workload).map((c) => container(ctx, c)), 'every container has a liveness and a readiness probe'),
};

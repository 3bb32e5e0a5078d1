import type { Container } from '../kube/types';
import { combine, containerPatch, patchOn, verdict } from './fix';
import { probePort, probesOf } from './probe';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';

const NAME: Record<string, string> = { livenessProbe: 'liveness', readinessProbe: 'readiness', startupProbe: 'startup' };

/** A probe on a port the container does not declare probes nothing the pod says it serves: usually a typo or a moved port. */
function container(ctx: CheckContext, c: Container): Verdict[] {
  const ports = c.ports ?? [];
  const declared = ports.map((p) => p.containerPort);
  return probesOf(c).flatMap(([field, p]) => {
    const port = probePort(p);
    if (port === null) return [];
    const what = `${c.name}'s ${NAME[field]} probe`;
    if (typeof port === 'string') {
      return ports.some((d) => d.name === port) ? [] : [verdict('fail', `${what} names port "${port}", which ${c.name} does not declare`,
        declared.length ? patchOn(ctx.workload, containerPatch(c.name, { [field]: retarget(p, declared[0]!) })) : null)];
    }
    if (declared.includes(port)) return [];
    if (!declared.length) {
      return [verdict('warn', `${what} aims at port ${port}, but ${c.name} declares no ports to check it against`,
        patchOn(ctx.workload, containerPatch(c.name, { ports: [{ containerPort: port }] })))];
    }
    return [verdict('fail', `${what} aims at port ${port}; ${c.name} declares ${declared.join(', ')}`,
      patchOn(ctx.workload, containerPatch(c.name, { [field]: retarget(p, declared[0]!) })))];
  });
}

/** The probe's port replaced (the rest merges, strategic merge keeps its path and timing). */
function retarget(p: ReturnType<typeof probesOf>[number][1], port: number): Record<string, unknown> {
  if (p.httpGet) return { httpGet: { port } };
  if (p.tcpSocket) return { tcpSocket: { port } };
  return { grpc: { port } };
}

export const probePortRule: Rule = {
  id: 'probe-port',
  title: 'Probes aimed at a declared port',
  check: (ctx) => combine(containersOf(ctx.workload).flatMap((c) => container(ctx, c)), 'every probe aims at a port its container declares (or runs a command)'),
};

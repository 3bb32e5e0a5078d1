import type { Finder, Rule } from '../context';
import type { Evidence } from '../diagnosis';
import { eventEvidence, withReason } from '../events';
import { sanitizeLogLine } from '../../security/sanitize';

/** The kubelet's eviction manager writes reason Evicted and its message on the pod itself. */
const findEvicted: Finder = (ctx) => {
  const st = ctx.pod.status;
  if (st?.reason !== 'Evicted') return null;
  const message = sanitizeLogLine(st.message ?? '');
  const resource = /low on resource: (\w[\w-]*)/i.exec(message)?.[1] ?? null;
  // Current kubelets: `Container backend was using 600Mi, request is 256Mi, ...`; older: `... was using 600Mi, which exceeds its request of 128Mi.`
  const usage = [...message.matchAll(/Container (\S+) was using (\d+(?:\.\d+)?(?:[KMGTPE]i?)?)\b/g)].find((m) => m[1] === ctx.focus.name)?.[2] ?? null;
  const evidence: Evidence[] = [{ source: 'status', detail: `status.reason Evicted: ${message || 'no message'}`, at: ctx.pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.lastTransitionTime ?? null }];
  evidence.push(...withReason(ctx.podEvents, 'Evicted').map((e) => eventEvidence(e, ctx.now)));
  evidence.push(...withReason(ctx.nodeEvents, 'EvictionThresholdMet').map((e) => eventEvidence(e, ctx.now, 'node')));
  return {
    cause: 'evicted',
    confidence: 'confirmed',
    summary: `The pod was evicted from node ${ctx.pod.spec.nodeName ?? '?'}${resource ? ` because the node ran low on ${resource}` : ''}: ${message || 'no message'}`,
    evidence,
    hint: { kind: 'evicted', resource, usage },
  };
};

/** The pod's own status decides; events only add to it. */
export const evictedRule: Rule = { cause: 'evicted', find: findEvicted, dependsOn: () => [] };

import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import { formatBytes, parseQuantity } from '../../kube/quantity';
import { planEvicted } from '../../remedy/evicted';
import { planOom } from '../../remedy/oom';
import { sanitizeLogLine } from '../../security/sanitize';
import type { Evidence, Fix } from '../diagnosis';
import { eventEvidence, withReason } from '../events';
import { planned, type FixKit } from '../fixKit';
import { defineCause, type CauseModule } from './cause';
import { oomFix } from './oom';

/** usage: what the kubelet says the container used when it chose the pod to evict (`was using 600Mi`). */
interface EvictedHint { resource: string | null; usage: string | null }

/** Headroom over what the kubelet saw the container use, so the request covers the next peak. */
const EVICTION_HEADROOM = 1.25;
const MI = 2 ** 20;

/**
 * Evicted for memory: the kubelet picks the pod whose use exceeds its request the most, so the
 * remedy is a request that covers the use it reported (+25%, in 64Mi steps); the limit stays
 * unless the new request is above it. Without a usage figure, the generic `fix oom`.
 */
function memoryFix(k: FixKit, usageText: string | null): Fix | null {
  const usage = usageText ? parseQuantity(usageText) : null;
  if (!usage) return oomFix(k);
  const request = Math.ceil((usage * EVICTION_HEADROOM) / (64 * MI)) * 64 * MI;
  const limitText = k.ctx.focus.spec.resources?.limits?.memory ?? null;
  const limit = limitText ? parseQuantity(limitText) : null;
  const memory = limit && limit >= request ? limitText! : formatBytes(request);
  const plan = planned(() => planOom(k.w.asDeployment, k.ctx.snapshot.nodes, { container: k.ctx.focus.name, memory, memoryRequest: formatBytes(request) }));
  if (!plan?.patch) return null;
  return { command: k.plugin('fix oom', `${k.containerFlag()} --memory ${memory} --memory-request ${formatBytes(request)}`), kubectl: [k.planned({ ...plan, patch: plan.patch })] };
}

/** The replacements run: the Failed/Evicted pods are only a record now, and keep status failing. */
function cleanUp(k: FixKit): Fix | null {
  const dep = k.ctx.owner.deployment;
  if (!dep) return null;
  const p = planEvicted(dep, k.ctx.snapshot.pods, k.ctx.snapshot.replicaSets, { now: k.ctx.now, windowMs: DEFAULT_HEALTH_WINDOW_MS });
  if (!p.delete.length) return null;
  return { command: k.plugin('fix evicted'), kubectl: p.delete.map((d) => `kubectl delete pod ${d.name} ${k.ns}`) };
}

/** The kubelet's eviction manager writes reason Evicted and its message on the pod itself; events only add to it. */
export const evicted: CauseModule<'evicted'> = defineCause<'evicted', EvictedHint>({
  cause: 'evicted',
  find(ctx) {
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
      hint: { resource, usage },
    };
  },
  dependsOn: () => [],
  // Memory first: the request is what makes the kubelet pick this pod again; once nothing is left to change, clean up.
  fix: (k, f) => (f.hint?.resource === 'memory' ? memoryFix(k, f.hint.usage) : null) ?? cleanUp(k),
});

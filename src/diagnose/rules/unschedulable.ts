import { formatBytes, parseQuantity } from '../../kube/quantity';
import type { Container, Pod } from '../../kube/types';
import type { Finder, Rule } from '../context';
import type { Evidence } from '../diagnosis';
import { eventEvidence, withReason } from '../events';
import { sanitizeLogLine } from '../../security/sanitize';

const INSUFFICIENT = /Insufficient (cpu|memory|ephemeral-storage|[\w.-]+\/[\w.-]+)/gi;

const formatCpu = (cores: number) => (Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`);

/**
 * What the scheduler weighs for a resource: the sum over the app containers, or the largest
 * init container's request when that is bigger (init containers run one at a time).
 */
function podRequest(pod: Pod, resource: string): string | null {
  const req = (c: Container) => parseQuantity(c.resources?.requests?.[resource] ?? '') ?? 0;
  const sum = pod.spec.containers.reduce((n, c) => n + req(c), 0);
  const total = Math.max(sum, ...(pod.spec.initContainers ?? []).map(req));
  if (!total) return null;
  return resource === 'cpu' ? formatCpu(total) : resource === 'memory' || resource === 'ephemeral-storage' ? formatBytes(total) : String(total);
}

/** PodScheduled=False/Unschedulable is the scheduler's verdict; FailedScheduling events say the same (new-style: null timestamps). */
const findUnschedulable: Finder = (ctx) => {
  const cond = ctx.pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const failed = ctx.pod.spec.nodeName ? [] : withReason(ctx.podEvents, 'FailedScheduling');
  if (!cond && !failed.length) return null;
  const evidence: Evidence[] = [];
  if (cond) evidence.push({ source: 'status', detail: `PodScheduled=False (Unschedulable): ${sanitizeLogLine(cond.message ?? '')}`, at: cond.lastTransitionTime ?? null });
  evidence.push(...failed.slice(-2).map((e) => eventEvidence(e, ctx.now)));
  const message = sanitizeLogLine(cond?.message ?? failed.at(-1)?.message ?? '');
  // "Insufficient memory": what the pod asks for is the other half of the comparison.
  const short = [...new Set([...message.matchAll(INSUFFICIENT)].map((m) => m[1]!.toLowerCase()))];
  const asks = short.map((r) => [r, podRequest(ctx.pod, r)] as const).filter(([, q]) => q);
  if (asks.length) evidence.push({ source: 'spec', detail: `the pod requests ${asks.map(([r, q]) => `${r} ${q}`).join(', ')} (sum of its containers' requests)`, at: null });
  return {
    cause: 'unschedulable',
    confidence: 'confirmed',
    summary: `The scheduler finds no node for the pod: ${message || 'no message'}${asks.length ? ` The pod requests ${asks.map(([r, q]) => `${r} ${q}`).join(', ')}.` : ''}`,
    evidence,
  };
};

/** A pod with no node: the scheduler's FailedScheduling events can say so when the condition does not (yet). */
export const unschedulableRule: Rule = {
  cause: 'unschedulable',
  find: findUnschedulable,
  dependsOn: (ctx) => (ctx.pod.spec.nodeName ? [] : [{ piece: 'events', could: { confidence: 'confirmed' } }]),
};

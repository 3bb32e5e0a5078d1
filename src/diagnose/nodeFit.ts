import { formatBytes, parseQuantity } from '../kube/quantity';
import type { Container, NodeObject, Pod } from '../kube/types';

/**
 * The scheduler's resource and placement filters, as far as the snapshot can tell: what a pod
 * requests against each node's allocatable minus what the pods already there request, the
 * node's taints against the pod's tolerations, and its nodeSelector. Affinity, topology spread
 * and volume zones are left to the scheduler's own message.
 */
export interface NodeFit { node: string; fits: boolean; reasons: string[]; short: Short[] }
export interface Short { resource: string; want: number; free: number }

const BYTES = new Set(['memory', 'ephemeral-storage']);
export const formatResource = (resource: string, v: number) =>
  resource === 'cpu' ? (Number.isInteger(v) ? String(v) : `${Math.round(v * 1000)}m`) : BYTES.has(resource) || resource.startsWith('hugepages-') ? formatBytes(Math.max(0, v)) : String(v);

const requestsOf = (c: Container) => Object.entries(c.resources?.requests ?? {}).map(([k, v]) => [k, parseQuantity(v ?? '') ?? 0] as const);

/** Per resource: the sum over the app containers, or the largest init container's request when bigger (they run one at a time). */
export function podRequests(pod: Pod): Map<string, number> {
  const sum = new Map<string, number>();
  for (const c of pod.spec.containers) for (const [k, v] of requestsOf(c)) sum.set(k, (sum.get(k) ?? 0) + v);
  for (const c of pod.spec.initContainers ?? []) for (const [k, v] of requestsOf(c)) sum.set(k, Math.max(sum.get(k) ?? 0, v));
  for (const [k, v] of sum) if (!v) sum.delete(k);
  return sum;
}

const tolerated = (pod: Pod, t: { key: string; value?: string; effect: string }) => (pod.spec.tolerations ?? []).some((x) =>
  (x.operator === 'Exists' ? !x.key || x.key === t.key : x.key === t.key && (x.value ?? '') === (t.value ?? '')) && (!x.effect || x.effect === t.effect));

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Each node, whether `pod` fits on it now, and by how much it does not. `placed`: the pods bound to nodes. */
export function nodeFits(pod: Pod, nodes: NodeObject[], placed: Pod[]): NodeFit[] {
  const want = podRequests(pod);
  return nodes.map((n) => {
    const name = n.metadata.name;
    const reasons: string[] = [];
    if (n.spec?.unschedulable) reasons.push('cordoned (unschedulable)');
    if (!(n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')) reasons.push('not Ready');
    const sel = Object.entries(pod.spec.nodeSelector ?? {}).filter(([k, v]) => n.metadata.labels?.[k] !== v);
    if (sel.length) reasons.push(`nodeSelector ${sel.map(([k, v]) => `${k}=${v}`).join(',')} does not match`);
    const taint = (n.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(pod, t));
    if (taint) reasons.push(`taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect} not tolerated`);
    const here = placed.filter((p) => p.spec.nodeName === name && !terminal(p) && p.metadata.name !== pod.metadata.name);
    const used = new Map<string, number>();
    for (const p of here) for (const [k, v] of podRequests(p)) used.set(k, (used.get(k) ?? 0) + v);
    const short: Short[] = [];
    for (const [k, v] of want) {
      const alloc = parseQuantity(n.status?.allocatable?.[k] ?? '0') ?? 0;
      const free = alloc - (used.get(k) ?? 0);
      if (v > free) short.push({ resource: k, want: v, free });
    }
    for (const s of short) reasons.push(`${s.resource}: ${formatResource(s.resource, s.free)} free of ${n.status?.allocatable?.[s.resource] ?? '0'} allocatable, ${formatResource(s.resource, s.want)} requested`);
    return { node: name, fits: reasons.length === 0, reasons, short };
  });
}

/** Whether the pod would fit on the node with nothing else on it (requests above allocatable: only a smaller request helps). */
export function fitsEmpty(pod: Pod, n: NodeObject): boolean {
  for (const [k, v] of podRequests(pod)) if (v > (parseQuantity(n.status?.allocatable?.[k] ?? '0') ?? 0)) return false;
  return true;
}

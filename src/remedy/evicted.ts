import { summarizePod, type HealthClock } from '../kube/podState';
import { ownedReplicaSets } from '../kube/template';
import type { Deployment, Pod, ReplicaSet } from '../kube/types';
import { sanitizeLogLine } from '../security/sanitize';
import type { Change, Plan } from './plan';

/** A pod to delete, with the uid the DELETE is preconditioned on (a new pod of the same name is never deleted). */
export interface PodDeletion { name: string; uid: string | null }

export interface EvictedPlan { plan: Plan; delete: PodDeletion[] }

const isEvicted = (p: Pod) => p.status?.phase === 'Failed' && p.status.reason === 'Evicted';

/** The pods of the Deployment: those its ReplicaSets own. */
export function podsOf(dep: Deployment, pods: Pod[], replicaSets: ReplicaSet[]): Pod[] {
  const mine = new Set(ownedReplicaSets(dep, replicaSets).map((rs) => rs.metadata.uid ?? rs.metadata.name));
  return pods.filter((p) => (p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === 'ReplicaSet' && mine.has(o.uid ?? o.name)));
}

/**
 * fix evicted: the Failed/Evicted pods of the Deployment are kept by the API server until
 * someone deletes them (or the pod GC's threshold of thousands is reached), and keep `status`
 * failing. They are deleted only once their replacements run: as many Ready pods as the
 * Deployment wants. What evicted them is said, since that is what needs the real fix.
 */
export function planEvicted(dep: Deployment, pods: Pod[], replicaSets: ReplicaSet[], clock: HealthClock): EvictedPlan {
  const name = dep.metadata.name;
  const mine = podsOf(dep, pods, replicaSets);
  const evicted = mine.filter(isEvicted);
  const base = { action: 'fix evicted', deployment: name, patch: null, expect: {}, rollout: false };
  if (!evicted.length) return { plan: { ...base, changes: [], warnings: [], noop: `deployment ${name} has no evicted pods` }, delete: [] };
  const ready = mine.filter((p) => !isEvicted(p) && summarizePod(p, clock).healthy).length;
  const wanted = dep.spec.replicas ?? 1;
  const why = [...new Set(evicted.map((p) => sanitizeLogLine(p.status?.message ?? '').trim()).filter(Boolean))];
  const warnings = why.map((m) => `evicted by the kubelet: ${m}`);
  if (ready < wanted) {
    return {
      plan: { ...base, changes: [], warnings, noop: `not deleting the ${evicted.length} evicted pod${evicted.length > 1 ? 's' : ''} of ${name}: only ${ready} of ${wanted} replacements run; they are the record of what happened until then` },
      delete: [],
    };
  }
  const changes: Change[] = evicted.map((p) => ({ path: `pod/${p.metadata.name}`, from: `Failed (Evicted on ${p.spec.nodeName ?? '?'})`, to: null }));
  return {
    plan: { ...base, changes, warnings: [...warnings, `the cause stays: ${ready}/${wanted} replacements run now, but the node can evict again (see kubectl dhakacart why)`], noop: null },
    delete: evicted.map((p) => ({ name: p.metadata.name, uid: p.metadata.uid ?? null })),
  };
}

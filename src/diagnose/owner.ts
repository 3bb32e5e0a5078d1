import { revisionOf } from '../kube/deployment';
import { ownedReplicaSets, POD_TEMPLATE_HASH } from '../kube/template';
import type { Deployment, OwnerReference, Pod, ReplicaSet, StatefulSet } from '../kube/types';
import type { Snapshot } from '../cluster/snapshot';

export interface Owner {
  /** `deployment/NAME`, `statefulset/NAME`, another controller's `kind/NAME`, or null for a bare pod. */
  ref: string | null;
  deployment: Deployment | null;
  /** The ReplicaSet the pod belongs to. */
  replicaSet: ReplicaSet | null;
  /** The Deployment's ReplicaSets, newest revision first. */
  history: ReplicaSet[];
  statefulSet: StatefulSet | null;
}

const controllerOf = (refs: OwnerReference[] | undefined) => (refs ?? []).find((o) => o.controller) ?? refs?.[0];
const sameObject = (ref: OwnerReference, meta: { name: string; uid?: string }) =>
  ref.name === meta.name && (!ref.uid || !meta.uid || ref.uid === meta.uid);

function deploymentOf(s: Snapshot, pod: Pod, rsRef: OwnerReference, rs: ReplicaSet | null): Deployment | null {
  const depRef = rs && controllerOf(rs.metadata.ownerReferences);
  if (depRef) return depRef.kind === 'Deployment' ? s.deployments.find((d) => sameObject(depRef, d.metadata)) ?? null : null;
  // The ReplicaSet was not gathered (forbidden, or deleted): its name is DEPLOYMENT-HASH.
  const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH];
  return hash ? s.deployments.find((d) => `${d.metadata.name}-${hash}` === rsRef.name) ?? null : null;
}

export function resolveOwner(s: Snapshot, pod: Pod): Owner {
  const none: Owner = { ref: null, deployment: null, replicaSet: null, history: [], statefulSet: null };
  const ref = controllerOf(pod.metadata.ownerReferences);
  if (!ref) return none;
  if (ref.kind === 'StatefulSet') {
    return { ...none, ref: `statefulset/${ref.name}`, statefulSet: s.statefulSets.find((x) => sameObject(ref, x.metadata)) ?? null };
  }
  if (ref.kind !== 'ReplicaSet') return { ...none, ref: `${ref.kind.toLowerCase()}/${ref.name}` };
  const rs = s.replicaSets.find((x) => sameObject(ref, x.metadata)) ?? null;
  const dep = deploymentOf(s, pod, ref, rs);
  if (!dep) return { ...none, ref: `replicaset/${ref.name}`, replicaSet: rs };
  const history = ownedReplicaSets(dep, s.replicaSets).sort((a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0));
  return { ...none, ref: `deployment/${dep.metadata.name}`, deployment: dep, replicaSet: rs, history };
}

/** The workload a pod belongs to, for grouping and for counting affected services. */
export const ownerRef = (s: Snapshot, pod: Pod): string => resolveOwner(s, pod).ref ?? `pod/${pod.metadata.name}`;

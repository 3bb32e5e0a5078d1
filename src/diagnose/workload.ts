import { CHANGE_CAUSE_ANNOTATION, deploymentHealth, REPLICAS_BEFORE_EMERGENCY, statefulSetHealth, type WorkloadHealth } from '../kube/deployment';
import type { Deployment, StatefulSet } from '../kube/types';
import type { Diagnosis, Evidence } from './diagnosis';
import { notLookedAt } from './unread';
import type { Snapshot } from '../cluster/snapshot';

export type WorkloadKind = 'deployment' | 'statefulset';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The count to scale back to: the emergency annotation, else what `kubectl apply` last set, else 1. */
function replicasBefore(w: Deployment | StatefulSet): number {
  const remembered = Number.parseInt(w.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY] ?? '', 10);
  if (remembered > 0) return remembered;
  try {
    const applied = (JSON.parse(w.metadata.annotations?.[LAST_APPLIED] ?? '{}') as { spec?: { replicas?: unknown } }).spec?.replicas;
    if (typeof applied === 'number' && applied > 0) return applied;
  } catch {
    // An unparsable annotation says nothing about the count.
  }
  return 1;
}

export function findWorkload(s: Snapshot, kind: WorkloadKind, name: string): Deployment | StatefulSet | null {
  const list: (Deployment | StatefulSet)[] = kind === 'deployment' ? s.deployments : s.statefulSets;
  return list.find((w) => w.metadata.name === name) ?? null;
}

export const workloadHealth = (kind: WorkloadKind, w: Deployment | StatefulSet): WorkloadHealth =>
  kind === 'deployment' ? deploymentHealth(w as Deployment) : statefulSetHealth(w as StatefulSet);

/**
 * A workload that is down with no pod to blame: stopped (at 0 replicas, by emergency stop or
 * by hand, while something needs it) or degraded with its pods missing. null when a pod
 * diagnosis says more, or the workload is fine. `needed`: how a selected app depends on it,
 * so 0 replicas is an outage even without the emergency annotation; `asked`: named on the
 * command line, where "why is it not running" is the question, so 0 replicas answers it.
 */
export function diagnoseWorkload(s: Snapshot, kind: WorkloadKind, w: Deployment | StatefulSet, needed: string | null, asked = false): Diagnosis | null {
  const h = workloadHealth(kind, w);
  const ref = `${kind}/${w.metadata.name}`;
  const ns = w.metadata.namespace ?? s.namespace;
  const base = { pod: ref, namespace: ns, container: null, owner: ref, notLookedAt: notLookedAt(s.gaps), escalate: null };
  const desired = w.spec.replicas ?? 1;
  const evidence: Evidence[] = [{ source: 'deployment', detail: `${ref}: ${desired} desired replica${desired === 1 ? '' : 's'}${h.reason ? `, ${h.reason}` : ''}`, at: null }];
  const cause = w.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
  if (cause) evidence.push({ source: 'deployment', detail: `change-cause: ${cause}`, at: null });
  if (needed) evidence.push({ source: 'service', detail: `the selected apps need it: ${needed}`, at: null });

  if (h.state === 'stopped') {
    const before = replicasBefore(w);
    return {
      ...base, cause: 'stopped', confidence: 'confirmed', evidence,
      summary: `${ref} is stopped: scaled to 0 by emergency stop (${before} replica${before === 1 ? '' : 's'} before); nothing serves it.`,
      fix: kind === 'deployment'
        ? { command: `kubectl dhakacart emergency resume ${ref} -n ${ns}`, kubectl: [`kubectl scale ${ref} --replicas=${before} -n ${ns}`, `kubectl annotate ${ref} ${REPLICAS_BEFORE_EMERGENCY}- -n ${ns}`] }
        : { command: `kubectl scale ${ref} --replicas=${before} -n ${ns}`, kubectl: [`kubectl scale ${ref} --replicas=${before} -n ${ns}`] },
    };
  }
  if (h.state === 'scaled to zero' && (needed || asked)) {
    const before = replicasBefore(w);
    const scale = `kubectl scale ${ref} --replicas=${before} -n ${ns}`;
    return {
      ...base, cause: 'stopped', confidence: 'confirmed', evidence,
      summary: `${ref} is scaled to 0 replicas (not by emergency stop)${needed ? `, but the selected apps need it (${needed})` : ': nothing of it runs'}.`,
      fix: { command: scale, kubectl: [scale] },
    };
  }
  if (h.state === 'degraded') {
    return {
      ...base, cause: 'unknown', confidence: 'unknown', evidence, fix: null,
      summary: `${ref} is degraded (${h.reason}) but none of its pods is failing: the missing pods were never created or were deleted (see its conditions and events).`,
    };
  }
  return null;
}

import type { Deployment, ReplicaSet, StatefulSet } from './types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Set by `emergency stop` to the replica count to resume to. */
export const REPLICAS_BEFORE_EMERGENCY = 'dhakacart.io/replicas-before-emergency';

/** The revision annotation as kubectl reads it: missing → 0, unparsable → null. */
export function revisionOf(obj: Deployment | ReplicaSet): number | null {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? null : n;
}

/**
 * `stopped`: at 0 replicas with the emergency annotation, an outage someone must end.
 * `scaled to zero`: at 0 without it. Decided: that is a deliberate choice (a retired or
 * seasonal service), shown but not a problem by itself; when a selected app depends on the
 * workload, the dependency is what fails (kube/dependencies.ts) and the exit code says so.
 */
export type WorkloadState = 'ok' | 'stopped' | 'scaled to zero' | 'degraded';
export interface WorkloadHealth { state: WorkloadState; healthy: boolean; reason: string | null }

const failureCondition = (d: Deployment) =>
  d.status?.conditions?.find((c) => (c.type === 'ReplicaFailure' && c.status === 'True') || (c.type === 'Progressing' && c.status === 'False'));

function zeroHealth(kind: string, w: Deployment | StatefulSet): WorkloadHealth {
  const before = w.metadata.annotations?.[REPLICAS_BEFORE_EMERGENCY];
  if (before !== undefined) {
    return { state: 'stopped', healthy: false, reason: `scaled to 0 by emergency stop (${before} replica${before === '1' ? '' : 's'} before); resume: kubectl dhakacart emergency resume ${kind}/${w.metadata.name}` };
  }
  return { state: 'scaled to zero', healthy: true, reason: 'scaled to 0 replicas (not by emergency stop)' };
}

/** A workload's own health, from its spec and status: the pods' health is judged separately (podState.ts). */
export function deploymentHealth(d: Deployment): WorkloadHealth {
  const desired = d.spec.replicas ?? 1;
  if (desired === 0) return zeroHealth('deployment', d);
  const st = d.status ?? {};
  const available = st.availableReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  if (available >= desired && updated >= desired && !(st.unavailableReplicas ?? 0)) return { state: 'ok', healthy: true, reason: null };
  const cond = failureCondition(d);
  const missing = (st.replicas ?? 0) < desired ? `, ${desired - (st.replicas ?? 0)} pod(s) not created` : '';
  return { state: 'degraded', healthy: false, reason: `${available}/${desired} available, ${updated} up to date${missing}${cond?.message ? `: ${cond.message}` : ''}` };
}

export function statefulSetHealth(s: StatefulSet): WorkloadHealth {
  const desired = s.spec.replicas ?? 1;
  if (desired === 0) return zeroHealth('statefulset', s);
  const ready = s.status?.readyReplicas ?? 0;
  return ready >= desired ? { state: 'ok', healthy: true, reason: null } : { state: 'degraded', healthy: false, reason: `${ready}/${desired} ready` };
}

export interface DeploymentSummary {
  name: string;
  namespace: string | null;
  healthy: boolean;
  /** ok, stopped, scaled to zero or degraded (WorkloadState). */
  state: WorkloadState;
  reason: string | null;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  revision: number | null;
  images: string[];
}

export function summarizeDeployment(d: Deployment): DeploymentSummary {
  const st = d.status ?? {};
  const h = deploymentHealth(d);
  return {
    name: d.metadata.name,
    namespace: d.metadata.namespace ?? null,
    healthy: h.healthy,
    state: h.state,
    reason: h.reason,
    desired: d.spec.replicas ?? 1,
    ready: st.readyReplicas ?? 0,
    updated: st.updatedReplicas ?? 0,
    available: st.availableReplicas ?? 0,
    revision: revisionOf(d),
    images: d.spec.template.spec.containers.map((c) => c.image ?? ''),
  };
}

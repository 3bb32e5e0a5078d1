import type { Deployment, ReplicaSet } from './types';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

/** The revision annotation as kubectl reads it: missing → 0, unparsable → null. */
export function revisionOf(obj: Deployment | ReplicaSet): number | null {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? null : n;
}

export interface DeploymentSummary {
  name: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  revision: number | null;
  images: string[];
}

export function summarizeDeployment(d: Deployment): DeploymentSummary {
  const st = d.status ?? {};
  return {
    name: d.metadata.name,
    desired: d.spec.replicas ?? 1,
    ready: st.readyReplicas ?? 0,
    updated: st.updatedReplicas ?? 0,
    available: st.availableReplicas ?? 0,
    revision: revisionOf(d),
    images: d.spec.template.spec.containers.map((c) => c.image ?? ''),
  };
}

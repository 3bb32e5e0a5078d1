import type { Deployment } from './types';

export type RolloutState = { done: true; message: string } | { done: false; message: string } | { failed: true; message: string };

/**
 * kubectl's DeploymentStatusViewer.Status, message for message: what `rollout status`
 * prints for one observation of the Deployment (without --revision, which no caller passes). Go omits zero counters, so missing = 0.
 */
export function deploymentRolloutStatus(d: Deployment): RolloutState {
  const name = d.metadata.name;
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = (st.conditions ?? []).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { failed: true, message: `deployment "${name}" exceeded its progress deadline` };
    const want = d.spec.replicas;
    const updated = st.updatedReplicas ?? 0;
    const replicas = st.replicas ?? 0;
    const available = st.availableReplicas ?? 0;
    if (want !== undefined && updated < want) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...` };
    if (replicas > updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...` };
    if (available < updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
    return { done: true, message: `deployment "${name}" successfully rolled out` };
  }
  return { done: false, message: 'Waiting for deployment spec update to be observed...' };
}

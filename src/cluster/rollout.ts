import { sleep } from './interrupt';
import { ApiError, UnreachableError, type KubeApi } from './api';
import { paths } from './paths';
import { revisionOf } from '../kube/deployment';
import { isFailureWaitingReason } from '../kube/podState';
import { deploymentRolloutStatus } from '../kube/rolloutStatus';
import { selectorToString } from '../kube/selector';
import { ownedReplicaSets, POD_TEMPLATE_HASH, templatesEqual } from '../kube/template';
import type { Deployment, Pod, ReplicaSet } from '../kube/types';

export type RolloutOutcome = { status: 'complete' | 'failed' | 'timeout'; revision: number | null; message: string };

/** Pods of the ReplicaSet that matches the Deployment's current template ("the new RS"). */
export async function newReplicaSetPods(api: KubeApi, dep: Deployment): Promise<{ rs: ReplicaSet | null; pods: Pod[] }> {
  const ns = dep.metadata.namespace!;
  const selector = selectorToString(dep.spec.selector);
  const rsList = await api.list<ReplicaSet>(paths.replicasets(ns), { labelSelector: selector });
  const rs = ownedReplicaSets(dep, rsList.items).find((r) => templatesEqual(r.spec.template, dep.spec.template)) ?? null;
  const hash = rs?.metadata.labels?.[POD_TEMPLATE_HASH];
  if (!hash) return { rs, pods: [] };
  const pods = await api.list<Pod>(paths.pods(ns), { labelSelector: `${selector},${POD_TEMPLATE_HASH}=${hash}` });
  return { rs, pods: pods.items };
}

/** A new pod already failing in a way waiting will not cure, named with its reason. */
function failingNewPod(pods: Pod[]): string | null {
  for (const p of pods) {
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
      const reason = c.state?.waiting?.reason;
      if (isFailureWaitingReason(reason)) return `pod ${p.metadata.name} container ${c.name}: ${reason}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ''}`;
    }
  }
  return null;
}

export interface WaitOptions { timeoutMs: number; pollMs?: number; onMessage(message: string): void }

/** Consecutive failed polls a wait rides out before giving up (each is followed by a pause). */
export const MAX_FAILED_POLLS = 5;

/** A poll that may well succeed a moment later: throttled, a 5xx, or no answer at all. */
export const transient = (e: unknown) => e instanceof UnreachableError || (e instanceof ApiError && (e.code === 429 || e.code >= 500));

/**
 * `kubectl rollout status`: the same conditions and messages, printed when they change;
 * and it stops early when the new ReplicaSet's pods are already crash-looping, failing to
 * pull or failing their config, instead of waiting out the progress deadline.
 * It polls rather than watches: one GET a second survives a dropped watch for free, and a
 * poll that fails for a transient reason is simply tried again (bounded, within the timeout).
 */
export async function waitForRollout(api: KubeApi, ns: string, name: string, o: WaitOptions): Promise<RolloutOutcome> {
  const deadline = Date.now() + o.timeoutMs;
  let last = '';
  let failed = 0;
  let revision: number | null = null;
  for (;;) {
    let outcome: RolloutOutcome | null = null;
    try {
      const dep = await api.get<Deployment>(paths.deployment(ns, name));
      revision = revisionOf(dep);
      const state = deploymentRolloutStatus(dep);
      if (state.message !== last) o.onMessage((last = state.message));
      if ('failed' in state) outcome = { status: 'failed', revision, message: state.message };
      else if (state.done) outcome = { status: 'complete', revision, message: state.message };
      else {
        const failing = failingNewPod((await newReplicaSetPods(api, dep)).pods);
        if (failing) outcome = { status: 'failed', revision, message: `new pods are failing: ${failing}` };
      }
      failed = 0;
    } catch (e) {
      if (!transient(e) || ++failed > MAX_FAILED_POLLS || Date.now() >= deadline) throw e;
      o.onMessage(`could not read the rollout (${(e as Error).message}); trying again`);
      last = '';
    }
    if (outcome) return outcome;
    if (Date.now() >= deadline) return { status: 'timeout', revision, message: `timed out waiting for deployment "${name}" to roll out` };
    await sleep(Math.min(o.pollMs ?? 1000, Math.max(0, deadline - Date.now())));
  }
}

import { ApiError, isNotFound, type KubeApi } from './api';
import { paths } from './paths';
import type { KubeEvent, Pod, ReplicaSet } from '../kube/types';

/** What a rollback chooses from: the ReplicaSets, the pods (their outcome now) and the events (their outcome lately). */
export interface RolloutHistory { replicaSets: ReplicaSet[]; pods: Pod[]; events: KubeEvent[] }

/**
 * One round of parallel reads. The events only sharpen the choice (a revision whose pods
 * crashed): when they cannot be read the choice rests on the ReplicaSets and pods alone.
 */
export async function gatherHistory(api: KubeApi, ns: string): Promise<RolloutHistory> {
  const [replicaSets, pods, events] = await Promise.all([
    api.list<ReplicaSet>(paths.replicasets(ns)).then((l) => l.items),
    api.list<Pod>(paths.pods(ns)).then((l) => l.items),
    api.list<KubeEvent>(paths.events(ns)).then((l) => l.items, () => []),
  ]);
  return { replicaSets, pods, events };
}

/**
 * DELETE each pod with its uid as precondition, so a new pod that took the name is never
 * deleted. Gone already (404) is what was wanted; a uid mismatch (409) is skipped and said.
 */
export async function deletePods(api: KubeApi, ns: string, pods: { name: string; uid: string | null }[], dryRun: boolean, say: (m: string) => void): Promise<void> {
  for (const p of pods) {
    try {
      await api.raw('DELETE', paths.pod(ns, p.name), {
        body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...(p.uid ? { preconditions: { uid: p.uid } } : {}) }),
        contentType: 'application/json',
        query: { dryRun: dryRun ? 'All' : undefined },
      });
      if (!dryRun) say(`pod "${p.name}" deleted`);
    } catch (e) {
      if (isNotFound(e)) continue;
      if (e instanceof ApiError && e.code === 409) {
        say(`pod "${p.name}" was not deleted: it is another pod by now (${e.message})`);
        continue;
      }
      throw e;
    }
  }
}


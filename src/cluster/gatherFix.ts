import type { KubeApi } from './api';
import { paths } from './paths';
import { Gaps } from './gaps';
import { readReference } from './readNamedObjects';
import { referencedObjects } from '../kube/podSpecRefs';
import type { Deployment, NodeObject, ReplicaSet } from '../kube/types';

/** The nodes `fix oom` sizes the new limit against; none when they cannot be listed (a namespaced role). */
export function gatherNodes(api: KubeApi): Promise<NodeObject[]> {
  return api.list<NodeObject>(paths.nodes()).then((l) => l.items, () => []);
}

/** What `fix image` chooses from: the namespace's ReplicaSets, and the pull Secrets that exist (null: could not be read). */
export interface ImageHistory { replicaSets: ReplicaSet[]; secretNames: Set<string> | null }

export async function gatherImageHistory(api: KubeApi, dep: Deployment): Promise<ImageHistory> {
  const ns = dep.metadata.namespace!;
  const gaps = new Gaps();
  const [replicaSets, refs] = await Promise.all([
    api.list<ReplicaSet>(paths.replicasets(ns)).then((l) => l.items),
    Promise.all(referencedObjects([dep.spec.template.spec]).filter((r) => r.kind === 'Secret').map((r) => readReference(api, gaps, ns, r))),
  ]);
  return { replicaSets, secretNames: gaps.list.length ? null : new Set(refs.filter((r) => r.exists).map((r) => r.name)) };
}

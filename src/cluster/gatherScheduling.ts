import { type KubeApi } from './api';
import { paths } from './paths';
import type { Gaps } from './gaps';
import type { Snapshot } from './snapshot';
import type { KubeEvent, NodeObject, Pod } from '../kube/types';

/**
 * What a Pending pod is compared with, in three bounded lists: the nodes, the pods bound to
 * any node (one cluster-wide list, a gap when forbidden: the namespace's own pods are then
 * all that is known, a lower bound) and the namespace's Deployment events.
 */
export async function gatherScheduling(api: KubeApi, gaps: Gaps, ns: string): Promise<NonNullable<Snapshot['scheduling']>> {
  const [nodes, placed, events] = await Promise.all([
    gaps.read({ what: 'nodes', piece: 'scheduling' }, `GET ${paths.nodes()}`, api.list<NodeObject>(paths.nodes())),
    gaps.read({ what: 'pods on nodes (all namespaces)', piece: 'scheduling' }, `GET ${paths.pods(null)}`,
      api.list<Pod>(paths.pods(null), { fieldSelector: 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed' })),
    gaps.read({ what: 'deployment events', piece: 'events' }, `GET ${paths.events(ns)}`,
      api.list<KubeEvent>(paths.events(ns), { fieldSelector: 'involvedObject.kind=Deployment' })),
  ]);
  return {
    nodes: nodes?.items ?? [],
    // Without the cluster-wide list, what is known is a lower bound: the rule says so.
    placed: placed?.items ?? null,
    events: events?.items ?? [],
  };
}

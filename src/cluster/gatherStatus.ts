import { ApiError, paths, type KubeApi } from './api';
import { Gaps } from './references';
import { clusterError } from '../errors';
import type { Gap } from '../diagnose/snapshot';
import type { Deployment, Pod } from '../kube/types';

/** `gaps`: what could not be read; the pods are required, the Deployments' summary is not. */
export interface StatusSnapshot { pods: Pod[]; deployments: Deployment[]; podsResourceVersion?: string; gaps: Gap[] }

/**
 * Confirms the namespace exists: listing in a missing namespace answers an empty list,
 * which would read as "nothing wrong". A user without cluster-wide `get namespaces`
 * (403) is given the benefit of the doubt.
 */
export async function assertNamespace(api: KubeApi, namespace: string): Promise<void> {
  try {
    await api.get(paths.namespace(namespace));
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) {
      throw clusterError(`namespace "${namespace}" not found in context "${api.ctx.context}"`, 'pass the right -n NAMESPACE (kubectl get namespaces lists them)');
    }
    if (e instanceof ApiError && e.code === 403) return;
    throw e;
  }
}

/** Everything `status` needs, asked in parallel: the namespace check, pods and Deployments. */
export async function gatherStatus(api: KubeApi, namespace: string, labelSelector: string | undefined): Promise<StatusSnapshot> {
  const gaps = new Gaps();
  const [, pods, deployments] = await Promise.all([
    assertNamespace(api, namespace),
    api.list<Pod>(paths.pods(namespace), { labelSelector }),
    gaps.read({ what: 'deployments', piece: 'owner' }, `GET ${paths.deployments(namespace)}`, api.list<Deployment>(paths.deployments(namespace))),
  ]);
  return { pods: pods.items, deployments: deployments?.items ?? [], podsResourceVersion: pods.metadata.resourceVersion, gaps: gaps.list };
}

import { ApiError, paths, type KubeApi } from './api';
import { clusterError } from '../errors';
import type { Deployment, Pod } from '../kube/types';

export interface StatusSnapshot { pods: Pod[]; deployments: Deployment[]; podsResourceVersion?: string }

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
  const [, pods, deployments] = await Promise.all([
    assertNamespace(api, namespace),
    api.list<Pod>(paths.pods(namespace), { labelSelector }),
    api.list<Deployment>(paths.deployments(namespace)),
  ]);
  return { pods: pods.items, deployments: deployments.items, podsResourceVersion: pods.metadata.resourceVersion };
}

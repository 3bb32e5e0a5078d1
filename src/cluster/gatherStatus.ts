import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import { Gaps } from './gaps';
import { clusterError } from '../errors';
import type { Gap } from './snapshot';
import type { Deployment, Pod, Service, StatefulSet } from '../kube/types';

/**
 * `gaps`: what could not be read; the pods are required, the rest is not. `pods` is every
 * pod of the namespace (or cluster with -A): the selector picks among them in memory, so
 * the pods behind a dependency come from the same one list.
 */
export interface StatusSnapshot {
  pods: Pod[];
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  services: Service[];
  /** ConfigMap data by "NS/NAME": the dependency search reads the values pods import. */
  configMaps: Map<string, Record<string, string>>;
  podsResourceVersion?: string;
  gaps: Gap[];
}

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


type ConfigMap = { metadata: { name: string; namespace?: string }; data?: Record<string, string> };

/**
 * Everything `status` needs, in one round of parallel lists (no request per pod): the
 * namespace check, pods, and the Deployments, StatefulSets, Services and ConfigMaps that
 * summarise the workloads and lead to their dependencies. namespace null = every namespace.
 */
export async function gatherStatus(api: KubeApi, namespace: string | null): Promise<StatusSnapshot> {
  const gaps = new Gaps();
  const optional = <T>(what: string, path: string) =>
    gaps.read({ what, piece: 'owner' }, `GET ${path}`, api.list<T>(path)).then((l) => l?.items ?? []);
  const podsPath = paths.pods(namespace);
  const [, pods, deployments, statefulSets, services, configMaps] = await Promise.all([
    namespace === null ? Promise.resolve() : assertNamespace(api, namespace),
    api.list<Pod>(podsPath),
    optional<Deployment>('deployments', paths.deployments(namespace)),
    optional<StatefulSet>('statefulsets', paths.statefulsets(namespace)),
    optional<Service>('services', paths.services(namespace)),
    optional<ConfigMap>('configmaps', paths.configmaps(namespace)),
  ]);
  const ns = (o: { metadata: { namespace?: string } }) => o.metadata.namespace ?? namespace ?? '';
  return {
    pods: pods.items,
    deployments, statefulSets, services,
    configMaps: new Map(configMaps.map((c) => [`${ns(c)}/${c.metadata.name}`, c.data ?? {}])),
    podsResourceVersion: pods.metadata.resourceVersion,
    gaps: gaps.list,
  };
}

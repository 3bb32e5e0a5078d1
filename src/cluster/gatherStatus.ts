import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import { Gaps } from './gaps';
import { clusterError } from '../errors';
import type { Gap } from './snapshot';
import type { Container, ContainerState, ContainerStatus, Deployment, Pod, Service, StatefulSet } from '../kube/types';

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


const containerFields = ({ name, image, env, envFrom }: Container): Container => ({ name, image, env, envFrom });
/** A termination's message can run to 4 KiB a container; status shows its reason, code and time. */
const stateFields = (s: ContainerState | undefined): ContainerState | undefined => s && {
  waiting: s.waiting && { reason: s.waiting.reason },
  running: s.running && {},
  terminated: s.terminated && { exitCode: s.terminated.exitCode, signal: s.terminated.signal, reason: s.terminated.reason, finishedAt: s.terminated.finishedAt },
};
const statusFields = (c: ContainerStatus): ContainerStatus =>
  ({ name: c.name, ready: c.ready, restartCount: c.restartCount, state: stateFields(c.state), lastState: stateFields(c.lastState) });

/**
 * A pod reduced to what status shows and judges: summarizePod (phase, reason, container
 * states and restarts, the container count, node, IP, images, age, deletion) and the
 * dependency search (labels, the containers' env and envFrom). Managed fields, probes,
 * resources, volumes and conditions are most of a pod and none of the output.
 */
export function statusPodFields(p: Pod): Pod {
  const { name, namespace, labels, creationTimestamp, deletionTimestamp } = p.metadata;
  const st = p.status;
  return {
    metadata: { name, namespace, labels, creationTimestamp, deletionTimestamp },
    spec: { containers: p.spec.containers.map(containerFields), initContainers: p.spec.initContainers?.map(containerFields), nodeName: p.spec.nodeName },
    status: st && {
      phase: st.phase, reason: st.reason, podIP: st.podIP,
      containerStatuses: st.containerStatuses?.map(statusFields),
      initContainerStatuses: st.initContainerStatuses?.map(statusFields),
    },
  };
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
    api.listProjected<Pod, Pod>(podsPath, statusPodFields),
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

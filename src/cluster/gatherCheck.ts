import { ApiError, type KubeApi } from './api';
import { CliError } from '../errors';
import { Gaps } from './gaps';
import { assertNamespace } from './gatherStatus';
import { paths } from './paths';
import { readReference } from './readNamedObjects';
import { referenceKey } from './snapshot';
import type { Deployment, Pod, PodDisruptionBudget, PodMetrics, PrometheusRule, ReplicaSet, StatefulSet } from '../kube/types';

/**
 * What was learnt of something the cluster holds: read; not served by this cluster (a 404 on
 * an API group: a CRD not installed, metrics-server absent); or not readable (forbidden, timed
 * out, the cluster not reachable), which `check` never takes for a pass.
 */
export type Reading<T> = { state: 'read'; value: T } | { state: 'not served' } | { state: 'unreadable'; reason: string };

export const read = <T>(value: T): Reading<T> => ({ state: 'read', value });
export const unreadable = (reason: string): Reading<never> => ({ state: 'unreadable', reason });

/** Key names of a Secret or ConfigMap (never values); null when it does not exist. */
export type KeyNames = string[] | null;

/** What `check` reads of one namespace besides the workloads' own specs. */
export interface CheckCluster {
  deployments: Reading<Deployment[]>;
  statefulSets: Reading<StatefulSet[]>;
  pods: Reading<Pod[]>;
  replicaSets: Reading<ReplicaSet[]>;
  pdbs: Reading<PodDisruptionBudget[]>;
  alertRules: Reading<PrometheusRule[]>;
  metrics: Reading<PodMetrics[]>;
  /** Why nothing could be read (the cluster did not answer); null when it did. */
  unreachable: string | null;
}

/** Nothing could be read: the cluster did not answer (checking manifests away from it). */
export function clusterUnreachable(reason: string): CheckCluster {
  const r = unreadable(reason);
  return { deployments: r, statefulSets: r, pods: r, replicaSets: r, pdbs: r, alertRules: r, metrics: r, unreachable: reason };
}

async function reading<T>(gaps: Gaps, what: string, path: string, p: Promise<T>): Promise<Reading<T>> {
  try {
    return read(await p);
  } catch (e) {
    const reason = gaps.record({ what }, `GET ${path}`, e);
    return reason === 'not served' ? { state: 'not served' } : unreadable(reason);
  }
}

/**
 * PrometheusRules of every namespace (alerts usually live in the monitoring namespace); a
 * user who may not list them cluster-wide gets those of the namespace.
 */
async function alertRules(api: KubeApi, gaps: Gaps, ns: string): Promise<Reading<PrometheusRule[]>> {
  const all = paths.prometheusRules(null);
  try {
    return read((await api.list<PrometheusRule>(all)).items);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 403)) return reading(gaps, 'prometheusrules', all, Promise.reject(e));
  }
  const own = paths.prometheusRules(ns);
  return reading(gaps, 'prometheusrules', own, api.list<PrometheusRule>(own).then((l) => l.items));
}

/**
 * One round of parallel lists. `live`: the namespace and its workloads are the subject, so a
 * missing namespace or an unreadable Deployment list ends the command (exit 3); for
 * manifests they are context, and an unreachable cluster costs only what it would have told.
 */
export async function gatherCheck(api: KubeApi, ns: string, live: boolean): Promise<CheckCluster> {
  if (live) await assertNamespace(api, ns);
  else {
    try {
      await api.get(paths.namespace(ns));
    } catch (e) {
      // 404: a namespace the manifests will create; 403: no cluster-wide get. Both answered.
      if (!(e instanceof ApiError && (e.code === 404 || e.code === 403))) {
        if (e instanceof CliError && e.kind === 'cluster') return clusterUnreachable(`not read, the cluster did not answer (${e.message})`);
        throw e;
      }
    }
  }
  const gaps = new Gaps();
  const items = <T>(what: string, path: string) => reading(gaps, what, path, api.list<T>(path).then((l) => l.items));
  const workloads = <T>(what: string, path: string) => (live ? api.list<T>(path).then((l) => read(l.items)) : items<T>(what, path));
  const [deployments, statefulSets, pods, replicaSets, pdbs, rules, metrics] = await Promise.all([
    workloads<Deployment>('deployments', paths.deployments(ns)),
    workloads<StatefulSet>('statefulsets', paths.statefulsets(ns)),
    items<Pod>('pods', paths.pods(ns)),
    items<ReplicaSet>('replicasets', paths.replicasets(ns)),
    items<PodDisruptionBudget>('poddisruptionbudgets', paths.podDisruptionBudgets(ns)),
    alertRules(api, gaps, ns),
    items<PodMetrics>('pod metrics', paths.podMetrics(ns)),
  ]);
  return { deployments, statefulSets, pods, replicaSets, pdbs, alertRules: rules, metrics, unreachable: null };
}

/** The second round: key names of the Secrets and ConfigMaps the workloads read, by `Kind/name`. */
export async function gatherKeys(api: KubeApi, ns: string, refs: { kind: 'Secret' | 'ConfigMap'; name: string }[]): Promise<Map<string, Reading<KeyNames>>> {
  const gaps = new Gaps();
  const out = new Map<string, Reading<KeyNames>>();
  await Promise.all(refs.map(async (ref) => {
    const r = await readReference(api, gaps, ns, ref);
    const key = referenceKey(ref);
    out.set(key, r.exists === null ? unreadable(gaps.list.find((g) => g.key === key)?.reason ?? 'not read') : read(r.exists ? r.keys ?? [] : null));
  }));
  return out;
}

import { isNotFound, type KubeApi } from './api';
import { paths } from './paths';
import { clusterError, usageError } from '../errors';
import { didYouMean } from '../kube/nearest';
import { DEFAULT_DEPLOYMENT } from '../kube/selector';
import { checkTarget } from '../kube/target';
import type { Deployment, List, Pod, ReplicaSet } from '../kube/types';

/**
 * TARGET of fix/rollback/emergency: `deployment/NAME`, a pod (its Deployment found through
 * its ReplicaSet's ownerReferences), or nothing (the backend).
 */
export async function resolveDeployment(api: KubeApi, ns: string, target: string | undefined): Promise<Deployment> {
  const checked = checkTarget(target ?? `deployment/${DEFAULT_DEPLOYMENT}`);
  if (!checked.ok) throw usageError(checked.problem.message, checked.problem.hint);
  const t = checked.value;
  if (t.kind === 'deployment') return getDeployment(api, ns, t.name);
  let pod: Pod;
  try {
    pod = await api.get<Pod>(paths.pod(ns, t.name));
  } catch (e) {
    if (isNotFound(e)) {
      throw clusterError(`pod "${t.name}" not found in namespace "${ns}"`,
        (await suggestion(api, paths.pods(ns), t.name, (n) => n)) ?? 'name a pod from kubectl dhakacart status, or deployment/NAME');
    }
    throw e;
  }
  const rsRef = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
  if (!rsRef) throw usageError(`pod ${t.name} is not owned by a Deployment's ReplicaSet`, 'these commands change Deployments; name one as deployment/NAME');
  const rs = await api.get<ReplicaSet>(paths.replicaset(ns, rsRef.name));
  const depRef = rs.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
  if (!depRef) throw usageError(`replicaset ${rs.metadata.name} of pod ${t.name} is not owned by a Deployment`);
  return getDeployment(api, ns, depRef.name);
}

export async function getDeployment(api: KubeApi, ns: string, name: string): Promise<Deployment> {
  try {
    return await api.get<Deployment>(paths.deployment(ns, name));
  } catch (e) {
    if (isNotFound(e)) {
      throw clusterError(`deployment "${name}" not found in namespace "${ns}"`,
        (await suggestion(api, paths.deployments(ns), name, (n) => `deployment/${n}`)) ?? `list them with: kubectl get deployments -n ${ns}`);
    }
    throw e;
  }
}

/**
 * "did you mean ...?" from the names in the namespace. Only a hint: when the list itself
 * fails (forbidden, timeout) the not-found error stands without one.
 */
async function suggestion(api: KubeApi, listPath: string, name: string, spell: (n: string) => string): Promise<string | null> {
  try {
    const names = (await api.get<List<{ metadata: { name: string } }>>(listPath, { limit: 500 })).items.map((o) => o.metadata.name);
    return didYouMean(name, names, spell);
  } catch {
    return null;
  }
}

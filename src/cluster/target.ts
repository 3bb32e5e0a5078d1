import { paths, isNotFound, type KubeApi } from './api';
import { clusterError, usageError } from '../errors';
import { DEFAULT_DEPLOYMENT } from '../kube/selector';
import type { Deployment, Pod, ReplicaSet } from '../kube/types';

/**
 * TARGET of fix/rollback/emergency: `deployment/NAME`, a pod (its Deployment found through
 * its ReplicaSet's ownerReferences), or nothing (the backend).
 */
export async function resolveDeployment(api: KubeApi, ns: string, target: string | undefined): Promise<Deployment> {
  const t = target ?? `deployment/${DEFAULT_DEPLOYMENT}`;
  const m = /^(?:deployments?|deploy)(?:\.apps)?\/(.+)$/.exec(t);
  if (m) return getDeployment(api, ns, m[1]!);
  if (t.includes('/')) throw usageError(`unsupported target "${t}"`, 'use deployment/NAME or a pod name');
  let pod: Pod;
  try {
    pod = await api.get<Pod>(paths.pod(ns, t));
  } catch (e) {
    if (isNotFound(e)) throw clusterError(`pod "${t}" not found in namespace "${ns}"`, 'name a pod from kubectl dhakacart status, or deployment/NAME');
    throw e;
  }
  const rsRef = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
  if (!rsRef) throw usageError(`pod ${t} is not owned by a Deployment's ReplicaSet`, 'these commands change Deployments; name one as deployment/NAME');
  const rs = await api.get<ReplicaSet>(`${paths.replicasets(ns)}/${encodeURIComponent(rsRef.name)}`);
  const depRef = rs.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
  if (!depRef) throw usageError(`replicaset ${rs.metadata.name} of pod ${t} is not owned by a Deployment`);
  return getDeployment(api, ns, depRef.name);
}

export async function getDeployment(api: KubeApi, ns: string, name: string): Promise<Deployment> {
  try {
    return await api.get<Deployment>(paths.deployment(ns, name));
  } catch (e) {
    if (isNotFound(e)) throw clusterError(`deployment "${name}" not found in namespace "${ns}"`, `list them with: kubectl get deployments -n ${ns}`);
    throw e;
  }
}

import { usageError } from '../errors';
import { isFailureWaitingReason } from '../kube/podState';
import type { Container, ContainerStatus, Pod } from '../kube/types';
import { DEFAULT_CONTAINER_ANNOTATION } from '../remedy/container';

export interface Focus { name: string; init: boolean; spec: Container; status: ContainerStatus | null }


const completed = (st: ContainerStatus | null) => st?.state?.terminated?.exitCode === 0;
/** Native sidecars (init containers with restartPolicy Always) keep running beside the app. */
const isSidecar = (c: Container) => (c as Container & { restartPolicy?: string }).restartPolicy === 'Always';

/** How loudly a container is failing; 0 = not at all. */
function trouble(st: ContainerStatus | null): number {
  if (!st) return 0;
  if (isFailureWaitingReason(st.state?.waiting?.reason)) return 4;
  if ((st.state?.terminated?.exitCode ?? 0) !== 0) return 3;
  if (!st.ready && st.restartCount > 0) return 3;
  if (st.restartCount > 0) return 2;
  return st.ready ? 0 : 1;
}

/**
 * The container a diagnosis is about: the one asked for; else an init container that has
 * not completed (the app cannot start before it does); else the app container failing the
 * hardest (a healthy sidecar is never the focus); else kubectl's default container.
 */
export function pickFocus(pod: Pod, wanted?: string): Focus {
  const st = pod.status ?? {};
  const status = (list: ContainerStatus[] | undefined, name: string) => list?.find((c) => c.name === name) ?? null;
  const inits = (pod.spec.initContainers ?? []).map((spec) => ({ name: spec.name, init: true, spec, status: status(st.initContainerStatuses, spec.name) }));
  const mains = pod.spec.containers.map((spec) => ({ name: spec.name, init: false, spec, status: status(st.containerStatuses, spec.name) }));
  if (wanted) {
    const f = [...mains, ...inits].find((c) => c.name === wanted);
    if (!f) {
      const names = [...mains.map((c) => c.name), ...inits.map((c) => `${c.name} (init)`)].join(', ');
      throw usageError(`container ${wanted} is not valid for pod ${pod.metadata.name}`, `containers are: ${names}`);
    }
    return f;
  }
  const stuckInit = inits.find((c) => c.status && !completed(c.status) && (!isSidecar(c.spec) || trouble(c.status) >= 3));
  if (stuckInit) return stuckInit;
  const worst = [...mains].sort((a, b) => trouble(b.status) - trouble(a.status) || (b.status?.restartCount ?? 0) - (a.status?.restartCount ?? 0))[0]!;
  if (trouble(worst.status) > 0) return worst;
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  return mains.find((c) => c.name === annotated) ?? mains[0]!;
}

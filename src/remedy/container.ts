import { usageError } from '../errors';
import type { Container, Deployment } from '../kube/types';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * The container a fix applies to: --container, else kubectl's default-container
 * annotation, else the only container, else the contract's `backend`.
 */
export function pickContainer(dep: Deployment, wanted: string | undefined): Container {
  const containers = dep.spec.template.spec.containers;
  const names = containers.map((c) => c.name).join(', ');
  const byName = (n: string) => containers.find((c) => c.name === n);
  if (wanted) {
    const c = byName(wanted);
    if (!c) throw usageError(`container "${wanted}" not found in deployment ${dep.metadata.name}; containers are: ${names}`, 'pass one of those to --container');
    return c;
  }
  const annotated = dep.spec.template.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  const c = (annotated && byName(annotated)) || (containers.length === 1 ? containers[0] : byName('backend'));
  if (!c) throw usageError(`deployment ${dep.metadata.name} has several containers (${names})`, 'pass --container NAME');
  return c;
}

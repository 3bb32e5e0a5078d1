import { connect } from './connect';
import { paths } from './paths';

/** What shell completion names: the objects it lists, and how it reaches the cluster (the words typed so far). */
export type NameKind = 'pods' | 'deployments' | 'namespaces' | 'contexts';
export interface Connection { kubeconfig?: string; context?: string; namespace?: string }

/** The names of one kind, sorted; contexts come from the kubeconfig, the rest from one list request. */
export async function listNames(kind: NameKind, conn: Connection & { namespace: string }, requestTimeoutMs: number): Promise<string[]> {
  if (kind === 'contexts') {
    const { listContexts } = await import('./kubeconfig');
    return listContexts({ kubeconfig: conn.kubeconfig });
  }
  const { namespace } = conn;
  const api = connect({ kubeconfig: conn.kubeconfig, context: conn.context, namespace, requestTimeoutMs });
  const path = kind === 'pods' ? paths.pods(namespace) : kind === 'deployments' ? paths.deployments(namespace) : paths.namespaces();
  const list = await api.list<{ metadata: { name: string } }>(path);
  return list.items.map((i) => i.metadata.name).sort();
}

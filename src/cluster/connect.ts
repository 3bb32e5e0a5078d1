import { KubeApi } from './api';
import { loadKubeconfig, type KubeconfigFlags } from './kubeconfig';
import { Transport } from './transport';

export interface ConnectOptions extends KubeconfigFlags { namespace: string; requestTimeoutMs: number }

/** Kubeconfig → one API handle bound to the selected context and namespace. */
export function connect(opts: ConnectOptions): KubeApi {
  const loaded = loadKubeconfig(opts);
  const transport = new Transport(loaded.kc, opts.requestTimeoutMs, loaded.impersonateGroups);
  return new KubeApi(transport, { context: loaded.context, server: loaded.server, namespace: opts.namespace });
}

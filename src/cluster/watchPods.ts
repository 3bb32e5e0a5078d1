import { paths, type KubeApi } from './api';
import type { Pod } from '../kube/types';

export type PodEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: Pod };

interface WatchStatus { kind?: string; code?: number }

/**
 * Follows pod changes from resourceVersion until `signal` aborts: re-opens the watch when
 * the server or client-node's idle timer closes it, and relists when the version is too
 * old (410 Expired arrives as an ERROR event, not as a failure).
 */
export async function watchPods(api: KubeApi, namespace: string, labelSelector: string | undefined, fromVersion: string | undefined,
  onEvent: (e: PodEvent) => void, signal: AbortSignal): Promise<void> {
  let rv = fromVersion;
  while (!signal.aborted) {
    if (!rv) {
      const list = await api.list<Pod>(paths.pods(namespace), { labelSelector });
      for (const pod of list.items) onEvent({ type: 'MODIFIED', pod });
      rv = list.metadata.resourceVersion;
    }
    const ended = await new Promise<'gone' | 'closed'>((resolve, reject) => {
      let gone = false;
      api.watch(paths.pods(namespace), { labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 },
        (type, obj) => {
          if (type === 'ERROR') { if ((obj as WatchStatus)?.code === 410) gone = true; return; }
          const pod = obj as Pod;
          rv = pod.metadata?.resourceVersion ?? rv;
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') onEvent({ type, pod });
        },
        (err) => resolve(gone || (err as { statusCode?: number })?.statusCode === 410 ? 'gone' : 'closed'))
        .then((ctl) => signal.addEventListener('abort', () => { ctl.abort(); resolve('closed'); }, { once: true }), reject);
    });
    if (ended === 'gone') rv = undefined;
    else if (!signal.aborted) await new Promise((r) => setTimeout(r, 500));
  }
}

import { CliError } from '../errors';
import type { Pod } from '../kube/types';
import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import { sleep } from './interrupt';
import { backoffMs } from './retryPolicy';

export type PodEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: Pod };

interface WatchStatus { kind?: string; code?: number }

/** Watches in a row that ended at once without an event before we stop re-opening. */
const MAX_EMPTY_WATCHES = 10;
/** A watch shorter than this that brought nothing counts as empty (a server that closes at once). */
const EMPTY_WATCH_MS = 1_000;
/** 410 relists in a row (no event in between) before we give up: each relist should give a fresh version. */
const MAX_RELISTS = 3;

/**
 * Follows pod changes from resourceVersion until `signal` aborts: re-opens the watch when
 * the server closes it or the stream drops, and relists when the version is too old (410
 * Expired, as an ERROR event or as the open's answer). Re-opens back off and are bounded:
 * a server that keeps closing the watch at once ends it with an error.
 */
export async function watchPods(api: KubeApi, namespace: string, labelSelector: string | undefined, fromVersion: string | undefined,
  onEvent: (e: PodEvent) => void, signal: AbortSignal): Promise<void> {
  let rv = fromVersion;
  let empty = 0;
  let relists = 0;
  while (!signal.aborted) {
    if (!rv) {
      if (++relists > MAX_RELISTS) throw new CliError('cluster', `the pod watch in ${namespace} keeps expiring (410 Gone) right after a fresh list`, 'the API server\'s watch cache is unhealthy; try again later');
      const list = await api.list<Pod>(paths.pods(namespace), { labelSelector });
      for (const pod of list.items) onEvent({ type: 'MODIFIED', pod });
      rv = list.metadata.resourceVersion;
    }
    let events = 0;
    let gone = false;
    const started = Date.now();
    try {
      await api.watch(paths.pods(namespace), { labelSelector, resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 300 }, (type, obj) => {
        if (type === 'ERROR') { if ((obj as WatchStatus)?.code === 410) gone = true; return; }
        const pod = obj as Pod;
        rv = pod?.metadata?.resourceVersion ?? rv;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') { events++; onEvent({ type, pod }); }
      }, signal);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 410)) throw e;
      gone = true;
    }
    if (signal.aborted) return;
    if (events > 0) relists = 0;
    if (gone) { rv = undefined; continue; }
    empty = events === 0 && Date.now() - started < EMPTY_WATCH_MS ? empty + 1 : 0;
    if (empty >= MAX_EMPTY_WATCHES) throw new CliError('cluster', `the pod watch in ${namespace} closed ${empty} times in a row without an event`, 'the API server or a proxy in front of it is dropping watches; status without --watch still works');
    await sleep(backoffMs(empty + 1, Math.random()), signal).catch(() => undefined);
  }
}

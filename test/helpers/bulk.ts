import type { Pod } from '../../src/kube/types';
import type { Sim } from '../sim/index';

/**
 * Grows a simulated cluster to scale: n copies of a namespace's pods (those `pick` keeps;
 * all by default, so the scenario's healthy-to-failing mix is kept), taken in turn, into
 * `into` (default: the same namespace). Names end in -bulk-<i>.
 */
export function addPods(sim: Sim, namespace: string, n: number, pick: (p: Pod) => boolean = () => true, into = namespace): void {
  const templates = sim.store.list('pods', namespace).filter((p) => pick(p as unknown as Pod));
  if (!templates.length) throw new Error(`no pods in ${namespace} to copy`);
  for (let i = 0; i < n; i++) {
    const p = structuredClone(templates[i % templates.length]!);
    p.metadata = { ...p.metadata, namespace: into, name: `${p.metadata.name}-bulk-${i}`, uid: undefined, resourceVersion: undefined };
    sim.store.create('pods', p);
  }
}

/**
 * Sequential rounds of a request log: the longest chain of requests each of which started
 * after the one before it had been answered (requests that overlap could not depend on
 * each other). An upper bound on the round trips the client waited for one after another.
 */
export function sequentialRounds(reqs: { at: number; ms: number }[]): number {
  const sorted = [...reqs].sort((a, b) => a.at - b.at);
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.at + sorted[j]!.ms <= r.at) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
  });
  return Math.max(0, ...depth);
}

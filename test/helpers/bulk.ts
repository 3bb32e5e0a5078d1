import type { Sim } from '../sim/index';

/**
 * Grows a simulated namespace to scale: n copies of its pods, taken in turn, so the
 * healthy-to-failing mix of the scenario is kept. Names end in -bulk-<i>.
 */
export function addPods(sim: Sim, namespace: string, n: number): void {
  const templates = sim.store.list('pods', namespace);
  if (!templates.length) throw new Error(`no pods in ${namespace} to copy`);
  for (let i = 0; i < n; i++) {
    const p = structuredClone(templates[i % templates.length]!);
    p.metadata = { ...p.metadata, name: `${p.metadata.name}-bulk-${i}`, uid: undefined, resourceVersion: undefined };
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

import type { Diagnosis } from '../diagnose/diagnosis';

/** One failing pod (or workload) of one cluster, with the release it runs. */
export interface Failure { diagnosis: Diagnosis; revision: number | null; image: string | null }
export interface ClusterFailures { context: string; failures: Failure[] }

/** A failure several clusters share: the same workload failing for the same cause on the same release. */
export interface SameFailure {
  cause: Diagnosis['cause'];
  namespace: string;
  /** `deployment/NAME`, `statefulset/NAME`, or `pod/NAME` for a bare pod. */
  workload: string;
  container: string | null;
  image: string | null;
  /** The revisions the failing pods run, ascending (one when the release is the same everywhere). */
  revisions: number[];
  contexts: string[];
  /** The diagnosis of the first pod found failing so: the others read the same. */
  diagnosis: Diagnosis;
}

const workloadOf = (d: Diagnosis) => d.owner ?? (d.pod.includes('/') ? d.pod : `pod/${d.pod}`);

/**
 * Failures that are one across clusters: same cause, namespace, workload and container, and the
 * same release (the image when known, else the revision). A bad release rolled out everywhere
 * is then one finding with its clusters, not one per cluster; pods failing alike in one
 * cluster count it once. Most clusters first, then as the clusters were given.
 */
export function sameFailures(clusters: readonly ClusterFailures[]): SameFailure[] {
  const groups = new Map<string, SameFailure>();
  for (const { context, failures } of clusters) {
    for (const { diagnosis: d, revision, image } of failures) {
      const key = JSON.stringify([d.cause, d.namespace, workloadOf(d), d.container, image ?? `revision ${revision ?? 'unknown'}`]);
      const same = groups.get(key);
      if (!same) {
        groups.set(key, { cause: d.cause, namespace: d.namespace, workload: workloadOf(d), container: d.container, image, revisions: revision === null ? [] : [revision], contexts: [context], diagnosis: d });
        continue;
      }
      if (!same.contexts.includes(context)) same.contexts.push(context);
      if (revision !== null && !same.revisions.includes(revision)) same.revisions = [...same.revisions, revision].sort((a, b) => a - b);
    }
  }
  return [...groups.values()].sort((a, b) => b.contexts.length - a.contexts.length);
}

/** "the same OOM in 3 of 5 clusters since revision 12": one line for a shared failure. */
export function sameFailureLine(s: SameFailure, answered: number): string {
  const cause = s.cause.toUpperCase();
  const where = s.contexts.length === 1 ? `in 1 of ${answered} cluster${answered === 1 ? '' : 's'} (${s.contexts[0]})` : `the same ${cause} in ${s.contexts.length} of ${answered} clusters (${s.contexts.join(', ')})`;
  const since = s.revisions.length === 1 ? ` since revision ${s.revisions[0]}` : s.revisions.length > 1 ? ` at revisions ${s.revisions.join(', ')}` : '';
  const image = s.image ? `, image ${s.image}` : '';
  const head = s.contexts.length === 1 ? `${cause} ${where}` : where;
  return `${s.workload} in ${s.namespace}: ${head}${since}${image}`;
}

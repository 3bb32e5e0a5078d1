import { clusterError, usageError } from '../errors';
import { revisionOf } from '../kube/deployment';
import { diffLeaves, ownedReplicaSets, templatesEqual, withoutHash } from '../kube/template';
import type { Deployment, ReplicaSet } from '../kube/types';
import { CHANGE_CAUSE, type Plan } from './plan';

/** Annotations a rollback keeps from the Deployment rather than copying from the ReplicaSet (kubectl's annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** Set by the deployment controller on a ReplicaSet brought back by a rollback: the revisions it had before. */
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';

/** The revisions the current ReplicaSet had before a rollback (or a return to its template) brought it back; null if it is new. */
export function broughtBackFrom(dep: Deployment, replicaSets: ReplicaSet[]): string | null {
  const current = ownedReplicaSets(dep, replicaSets).find((rs) => templatesEqual(rs.spec.template, dep.spec.template));
  return current?.metadata.annotations?.[REVISION_HISTORY] ?? null;
}

/** The rollback this plugin already made, when it is still what runs: the last recorded change is ours and brought an old ReplicaSet back. */
function ownEarlierRollback(dep: Deployment, replicaSets: ReplicaSet[]): { cause: string; history: string } | null {
  const cause = dep.metadata.annotations?.[CHANGE_CAUSE] ?? '';
  if (!cause.startsWith('kubectl dhakacart rollback')) return null;
  const history = broughtBackFrom(dep, replicaSets);
  return history ? { cause, history } : null;
}

/**
 * kubectl's deploymentRevision: the ReplicaSet with the given revision, or with the
 * second-highest revision when none is given.
 */
export function rollbackTarget(dep: Deployment, replicaSets: ReplicaSet[], toRevision: number): ReplicaSet {
  if (toRevision < 0) throw usageError(`unable to find specified revision ${toRevision} in history`);
  let latest: ReplicaSet | undefined, latestRev = -1, prev: ReplicaSet | undefined, prevRev = -1;
  for (const rs of ownedReplicaSets(dep, replicaSets)) {
    const v = revisionOf(rs);
    if (v === null) continue;
    if (toRevision > 0) {
      if (v === toRevision) return rs;
    } else if (v > latestRev) {
      [prev, prevRev, latest, latestRev] = [latest, latestRev, rs, v];
    } else if (v > prevRev) {
      [prev, prevRev] = [rs, v];
    }
  }
  if (toRevision > 0) throw usageError(`unable to find specified revision ${toRevision} in history`, `list revisions with: kubectl rollout history deployment/${dep.metadata.name}`);
  if (!prev) throw clusterError(`no rollout history found for deployment "${dep.metadata.name}"`, 'there is no earlier revision to go back to');
  return prev;
}

/** The same JSON patch `kubectl rollout undo` sends: the old template, and the annotations merged its way. */
export function planRollback(dep: Deployment, replicaSets: ReplicaSet[], toRevision: number): Plan {
  const name = dep.metadata.name;
  if (dep.spec.paused) {
    throw clusterError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  }
  const base = { action: 'rollback', deployment: name, warnings: [] as string[] };
  const earlier = toRevision === 0 ? ownEarlierRollback(dep, replicaSets) : null;
  if (earlier) {
    return {
      ...base, changes: [], patch: null, expect: {}, rollout: false,
      noop: `deployment ${name} was already rolled back by '${earlier.cause}': revision ${revisionOf(dep)} runs the template of revision ${earlier.history} again. `
        + `Another plain rollback would roll forward to the revision it undid; to go further back pass --to-revision N (kubectl rollout history deployment/${name})`,
    };
  }
  const rs = rollbackTarget(dep, replicaSets, toRevision);
  const rev = revisionOf(rs);
  if (templatesEqual(rs.spec.template, dep.spec.template)) {
    return { ...base, changes: [], patch: null, expect: {}, rollout: false, noop: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = withoutHash(rs.spec.template);
  const annotations: Record<string, string> = {};
  const depAnn = dep.metadata.annotations ?? {};
  for (const k of ANNOTATIONS_TO_SKIP) if (depAnn[k] !== undefined) annotations[k] = depAnn[k];
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const changes = diffLeaves(dep.spec.template, template, 'spec.template');
  changes.unshift({ path: 'spec.template', from: `revision ${revisionOf(dep)}`, to: `revision ${rev}` });
  // The change-cause is the one row left out: every change sets it to its own command line.
  for (const k of [...new Set([...Object.keys(depAnn), ...Object.keys(annotations)])].sort()) {
    if (k !== CHANGE_CAUSE && depAnn[k] !== annotations[k]) changes.push({ path: `metadata.annotations[${k}]`, from: depAnn[k] ?? null, to: annotations[k] ?? null });
  }
  return {
    ...base,
    changes,
    patch: { type: 'json', body: [{ op: 'replace', path: '/spec/template', value: template }, { op: 'replace', path: '/metadata/annotations', value: annotations }] },
    expect: { template },
    rollout: true,
    noop: null,
  };
}

import { clusterError, usageError } from '../errors';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { humanDuration } from '../kube/duration';
import { DEFAULT_HEALTH_WINDOW_MS, summarizePod } from '../kube/podState';
import { diffLeaves, ownedReplicaSets, templatesEqual, withoutHash } from '../kube/template';
import type { Deployment, KubeEvent, Pod, ReplicaSet } from '../kube/types';
import { type Plan } from './plan';

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
  const cause = dep.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
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

/**
 * A revision that was the current one this long with no failure on record ran healthy. The
 * same half hour in which `why` lays a failure at a rollout's door (diagnose/change.ts).
 */
export const SETTLED_MS = 30 * 60_000;

/** Failure events of a revision's pods: the kubelet's words for a crash, a probe kill, a failed pull or start. */
const FAILURE_EVENT = (e: KubeEvent) => e.reason === 'BackOff' && /restarting failed container/i.test(e.message ?? '')
  || e.reason === 'Killing' && /failed (liveness|startup) probe/i.test(e.message ?? '')
  || e.reason === 'Failed' || e.reason === 'Unhealthy' && /^(Liveness|Startup) probe/i.test(e.message ?? '');

export interface RevisionOutcome {
  revision: number;
  replicaSet: ReplicaSet;
  outcome: 'healthy' | 'failing' | 'unknown';
  /** Why, in words: `4 pods available now`, `its pods crashed (BackOff x12)`. */
  why: string;
}

/** What the cluster still shows about a revision's run: its pods now, its pods' events, and how long it was the current one. */
export interface RunRecord { pods: Pod[]; events: KubeEvent[]; now: number }

const timeOf = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '');
const ownedBy = (p: Pod, rs: ReplicaSet) => (p.metadata.ownerReferences ?? []).some((o) => o.controller && o.kind === 'ReplicaSet' && (o.uid && rs.metadata.uid ? o.uid === rs.metadata.uid : o.name === rs.metadata.name));
const failingNow = (p: Pod, now: number) => !summarizePod(p, { now, windowMs: DEFAULT_HEALTH_WINDOW_MS }).healthy;

/**
 * Each revision's outcome where the cluster still shows it, newest first. Failing: a pod of it
 * fails now, or its pods' events say they crashed, were killed by a probe or failed to start.
 * Healthy: pods of it are available now and none fails, or it was the current revision for
 * SETTLED_MS with no failure on record. Anything else (replaced within minutes, no events
 * left) is unknown: a rollback does not aim at it.
 */
export function revisionOutcomes(dep: Deployment, replicaSets: ReplicaSet[], record: RunRecord): RevisionOutcome[] {
  const history = ownedReplicaSets(dep, replicaSets)
    .map((rs) => ({ rs, rev: revisionOf(rs) }))
    .filter((h): h is { rs: ReplicaSet; rev: number } => h.rev !== null)
    .sort((a, b) => b.rev - a.rev);
  return history.map(({ rs, rev }, i) => {
    const pods = record.pods.filter((p) => ownedBy(p, rs));
    const failing = pods.filter((p) => failingNow(p, record.now));
    const prefix = `${rs.metadata.name}-`;
    const crashes = record.events.filter((e) => (e.involvedObject.kind ?? 'Pod') === 'Pod' && e.involvedObject.name?.startsWith(prefix) && FAILURE_EVENT(e));
    const base = { revision: rev, replicaSet: rs };
    if (failing.length) return { ...base, outcome: 'failing' as const, why: `${failing.length} of its pods fail now (${failing.map((p) => p.metadata.name).slice(0, 3).join(', ')})` };
    if (crashes.length) {
      const reasons = [...new Set(crashes.map((e) => e.reason))].join(', ');
      return { ...base, outcome: 'failing' as const, why: `its pods failed (${reasons} events of ${[...new Set(crashes.map((e) => e.involvedObject.name))].slice(0, 2).join(', ')})` };
    }
    const available = rs.status?.availableReplicas ?? 0;
    if (available > 0 && pods.length) return { ...base, outcome: 'healthy' as const, why: `${available} pod${available > 1 ? 's' : ''} available now` };
    const newer = history[i - 1]?.rs;
    const from = timeOf(rs);
    const until = newer ? timeOf(newer) : record.now;
    const served = until - from;
    if (!Number.isNaN(served) && served >= SETTLED_MS) {
      return { ...base, outcome: 'healthy' as const, why: `it was the current revision for ${humanDuration(served)}${newer ? ` until revision ${revisionOf(newer)}` : ''} with no failure on record` };
    }
    return { ...base, outcome: 'unknown' as const, why: Number.isNaN(served) ? 'no creation time' : `it was current for only ${humanDuration(served)}, too short to tell` };
  });
}

/** The rollback's aim when no revision is named: the newest earlier revision that ran healthy, and why the newer ones were passed over. */
export interface RollbackAim { target: ReplicaSet; reason: string; knownHealthy: boolean }

export function healthyTarget(dep: Deployment, replicaSets: ReplicaSet[], record: RunRecord): RollbackAim {
  const fallback = rollbackTarget(dep, replicaSets, 0);
  const earlier = revisionOutcomes(dep, replicaSets, record).filter((o) => !templatesEqual(o.replicaSet.spec.template, dep.spec.template));
  const pick = earlier.find((o) => o.outcome === 'healthy');
  const skipped = (until: number) => earlier.filter((o) => o.revision > until).map((o) => `revision ${o.revision} ${o.outcome === 'failing' ? 'failed too' : 'is not known to have run healthy'}: ${o.why}`);
  if (!pick) {
    return { target: fallback, knownHealthy: false, reason: `no earlier revision is known to have run healthy; going to the previous revision ${revisionOf(fallback)}, as kubectl rollout undo does` };
  }
  const passed = skipped(pick.revision);
  return { target: pick.replicaSet, knownHealthy: true, reason: `revision ${pick.revision} is the newest that ran healthy (${pick.why})${passed.length ? `; ${passed.join('; ')}` : ''}` };
}

/**
 * The same JSON patch `kubectl rollout undo` sends: the old template, and the annotations
 * merged its way. With no revision named and the run record given, the target is the newest
 * revision that ran healthy (healthyTarget), not merely the previous one; --to-revision N is
 * exactly kubectl's.
 */
export function planRollback(dep: Deployment, replicaSets: ReplicaSet[], toRevision: number, record?: RunRecord): Plan {
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
  const aim = toRevision === 0 && record ? healthyTarget(dep, replicaSets, record) : null;
  const rs = aim?.target ?? rollbackTarget(dep, replicaSets, toRevision);
  const rev = revisionOf(rs);
  if (aim) base.warnings.push(`going to revision ${rev}: ${aim.reason}`);
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
    if (k !== CHANGE_CAUSE_ANNOTATION && depAnn[k] !== annotations[k]) changes.push({ path: `metadata.annotations[${k}]`, from: depAnn[k] ?? null, to: annotations[k] ?? null });
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

import type { Snapshot } from '../cluster/snapshot';
import { eventCount, firstSeen, lastSeen } from '../diagnose/events';
import type { Diagnosis } from '../diagnose/diagnosis';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { ownedReplicaSets } from '../kube/template';
import type { KubeEvent } from '../kube/types';

/** One line of the incident's timeline. */
export interface TimelineEntry {
  at: string;
  /** `event` (the API's events), `revision` (a ReplicaSet created: a rollout), `snapshot` (a why --save), `report` (now). */
  kind: 'event' | 'revision' | 'snapshot' | 'report';
  /** The object it is about: `pod/NAME`, `deployment/NAME`... */
  object: string | null;
  detail: string;
}

/** Normal events that mark a step of an incident; every Warning is kept. */
const NORMAL_MILESTONES = new Set(['ScalingReplicaSet', 'Killing', 'DeploymentRollback', 'Evicted', 'Preempted', 'TaintManagerEviction', 'NodeNotReady', 'RemovingNode']);

const eventKey = (e: KubeEvent) => e.metadata.uid ?? `${e.metadata.namespace}/${e.metadata.name}`;

/** The events of every snapshot once each (the newest copy: its count and last time), Warnings and milestones only. */
function incidentEvents(snaps: Snapshot[]): KubeEvent[] {
  const byKey = new Map<string, KubeEvent>();
  for (const s of snaps) {
    for (const e of [...s.events, ...s.nodeEvents]) {
      if (e.type !== 'Warning' && !NORMAL_MILESTONES.has(e.reason ?? '')) continue;
      const had = byKey.get(eventKey(e));
      if (!had || (lastSeen(had) ?? '') <= (lastSeen(e) ?? '')) byKey.set(eventKey(e), e);
    }
  }
  return [...byKey.values()];
}

function eventEntry(e: KubeEvent): TimelineEntry | null {
  const at = firstSeen(e);
  if (!at) return null;
  const n = eventCount(e);
  const last = lastSeen(e);
  const repeat = n > 1 ? ` (x${n}${last && last !== at ? `, last at ${last}` : ''})` : '';
  const kind = (e.involvedObject.kind ?? 'Pod').toLowerCase();
  return { at, kind: 'event', object: `${kind}/${e.involvedObject.name ?? '?'}`, detail: `${e.type === 'Warning' ? 'Warning ' : ''}${e.reason ?? 'Event'}${repeat}: ${e.message ?? ''}` };
}

/** Each ReplicaSet of a Deployment is a rollout: its revision, images and change-cause, at its creation. */
function revisionEntries(s: Snapshot): TimelineEntry[] {
  return s.deployments.flatMap((d) => ownedReplicaSets(d, s.replicaSets).flatMap((rs): TimelineEntry[] => {
    const at = rs.metadata.creationTimestamp;
    if (!at) return [];
    const images = rs.spec.template.spec.containers.map((c) => c.image).join(', ');
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    return [{ at, kind: 'revision', object: `deployment/${d.metadata.name}`, detail: `revision ${revisionOf(rs) ?? '?'} rolled out (ReplicaSet ${rs.metadata.name}, ${images})${cause ? `; change-cause: ${cause}` : ''}` }];
  }));
}

function snapshotEntry(file: string, s: Snapshot, ds: Diagnosis[]): TimelineEntry {
  const failing = ds.filter((d) => d.cause !== 'healthy');
  const what = failing.length ? failing.map((d) => `${d.pod} ${d.cause}`).join(', ') : 'nothing failing';
  return { at: s.capturedAt, kind: 'snapshot', object: null, detail: `why snapshot ${file}: ${what}` };
}

/**
 * The incident's timeline from every snapshot (the saved ones and the one read now): the
 * events, the rollouts (ReplicaSet creation times, with the change-causes the plugin and
 * others left), the moments `why` was saved; from `from` on, oldest first.
 */
export function buildTimeline(live: Snapshot, saved: { file: string; snapshot: Snapshot; diagnoses: Diagnosis[] }[], from: number): TimelineEntry[] {
  const snaps = [...saved.map((x) => x.snapshot), live];
  const seenRevisions = new Set<string>();
  const revisions = snaps.flatMap(revisionEntries).filter((e) => {
    const k = `${e.object} ${e.detail}`;
    return seenRevisions.has(k) ? false : (seenRevisions.add(k), true);
  });
  const entries = [
    ...incidentEvents(snaps).map(eventEntry).filter((e): e is TimelineEntry => e !== null),
    ...revisions,
    ...saved.map((x) => snapshotEntry(x.file, x.snapshot, x.diagnoses)),
  ];
  return entries.filter((e) => Date.parse(e.at) >= from).sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.kind.localeCompare(b.kind));
}

import { humanDuration } from '../kube/duration';
import type { KubeEvent, Pod } from '../kube/types';
import { sanitizeLogLine } from '../security/sanitize';
import type { Evidence } from './diagnosis';

/**
 * When an event was last seen. New-style events (the scheduler's FailedScheduling) have null
 * first/lastTimestamp and count; they carry eventTime and series instead.
 */
export function lastSeen(e: KubeEvent): string | null {
  return e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? null;
}

export function firstSeen(e: KubeEvent): string | null {
  return e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? lastSeen(e);
}

/** "count 0" of a singleton new-style event means once. */
export function eventCount(e: KubeEvent): number {
  return Math.max(e.count ?? 0, e.series?.count ?? 0) || 1;
}

const byLastSeen = (a: KubeEvent, b: KubeEvent) => (lastSeen(a) ?? '').localeCompare(lastSeen(b) ?? '');

/** Events about this pod (not an older pod of the same name: the uid must match when both carry one), oldest first. */
export function podEvents(events: KubeEvent[], pod: Pod): KubeEvent[] {
  const uid = pod.metadata.uid;
  return events
    .filter((e) => (e.involvedObject.kind ?? 'Pod') === 'Pod' && e.involvedObject.name === pod.metadata.name)
    .filter((e) => !uid || !e.involvedObject.uid || e.involvedObject.uid === uid)
    .sort(byLastSeen);
}

export const containerFieldPath = (name: string, init: boolean) => `spec.${init ? 'initContainers' : 'containers'}{${name}}`;

export function withReason(events: KubeEvent[], ...reasons: string[]): KubeEvent[] {
  return events.filter((e) => reasons.includes(e.reason ?? ''));
}

/** kubectl describe's way of showing a repeated event: `Killing (x3 over 10m): message`. */
export function eventEvidence(e: KubeEvent, now: number, source: Evidence['source'] = 'event'): Evidence {
  const n = eventCount(e);
  const first = firstSeen(e);
  const over = n > 1 && first ? ` over ${humanDuration(now - Date.parse(first))}` : '';
  const times = n > 1 ? ` (x${n}${over})` : '';
  return { source, detail: `${e.reason ?? 'Event'}${times}: ${sanitizeLogLine(e.message ?? '')}`, at: lastSeen(e) };
}

/** The event with the newest lastSeen, or undefined. */
export const newest = (events: KubeEvent[]): KubeEvent | undefined => [...events].sort(byLastSeen).at(-1);

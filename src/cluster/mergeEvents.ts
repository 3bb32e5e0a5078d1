import type { KubeEvent, ObjectMeta } from '../kube/types';

/** An events.k8s.io/v1 Event as served; the fields differ in name from core/v1. */
export interface NewApiEvent {
  metadata: ObjectMeta;
  regarding?: KubeEvent['involvedObject'];
  reason?: string;
  note?: string;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  deprecatedCount?: number;
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedSource?: { component?: string; host?: string };
  reportingController?: string;
}

function fromNewApi(e: NewApiEvent): KubeEvent {
  return {
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    count: e.deprecatedCount,
    firstTimestamp: e.deprecatedFirstTimestamp ?? null,
    lastTimestamp: e.deprecatedLastTimestamp ?? null,
    eventTime: e.eventTime ?? null,
    series: e.series,
    source: e.deprecatedSource,
    reportingController: e.reportingController,
  };
}

/**
 * Both APIs serve the same stored events; the newer one can carry events the older
 * list missed (and vice versa during an upgrade). Keep one per uid (name when no uid).
 */
export function mergeEvents(core: KubeEvent[], newer: NewApiEvent[]): KubeEvent[] {
  const key = (m: ObjectMeta) => m.uid ?? `${m.namespace}/${m.name}`;
  const seen = new Set(core.map((e) => key(e.metadata)));
  return [...core, ...newer.filter((e) => !seen.has(key(e.metadata))).map(fromNewApi)];
}

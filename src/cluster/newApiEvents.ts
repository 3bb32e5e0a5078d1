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

/**
 * events.k8s.io/v1 events in core/v1's shape. Both APIs are views of the same stored
 * events, so this list is read only when the core one could not be, and never merged.
 */
export function fromNewApi(events: NewApiEvent[]): KubeEvent[] {
  return events.map(toCore);
}

function toCore(e: NewApiEvent): KubeEvent {
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

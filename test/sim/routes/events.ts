// The events.k8s.io/v1 view of the core events the store keeps: both APIs serve the same objects.
import type { ResourceDef } from '../resources';
import type { KObj } from '../store';

export const isNewEvents = (def: ResourceDef) => def.storage === 'events' && def.group === 'events.k8s.io';

export function coreToNewEvent(e: KObj): KObj {
  const out: KObj = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata,
    eventTime: e.eventTime ?? null, reportingController: e.reportingComponent || e.source?.component || undefined,
    reportingInstance: e.reportingInstance || e.source?.host || undefined, action: e.action, reason: e.reason,
    regarding: e.involvedObject, related: e.related, note: e.message, type: e.type,
    deprecatedSource: e.source, deprecatedFirstTimestamp: e.firstTimestamp, deprecatedLastTimestamp: e.lastTimestamp, deprecatedCount: e.count,
  };
  if (e.series) out.series = e.series;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export function newToCoreEvent(e: KObj): KObj {
  const out: KObj = {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata, involvedObject: e.regarding ?? {}, reason: e.reason, message: e.note,
    source: e.deprecatedSource ?? {}, firstTimestamp: e.deprecatedFirstTimestamp ?? null, lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.deprecatedCount, type: e.type, eventTime: e.eventTime ?? null, series: e.series, action: e.action, related: e.related,
    reportingComponent: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

const NEW_EVENT_FIELDS: Record<string, string> = { reportingController: 'reportingComponent', deprecatedSource: 'source' };

/** An events.k8s.io field selector in the core event's field names. */
export function mapNewEventFieldSelector(sel: string | null): string | undefined {
  if (!sel) return undefined;
  return sel.split(',').map((p) => p.replace(/^\s*regarding\./, 'involvedObject.').replace(/^\s*(reportingController|deprecatedSource)/, (m) => NEW_EVENT_FIELDS[m.trim()]!)).join(',');
}

// The label and field selectors of a list, watch or deletecollection, as one predicate.
import { parseFieldSelector, parseLabelSelector } from '../selectors';
import type { KObj } from '../store';
import { mapNewEventFieldSelector } from './events';
import type { Target } from './target';

export function selectorsOf(t: Target, q: URLSearchParams): { filtered: boolean; match: (o: KObj) => boolean } {
  const label = parseLabelSelector(q.get('labelSelector') ?? undefined);
  const fieldSel = t.def.group === 'events.k8s.io' ? mapNewEventFieldSelector(q.get('fieldSelector')) : q.get('fieldSelector') ?? undefined;
  const field = parseFieldSelector(t.key, fieldSel);
  const name = t.name;
  return {
    filtered: !!(q.get('labelSelector') || q.get('fieldSelector')),
    match: (o) => (t.namespace === undefined || o.metadata.namespace === t.namespace) && (!name || o.metadata.name === name) && label(o.metadata.labels) && field(o),
  };
}

// Garbage collector: deletes objects whose controller owner (by uid) no longer exists
// (background propagation).
import type { ControllerContext } from './index';
import type { KObj } from '../store';
import { resourceForKind, storageKey } from '../resources';

export function garbageCollector({ store }: ControllerContext): boolean {
  const uids = new Set<string>();
  const all: [string, KObj][] = [];
  for (const key of store.keys()) for (const o of store.list(key)) { uids.add(o.metadata.uid!); all.push([key, o]); }
  let changed = false;
  for (const [key, o] of all) {
    const owners = o.metadata.ownerReferences ?? [];
    if (!owners.length) continue;
    // Only owners of kinds we serve are tracked; an owner of an unknown kind is left alone.
    const known = owners.filter((r) => resourceForKind(r.apiVersion, r.kind));
    if (known.length && known.every((r) => !uids.has(r.uid))) {
      const def = resourceForKind(known[0]!.apiVersion, known[0]!.kind)!;
      void storageKey(def);
      store.delete(key, o.metadata.namespace, o.metadata.name!);
      changed = true;
    }
  }
  return changed;
}

// Stored object ↔ the form a resource's API serves and accepts (apiVersion and kind, the events.k8s.io view).
import { apiVersionOf, type ResourceDef } from '../resources';
import type { KObj } from '../store';
import { coreToNewEvent, isNewEvents, newToCoreEvent } from './events';

export function toWire(def: ResourceDef, o: KObj): KObj {
  if (isNewEvents(def)) return coreToNewEvent(o);
  return { ...o, apiVersion: o.apiVersion ?? apiVersionOf(def), kind: o.kind ?? def.kind };
}

export function fromWire(def: ResourceDef, o: KObj): KObj {
  if (isNewEvents(def)) return newToCoreEvent(o);
  return { ...o, apiVersion: apiVersionOf(def), kind: def.kind };
}

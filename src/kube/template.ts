import { parseQuantity } from './quantity';
import type { Deployment, PodTemplateSpec, ReplicaSet } from './types';

export const POD_TEMPLATE_HASH = 'pod-template-hash';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Normal form for apimachinery's Semantic.DeepEqual as kubectl's rollback uses it: nil,
 * empty maps and empty lists are equal, and resource quantities compare by value.
 */
function normalize(v: unknown, underResources = false): Json | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => normalize(x) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      const n = underResources && typeof x === 'string' && parseQuantity(x) !== null
        ? String(parseQuantity(x))
        : normalize(x, k === 'limits' || k === 'requests');
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v as Json;
}

export function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(t);
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
  return copy;
}

/** kubectl's equalIgnoreHash. */
export function templatesEqual(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return JSON.stringify(normalize(withoutHash(a))) === JSON.stringify(normalize(withoutHash(b)));
}

/** ReplicaSets the Deployment controls (controller ownerReference with its uid), as kubectl's GetAllReplicaSets. */
export function ownedReplicaSets(dep: Deployment, all: ReplicaSet[]): ReplicaSet[] {
  return all.filter((rs) => (rs.metadata.ownerReferences ?? []).some((o) => o.controller && o.uid === dep.metadata.uid));
}

/** Leaf-level differences between two values, for showing a template change as from → to rows. */
export function diffLeaves(a: unknown, b: unknown, path: string, out: { path: string; from: string | number | boolean | null; to: string | number | boolean | null }[] = []) {
  const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (Array.isArray(a) || Array.isArray(b)) {
    const la = (Array.isArray(a) ? a : []) as unknown[];
    const lb = (Array.isArray(b) ? b : []) as unknown[];
    const named = [...la, ...lb].every((x) => isObj(x) && typeof x.name === 'string');
    const key = (x: unknown, i: number) => (named ? String((x as { name: string }).name) : String(i));
    const keys = [...new Set([...la.map(key), ...lb.map(key)])];
    for (const k of keys) diffLeaves(la.find((x, i) => key(x, i) === k), lb.find((x, i) => key(x, i) === k), `${path}[${k}]`, out);
  } else if (isObj(a) || isObj(b)) {
    const oa = isObj(a) ? a : {};
    const ob = isObj(b) ? b : {};
    for (const k of [...new Set([...Object.keys(oa), ...Object.keys(ob)])].sort()) diffLeaves(oa[k], ob[k], `${path}.${k}`, out);
  } else if (a !== b) {
    const leaf = (x: unknown) => (x === undefined || x === null ? null : (x as string | number | boolean));
    out.push({ path, from: leaf(a), to: leaf(b) });
  }
  return out;
}

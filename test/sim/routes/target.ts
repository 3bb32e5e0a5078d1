// A request path → the resource, namespace, name and subresource it addresses, and the verb.
import { findResource, isServed, storageKey, type ResourceDef } from '../resources';
import type { SimSettings } from '../settings';

export interface Target {
  def: ResourceDef; key: string; namespace?: string; name?: string; sub?: string; subpath: string; watchPath: boolean;
}

const NAMESPACE_SUBS = new Set(['status', 'finalize']);

/** undefined: not a served resource path (the server answers 404 page not found). */
export function parseTarget(path: string, settings: SimSettings): Target | undefined {
  const segs = path.split('/').filter((s) => s !== '').map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
  let group: string, version: string, i: number;
  if (segs[0] === 'api' && segs[1] === 'v1') { group = ''; version = 'v1'; i = 2; }
  else if (segs[0] === 'apis' && segs.length >= 4) { group = segs[1]!; version = segs[2]!; i = 3; }
  else return undefined;
  let watchPath = false;
  if (segs[i] === 'watch') { watchPath = true; i++; }
  let rest = segs.slice(i);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && NAMESPACE_SUBS.has(rest[2]!))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = findResource(group, version, rest[0] ?? '');
  if (!def) return undefined;
  if (!isServed(def, settings)) return undefined;
  if (def.namespaced === false && namespace !== undefined) return undefined;
  const sub = rest[2];
  if (sub && !(def.subresources ?? []).some((s) => s.name === sub)) return undefined;
  if (rest.length > 3 && sub !== 'proxy') return undefined;
  const t: Target = { def, key: storageKey(def), subpath: rest.slice(3).join('/') + (path.endsWith('/') && rest.length > 3 ? '/' : ''), watchPath };
  if (namespace !== undefined) t.namespace = namespace;
  if (rest[1] !== undefined) t.name = rest[1];
  if (sub !== undefined) t.sub = sub;
  return t;
}

/** The RBAC verb of a request. */
export function verbOf(method: string, t: Target, watch: boolean): string {
  switch (method) {
    case 'GET': case 'HEAD': return watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return t.name ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

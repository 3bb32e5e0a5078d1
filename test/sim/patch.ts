// Strategic-merge patch, RFC 7386 merge patch and RFC 6902 JSON patch, chosen by
// Content-Type as the API server does (415 for anything else).
/* eslint-disable @typescript-eslint/no-explicit-any */
import { StatusError, unsupportedMediaType } from './errors';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(x: T): T => structuredClone(x);

/** RFC 7386. */
export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  const out: Record<string, any> = isObj(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Patch merge keys of the built-in types, by field name (with a guess for `ports`). */
function mergeKeyFor(field: string, items: any[]): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'containerStatuses': case 'initContainerStatuses':
      return 'name';
    case 'volumeMounts': return 'mountPath';
    case 'volumeDevices': return 'devicePath';
    case 'conditions': return 'type';
    case 'hostAliases': return 'ip';
    case 'topologySpreadConstraints': return 'topologyKey';
    case 'ownerReferences': return 'uid';
    case 'ports': return items.some((i) => isObj(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default: return undefined;
  }
}
/** Lists of primitives merged as sets. */
const PRIMITIVE_MERGE = new Set(['finalizers']);

/** Strategic merge patch for built-in types. Supports `$patch: delete|replace|merge`, `$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…` and null deletes. */
export function strategicMergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return clone(patch);
  if (patch.$patch === 'replace') { const p = clone(patch); delete p.$patch; return stripDirectives(p); }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, any> = isObj(target) ? clone(target) : {};
  const retain: string[] | undefined = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$') && !k.startsWith('$deleteFromPrimitiveList/')) continue; // $patch, $retainKeys, $setElementOrder/…
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f])) out[f] = out[f].filter((x: unknown) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) { delete out[k]; continue; }
    if (Array.isArray(v)) {
      const key = mergeKeyFor(k, [...v, ...(Array.isArray(out[k]) ? out[k] : [])]);
      if (key) out[k] = mergeList(Array.isArray(out[k]) ? out[k] : [], v, key, patch[`$setElementOrder/${k}`]);
      else if (PRIMITIVE_MERGE.has(k)) out[k] = [...new Set([...(Array.isArray(out[k]) ? out[k] : []), ...v])];
      else out[k] = stripDirectives(clone(v));
      continue;
    }
    if (isObj(v)) {
      const r = strategicMergePatch(out[k], v);
      if (r === undefined) delete out[k]; else out[k] = r;
      continue;
    }
    out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function stripDirectives(v: any): any {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObj(v)) return v;
  const o: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) o[k] = stripDirectives(x);
  return o;
}

function mergeList(cur: any[], patch: any[], key: string, order?: any[]): any[] {
  if (patch.length === 1 && isObj(patch[0]) && patch[0].$patch === 'replace' && !(key in patch[0])) return [];
  const out = clone(cur);
  for (const item of patch) {
    if (!isObj(item)) continue;
    const idx = out.findIndex((c) => isObj(c) && c[key] === item[key]);
    if (item.$patch === 'delete') { if (idx >= 0) out.splice(idx, 1); continue; }
    if (idx >= 0) out[idx] = strategicMergePatch(out[idx], item);
    else out.push(stripDirectives(item));
  }
  if (Array.isArray(order)) {
    const pos = (x: any) => { const i = order.findIndex((o) => isObj(o) && o[key] === x[key]); return i < 0 ? order.length : i; };
    out.sort((a, b) => pos(a) - pos(b));
  }
  return out;
}

// ---- RFC 6902 -------------------------------------------------------------------------
const unprocessable = (m: string) => new StatusError(422, 'Invalid', m);

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`the server rejected our request due to an error in our request`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function resolve(doc: any, parts: string[], op: string, path: string): { parent: any; last: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
    if (cur === undefined) throw unprocessable(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, last: parts[parts.length - 1]! };
}

export function jsonPatch(doc: any, ops: any): any {
  if (!Array.isArray(ops)) throw new StatusError(400, 'BadRequest', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
  let out = clone(doc);
  const getAt = (path: string): any => {
    let cur = out;
    for (const p of pointer(path)) {
      cur = Array.isArray(cur) ? cur[Number(p)] : isObj(cur) ? cur[p] : undefined;
      if (cur === undefined) return undefined;
    }
    return cur;
  };
  for (const o of ops) {
    const op = o.op as string;
    const parts = pointer(o.path);
    const apply = (value: any, mode: 'add' | 'replace') => {
      if (parts.length === 0) { out = clone(value); return; }
      const { parent, last } = resolve(out, parts, op, o.path);
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        if (Number.isNaN(i) || i < 0 || i > parent.length || (mode === 'replace' && i >= parent.length)) throw unprocessable(`${op} operation does not apply: doc is missing path: "${o.path}": missing value`);
        if (mode === 'add') parent.splice(i, 0, clone(value)); else parent[i] = clone(value);
      } else if (isObj(parent)) {
        if (mode === 'replace' && !(last in parent)) throw unprocessable(`replace operation does not apply: doc is missing key: ${o.path}: missing value`);
        parent[last] = clone(value);
      } else throw unprocessable(`${op} operation does not apply: doc is missing path: "${o.path}": missing value`);
    };
    const remove = () => {
      const { parent, last } = resolve(out, parts, op, o.path);
      if (Array.isArray(parent)) {
        const i = Number(last);
        if (!(i >= 0 && i < parent.length)) throw unprocessable(`remove operation does not apply: doc is missing path: "${o.path}": missing value`);
        parent.splice(i, 1);
      } else if (isObj(parent) && last in parent) delete parent[last];
      else throw unprocessable(`remove operation does not apply: doc is missing path: "${o.path}": missing value`);
    };
    switch (op) {
      case 'add': apply(o.value, 'add'); break;
      case 'replace': apply(o.value, 'replace'); break;
      case 'remove': remove(); break;
      case 'move': case 'copy': {
        const v = getAt(o.from);
        if (v === undefined) throw unprocessable(`${op} operation does not apply: doc is missing from path: "${o.from}": missing value`);
        if (op === 'move') { const save = parts; const fromParts = pointer(o.from); const { parent, last } = resolve(out, fromParts, op, o.from); if (Array.isArray(parent)) parent.splice(Number(last), 1); else delete parent[last]; void save; }
        apply(v, 'add');
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(o.path)) !== JSON.stringify(o.value)) throw unprocessable(`testing value ${o.path} failed: test failed`);
        break;
      default:
        throw unprocessable(`Unexpected kind: ${op}`);
    }
  }
  return out;
}

export type PatchType = 'json' | 'merge' | 'strategic';
export function patchTypeOf(contentType: string | undefined): PatchType {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/json-patch+json') return 'json';
  if (ct === 'application/merge-patch+json') return 'merge';
  if (ct === 'application/strategic-merge-patch+json') return 'strategic';
  throw unsupportedMediaType(ct);
}

export function applyPatch(type: PatchType, doc: any, patch: any): any {
  if (type === 'json') return jsonPatch(doc, patch);
  if (!isObj(patch)) throw new StatusError(400, 'BadRequest', `error decoding patch: json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
  return type === 'merge' ? mergePatch(doc, patch) : strategicMergePatch(doc, patch);
}

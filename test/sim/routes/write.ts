// create, update (also of the status subresource), patch, delete and deletecollection.
import { StatusError, badRequest, conflict, invalid, notFound } from '../errors';
import { applyPatch, patchTypeOf } from '../patch';
import { apiVersionOf, qualified } from '../resources';
import type { KObj } from '../store';
import { immutableSelector, validate } from '../validate';
import { isObj, json, methodNotAllowedResponse, pageNotFound, readBody, type RouteContext, type SimRequest, type SimResponse } from './http';
import { selectorsOf } from './match';
import type { Target } from './target';
import { fromWire, toWire } from './wire';

const STATUS_SUBRESOURCE = new Set(['pods', 'services', 'nodes', 'namespaces', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps']);

/**
 * What decoding into Go structs does to a written object, where clients differ: kubectl
 * serializes a pod template's zero creationTimestamp as null (`rollout undo` sends it), other
 * clients omit it; the server keeps one form (the omitted one, as scenario files write it).
 */
function canonicalize(o: KObj): void {
  const tm = o.spec?.template?.metadata;
  if (isObj(tm) && tm.creationTimestamp === null) delete tm.creationTimestamp;
}

export function createObject(ctx: RouteContext, t: Target, r: SimRequest, dryRun: boolean): SimResponse {
  if (t.sub) return methodNotAllowedResponse();
  const body = readBody(r);
  if (!isObj(body)) throw badRequest('the body of the request was in an unknown format');
  const o = fromWire(t.def, body as KObj);
  o.metadata ??= {};
  if (t.def.namespaced) {
    if (o.metadata.namespace && o.metadata.namespace !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (t.namespace === undefined) return pageNotFound();
    o.metadata.namespace = t.namespace;
    if (!ctx.store.get('namespaces', undefined, t.namespace)) throw notFound('namespaces', t.namespace);
  } else delete o.metadata.namespace;
  if (!o.metadata.name && !o.metadata.generateName) throw invalid(t.def.kind, '', t.def.group || undefined, [{ field: 'metadata.name', message: 'Required value: name or generateName is required', type: 'FieldValueRequired' }]);
  if (!o.metadata.name) o.metadata.name = o.metadata.generateName + 'x';
  const generated = !body.metadata?.name;
  if (generated) delete o.metadata.name;
  canonicalize(o);
  validate(t.key, { ...o, metadata: { ...o.metadata, name: o.metadata.name ?? o.metadata.generateName } });
  if (t.key === 'deployments.apps' || t.key === 'replicasets.apps' || t.key === 'statefulsets.apps') o.status = {};
  if (t.key === 'pods') o.status = { phase: 'Pending', qosClass: 'BestEffort' };
  if (t.key === 'namespaces') o.status = { phase: 'Active' };
  const created = ctx.store.create(t.key, o, { dryRun });
  if (!dryRun) ctx.afterWrite();
  return json(201, toWire(t.def, created));
}

/** Write `next` in place of `cur` (resourceVersion already checked), keeping status or spec per subresource. */
function commitUpdate(ctx: RouteContext, t: Target, cur: KObj, next: KObj, dryRun: boolean): KObj {
  let o: KObj;
  if (t.sub === 'status') o = { ...cur, status: next.status };
  else {
    o = { ...next, metadata: { ...next.metadata, name: cur.metadata.name, namespace: cur.metadata.namespace, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp } };
    if (STATUS_SUBRESOURCE.has(t.key)) o.status = cur.status;
    o.apiVersion = cur.apiVersion ?? apiVersionOf(t.def);
    o.kind = cur.kind ?? t.def.kind;
    if (o.metadata.namespace === undefined) delete o.metadata.namespace;
    canonicalize(o);
    validate(t.key, o);
    immutableSelector(t.key, cur, o);
  }
  o.metadata.resourceVersion = cur.metadata.resourceVersion;
  const updated = ctx.store.update(t.key, o, { dryRun });
  if (!dryRun) ctx.afterWrite();
  return updated;
}

export function updateObject(ctx: RouteContext, t: Target, r: SimRequest, dryRun: boolean): SimResponse {
  const body = readBody(r);
  if (!isObj(body)) throw badRequest('the body of the request was in an unknown format');
  const next = fromWire(t.def, body as KObj);
  next.metadata ??= {};
  if (next.metadata.name && next.metadata.name !== t.name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${t.name})`);
  if (t.def.namespaced && next.metadata.namespace && next.metadata.namespace !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const cur = ctx.store.get(t.key, t.namespace, t.name!);
  if (!cur) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
  if (next.metadata.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qualified(t.def.plural, t.def.group), t.name!);
  return json(200, toWire(t.def, commitUpdate(ctx, t, cur, next, dryRun)));
}

export function patchObject(ctx: RouteContext, t: Target, r: SimRequest, dryRun: boolean): SimResponse {
  const type = patchTypeOf(r.headers['content-type']);
  const body = readBody(r);
  const cur = ctx.store.get(t.key, t.namespace, t.name!);
  if (!cur) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
  const view = toWire(t.def, cur);
  const patched = applyPatch(type, view, body) as KObj;
  if (!isObj(patched) || !isObj(patched.metadata)) throw badRequest('Object \'Kind\' is missing in patched object');
  if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qualified(t.def.plural, t.def.group), t.name!);
  if (patched.metadata.uid && patched.metadata.uid !== cur.metadata.uid) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t.def.plural, t.def.group)} "${t.name}": Precondition failed: UID in precondition: ${patched.metadata.uid}, UID in object meta: ${cur.metadata.uid}`);
  }
  return json(200, toWire(t.def, commitUpdate(ctx, t, cur, fromWire(t.def, patched), dryRun)));
}

export function deleteObject(ctx: RouteContext, t: Target, r: SimRequest, dryRun: boolean): SimResponse {
  const qr = qualified(t.def.plural, t.def.group);
  const cur = ctx.store.get(t.key, t.namespace, t.name!);
  if (!cur) throw notFound(qr, t.name!);
  const text = r.body.toString('utf8').trim();
  if (text) {
    const opts = JSON.parse(text);
    const pre = opts?.preconditions;
    if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qr} "${t.name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
    }
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qr} "${t.name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
  }
  const deleted = ctx.store.delete(t.key, t.namespace, t.name!, { dryRun });
  if (!dryRun) ctx.afterWrite();
  if (t.key === 'pods') return json(200, toWire(t.def, deleted));
  const details: Record<string, unknown> = { name: t.name, kind: t.def.plural, uid: cur.metadata.uid };
  if (t.def.group) details.group = t.def.group;
  return json(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

export function deleteCollection(ctx: RouteContext, t: Target, q: URLSearchParams, dryRun: boolean): SimResponse {
  const { match } = selectorsOf(t, q);
  const gone = ctx.store.list(t.key, t.namespace).filter(match).map((o) => ctx.store.delete(t.key, o.metadata.namespace, o.metadata.name!, { dryRun }));
  if (!dryRun) ctx.afterWrite();
  return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: { resourceVersion: ctx.store.resourceVersion }, items: gone.map((o) => toWire(t.def, o)) });
}

// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets and statefulsets.
import { conflict, invalid, notFound } from '../errors';
import { applyPatch, patchTypeOf } from '../patch';
import { qualified } from '../resources';
import { selectorString } from '../selectors';
import type { KObj } from '../store';
import { json, methodNotAllowedResponse, pageNotFound, readBody, type RouteContext, type SimRequest, type SimResponse } from './http';
import type { Target } from './target';

const SCALABLE = new Set(['deployments.apps', 'replicasets.apps', 'statefulsets.apps']);

function scaleOf(o: KObj): KObj {
  const m = o.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
  };
}

export function scale(ctx: RouteContext, t: Target, r: SimRequest, dryRun: boolean): SimResponse {
  if (!SCALABLE.has(t.key)) return pageNotFound();
  const qr = qualified(t.def.plural, t.def.group);
  const cur = ctx.store.get(t.key, t.namespace, t.name!);
  if (!cur) throw notFound(qr, t.name!);
  const current = scaleOf(cur);
  if (r.method === 'GET') return json(200, current);
  let next: KObj;
  if (r.method === 'PUT') next = readBody(r);
  else if (r.method === 'PATCH') next = applyPatch(patchTypeOf(r.headers['content-type']), current, readBody(r));
  else return methodNotAllowedResponse();
  if (next?.metadata?.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qr, t.name!);
  const replicas = next?.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
    throw invalid('Scale', t.name!, 'autoscaling', [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
  }
  const updated = ctx.store.update(t.key, { ...cur, spec: { ...cur.spec, replicas } }, { dryRun });
  if (!dryRun) ctx.afterWrite();
  return json(200, scaleOf(ctx.store.get(t.key, t.namespace, t.name!) ?? updated));
}

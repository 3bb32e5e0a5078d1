// get and list, with chunking (limit/continue) and server-side tables for kubectl.
import { badRequest, expired, notFound } from '../errors';
import { apiVersionOf, qualified } from '../resources';
import { toTable, wantsTable, type IncludeObject } from '../tables';
import { TABLE_CONTENT_TYPE, json, num, type RouteContext, type SimRequest, type SimResponse } from './http';
import { selectorsOf } from './match';
import type { Target } from './target';
import { toWire } from './wire';

export function getObject(ctx: RouteContext, t: Target, r: SimRequest): SimResponse {
  const o = ctx.store.get(t.key, t.namespace, t.name!);
  if (!o) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
  if (wantsTable(r.headers.accept)) {
    return json(200, toTable(t.key, [o], { resourceVersion: o.metadata.resourceVersion }, (r.query.get('includeObject') as IncludeObject) || 'Metadata', apiVersionOf(t.def), t.def.kind),
      TABLE_CONTENT_TYPE);
  }
  return json(200, toWire(t.def, o));
}

export function listObjects(ctx: RouteContext, t: Target, q: URLSearchParams, accept: string | undefined): SimResponse {
  const { store } = ctx;
  const { match, filtered } = selectorsOf(t, q);
  let items = store.list(t.key, t.namespace).filter(match);
  const limit = num(q.get('limit'));
  const cont = q.get('continue');
  let listRv = store.resourceVersion;
  if (cont) {
    let tok: { v?: string; rv?: number; start?: string };
    try { tok = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')); } catch { throw badRequest('continue key is not valid: illegal base64 data'); }
    if (tok.v !== 'meta.k8s.io/v1' || typeof tok.start !== 'string' || typeof tok.rv !== 'number') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    if (tok.rv < store.oldestResourceVersion) {
      throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    listRv = String(tok.rv);
    const start = tok.start;
    items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` >= start);
  }
  const meta: Record<string, unknown> = { resourceVersion: listRv };
  if (limit && limit > 0 && items.length > limit) {
    const last = items[limit - 1]!;
    const remaining = items.length - limit;
    items = items.slice(0, limit);
    meta.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(listRv), start: `${last.metadata.namespace ?? ''}/${last.metadata.name}\u0000` })).toString('base64');
    if (!filtered) meta.remainingItemCount = remaining;
  }
  if (wantsTable(accept)) {
    return json(200, toTable(t.key, items, meta, (q.get('includeObject') as IncludeObject) || 'Metadata', apiVersionOf(t.def), t.def.kind), TABLE_CONTENT_TYPE);
  }
  const out = items.map((o) => { const x = toWire(t.def, o); delete x.apiVersion; delete x.kind; return x; });
  return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: meta, items: out });
}

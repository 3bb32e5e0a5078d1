// pods/log: the query parameters kubectl and client-node send, checked as the API server checks them.
import { badRequest, notFound } from '../errors';
import { podLogs } from '../logs';
import { truthy, type RouteContext, type SimResponse } from './http';
import type { Target } from './target';

export function podLog(ctx: RouteContext, t: Target, q: URLSearchParams): SimResponse {
  const pod = ctx.store.get('pods', t.namespace, t.name!);
  if (!pod) throw notFound('pods', t.name!);
  const intParam = (k: string) => {
    const v = q.get(k);
    if (v === null) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
    return n;
  };
  const text = podLogs(pod, ctx.settings, {
    container: q.get('container') ?? undefined, previous: truthy(q.get('previous')), tailLines: intParam('tailLines'), limitBytes: intParam('limitBytes'),
    timestamps: truthy(q.get('timestamps')), sinceSeconds: intParam('sinceSeconds'), sinceTime: q.get('sinceTime') ?? undefined,
  });
  return { status: 200, body: text, contentType: 'text/plain' };
}

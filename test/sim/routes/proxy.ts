// pods/proxy: `pods/[SCHEME:]NAME[:PORT]/proxy/PATH`, answered by the app (app.ts) of a pod that has an IP.
import { badRequest, notFound } from '../errors';
import type { RouteContext, SimRequest, SimResponse } from './http';
import { appAnswer } from './app';
import type { Target } from './target';

export async function podProxy(ctx: RouteContext, t: Target, r: SimRequest): Promise<SimResponse> {
  const m = t.name!.match(/^(?:(https?):)?([^:]+)(?::(\d+))?$/);
  if (!m) throw badRequest(`invalid pod request "${t.name}"`);
  const pod = ctx.store.get('pods', t.namespace, m[2]!);
  if (!pod) throw notFound('pods', m[2]!);
  if (!pod.status?.podIP) throw badRequest('address not allowed');
  return appAnswer(ctx, pod, m[3] ? Number(m[3]) : undefined, '/' + t.subpath, r.method);
}

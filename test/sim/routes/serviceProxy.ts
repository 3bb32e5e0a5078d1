// services/proxy: `services/[SCHEME:]NAME[:PORT]/proxy/PATH`, as the API server's service
// REST storage locates it (ResourceLocation): PORT is the Service port's name or number (a
// number is mapped to the port's name), then a ready address of an Endpoints subset with a
// port of that name is chosen and its pod's app answers on the endpoint's port. A Service
// the settings forward to a loopback server of the simulator's own (its Alertmanager) is
// answered by that server.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { badRequest, notFound, serviceUnavailable } from '../errors';
import type { RouteContext, SimRequest, SimResponse } from './http';
import { appAnswer } from './app';
import type { Target } from './target';

export async function serviceProxy(ctx: RouteContext, t: Target, r: SimRequest): Promise<SimResponse> {
  const m = t.name!.match(/^(?:(https?):)?([^:]+)(?::([^:]+))?$/);
  if (!m) throw badRequest(`invalid service request "${t.name}"`);
  const name = m[2]!;
  const svc = ctx.store.get('services', t.namespace, name);
  if (!svc) throw notFound('services', name);
  const ports: any[] = svc.spec?.ports ?? [];
  const sp = m[3] ? ports.find((p) => String(p.port) === m[3] || p.name === m[3]) : ports[0];
  if (!sp) throw serviceUnavailable(`no service port ${m[3] ?? ''} found for service "${name}"`);
  const fwd = (ctx.settings.serviceProxy ?? []).find((f) => f.namespace === t.namespace && f.name === name && f.port === sp.port);
  if (fwd) {
    const query = r.query.toString();
    const res = await fetch(`${fwd.url}/${t.subpath}${query ? `?${query}` : ''}`, { method: r.method });
    return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? 'text/plain; charset=utf-8' };
  }
  const portName = sp.name ?? '';
  const eps = ctx.store.get('endpoints', t.namespace, name);
  if (!eps) throw notFound('endpoints', name);
  for (const ss of (eps.subsets ?? []) as any[]) {
    const port = ((ss.ports ?? []) as any[]).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    // The API server starts at a random address; so does this, among those whose pod exists.
    const addrs = ((ss.addresses ?? []) as any[]).filter((a) => a.targetRef?.kind === 'Pod' && ctx.store.get('pods', a.targetRef.namespace ?? t.namespace, a.targetRef.name));
    const a = addrs[Math.floor(Math.random() * addrs.length)];
    if (!a) continue;
    const pod = ctx.store.get('pods', a.targetRef.namespace ?? t.namespace, a.targetRef.name)!;
    return appAnswer(ctx, pod, port.port, '/' + t.subpath, r.method);
  }
  throw serviceUnavailable(`no endpoints available for service "${t.name}"`);
}

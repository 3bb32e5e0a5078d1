// services/NAME:PORT/proxy: the API server's proxy to a Service. The simulator forwards to the
// loopback servers its settings name (its Alertmanager); any other Service has no endpoint here.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { badRequest, notFound, serviceUnavailable } from '../errors';
import type { RouteContext, SimRequest, SimResponse } from './http';
import type { Target } from './target';

export async function serviceProxy(ctx: RouteContext, t: Target, r: SimRequest): Promise<SimResponse> {
  const m = t.name!.match(/^(?:(https?):)?([^:]+)(?::([^:]+))?$/);
  if (!m) throw badRequest(`invalid service request "${t.name}"`);
  const name = m[2]!;
  const svc = ctx.store.get('services', t.namespace, name);
  if (!svc) throw notFound('services', name);
  const ports: any[] = svc.spec?.ports ?? [];
  const port = m[3] ? ports.find((p) => String(p.port) === m[3] || p.name === m[3]) : ports[0];
  if (!port) throw serviceUnavailable(`no service port "${m[3]}" found for service "${name}"`);
  const fwd = (ctx.settings.serviceProxy ?? []).find((f) => f.namespace === t.namespace && f.name === name && f.port === port.port);
  if (!fwd) throw serviceUnavailable(`no endpoints available for service "${name}"`);
  const query = r.query.toString();
  const res = await fetch(`${fwd.url}/${t.subpath}${query ? `?${query}` : ''}`, { method: r.method });
  return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') ?? 'text/plain; charset=utf-8' };
}

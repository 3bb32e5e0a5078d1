// pods/proxy: the scenario's `proxy` answers, served only by a running pod on the asked port.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { badRequest, notFound, serviceUnavailable } from '../errors';
import { parseLabelSelector } from '../selectors';
import { globMatch } from '../settings';
import type { RouteContext, SimRequest, SimResponse } from './http';
import type { Target } from './target';

export async function podProxy(ctx: RouteContext, t: Target, r: SimRequest): Promise<SimResponse> {
  const m = t.name!.match(/^(?:(https?):)?([^:]+)(?::(\d+))?$/);
  if (!m) throw badRequest(`invalid pod request "${t.name}"`);
  const podName = m[2]!;
  const pod = ctx.store.get('pods', t.namespace, podName);
  if (!pod) throw notFound('pods', podName);
  let port = m[3] ? Number(m[3]) : undefined;
  if (port === undefined) for (const c of pod.spec?.containers ?? []) if (c.ports?.length) { port = c.ports[0].containerPort; break; }
  const ip: string | undefined = pod.status?.podIP;
  if (!ip) throw badRequest('address not allowed');
  const host = port ? `${ip}:${port}` : ip;
  const serving = (pod.status?.containerStatuses ?? []).some((c: any) => c.state?.running && (port === undefined || (pod.spec?.containers ?? []).find((x: any) => x.name === c.name)?.ports?.some((p: any) => p.containerPort === port) !== false));
  if (pod.status?.phase !== 'Running' || !serving) throw serviceUnavailable(`error trying to reach service: dial tcp ${host}: connect: connection refused`);
  const path = '/' + t.subpath;
  const answers = ctx.settings.proxy.filter((a) => (a.path === path)
    && (!a.pod || globMatch(a.pod, podName))
    && (!a.selector || parseLabelSelector(a.selector)(pod.metadata.labels))
    && (a.port === undefined || a.port === port));
  const a = answers[0];
  if (!a) return { status: 404, body: `Cannot ${r.method} ${path}\n`, contentType: 'text/html; charset=utf-8' };
  if (a.delayMs) await new Promise((res) => setTimeout(res, a.delayMs));
  const isText = typeof a.body === 'string';
  return { status: a.status ?? 200, body: isText ? (a.body as string) : JSON.stringify(a.body ?? {}), contentType: a.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8') };
}

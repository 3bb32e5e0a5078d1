// The app behind a pod's port, as the API server's proxy reaches it (pods/proxy and
// services/proxy): a container that is not running refuses the connection, and the API
// server says so (503, "error trying to reach service: dial tcp ...: connect: connection
// refused"); a running one answers the scenario's declared answer for the path (the way a
// scenario, or a test through sim.settings.proxy, makes one path fail: `status: 500`), else
// its readiness probe's path answers as the kubelet last found it (200 when the container
// is ready, 503 while not), else the app's own 404.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { serviceUnavailable } from '../errors';
import { parseLabelSelector } from '../selectors';
import { globMatch } from '../settings';
import type { KObj } from '../store';
import type { RouteContext, SimResponse } from './http';

/** The container that listens on the port (the first with ports when none is given), and the port. */
function listener(pod: KObj, port: number | undefined): { c: any; port: number | undefined } {
  const containers = (pod.spec?.containers ?? []) as any[];
  if (port === undefined) {
    const c = containers.find((x) => x.ports?.length);
    return { c: c ?? containers[0], port: c?.ports[0].containerPort };
  }
  // A port no container declares may still be listened on: the first container is asked.
  return { c: containers.find((x) => (x.ports ?? []).some((p: any) => p.containerPort === port)) ?? containers[0], port };
}

/** The readiness probe's path on this port: what the container's `ready` is the kubelet's last answer to. */
function readinessPath(c: any, port: number | undefined): string | null {
  const h = c?.readinessProbe?.httpGet;
  if (!h) return null;
  const p = typeof h.port === 'string' ? (c.ports ?? []).find((x: any) => x.name === h.port)?.containerPort : h.port;
  return p === port ? h.path ?? '/' : null;
}

export async function appAnswer(ctx: RouteContext, pod: KObj, askedPort: number | undefined, path: string, method: string): Promise<SimResponse> {
  const { c, port } = listener(pod, askedPort);
  const ip: string = pod.status.podIP;
  const st = ((pod.status?.containerStatuses ?? []) as any[]).find((s) => s.name === c?.name);
  if (pod.status?.phase !== 'Running' || !st?.state?.running) {
    throw serviceUnavailable(`error trying to reach service: dial tcp ${port ? `${ip}:${port}` : ip}: connect: connection refused`);
  }
  const name = pod.metadata.name!;
  const a = ctx.settings.proxy.find((x) => x.path === path
    && (!x.pod || globMatch(x.pod, name))
    && (!x.selector || parseLabelSelector(x.selector)(pod.metadata.labels))
    && (x.port === undefined || x.port === port));
  if (a) {
    if (a.delayMs) await new Promise((res) => setTimeout(res, a.delayMs));
    const isText = typeof a.body === 'string';
    return { status: a.status ?? 200, body: isText ? (a.body as string) : JSON.stringify(a.body ?? {}), contentType: a.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8') };
  }
  if (readinessPath(c, port) === path) {
    return st.ready ? { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' }
      : { status: 503, body: 'not ready', contentType: 'text/plain; charset=utf-8' };
  }
  return { status: 404, body: `Cannot ${method} ${path}\n`, contentType: 'text/html; charset=utf-8' };
}

// metrics.k8s.io: pod and node usage, from the scenario's podMetrics or a share of each container's requests.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { notFound } from '../errors';
import { parseQuantity } from '../quantity';
import { apiVersionOf, qualified } from '../resources';
import { lookupGlob, type SimSettings } from '../settings';
import { nowIso, type KObj } from '../store';
import { json, methodNotAllowedResponse, type RouteContext, type SimRequest, type SimResponse } from './http';
import { selectorsOf } from './match';
import type { Target } from './target';

function podUsage(settings: SimSettings, pod: KObj): { name: string; usage: { cpu: string; memory: string } }[] {
  const declared = lookupGlob(settings.podMetrics, pod.metadata.name!) ?? {};
  const running = new Set(((pod.status?.containerStatuses ?? []) as any[]).filter((c) => c.state?.running).map((c) => c.name));
  return ((pod.spec?.containers ?? []) as any[]).filter((c) => running.has(c.name)).map((c) => {
    const u = declared[c.name] ?? {};
    const memReq = parseQuantity(c.resources?.requests?.memory) ?? 64 * 1024 ** 2;
    const cpu = parseQuantity(u.cpu) ?? Math.max(0.001, (parseQuantity(c.resources?.requests?.cpu) ?? 0.05) * 0.3);
    const mem = parseQuantity(u.memory) ?? memReq * 0.6;
    return { name: c.name, usage: { cpu: `${Math.round(cpu * 1e9)}n`, memory: `${Math.round(mem / 1024)}Ki` } };
  });
}

export function metrics(ctx: RouteContext, t: Target, r: SimRequest): SimResponse {
  if (r.method !== 'GET') return methodNotAllowedResponse();
  const { store, settings } = ctx;
  const ts = nowIso();
  let items: KObj[];
  if (t.def.plural === 'pods') {
    items = store.list('pods', t.namespace).filter((p) => p.status?.phase === 'Running' && podUsage(settings, p).length > 0).map((p) => ({
      metadata: { name: p.metadata.name, namespace: p.metadata.namespace, creationTimestamp: ts, labels: p.metadata.labels },
      timestamp: ts, window: '15.012s', containers: podUsage(settings, p),
    }));
  } else {
    const pods = store.list('pods').filter((p) => p.status?.phase === 'Running');
    items = store.list('nodes').map((n) => {
      let cpu = 0.12, mem = 900 * 1024 ** 2;
      for (const p of pods.filter((x) => x.spec?.nodeName === n.metadata.name)) {
        for (const c of podUsage(settings, p)) { cpu += parseQuantity(c.usage.cpu)!; mem += parseQuantity(c.usage.memory)!; }
      }
      return { metadata: { name: n.metadata.name, creationTimestamp: ts, labels: n.metadata.labels }, timestamp: ts, window: '20.022s',
        usage: { cpu: `${Math.round(cpu * 1e9)}n`, memory: `${Math.round(mem / 1024)}Ki` } };
    });
  }
  const { match } = selectorsOf(t, r.query);
  items = items.filter(match);
  if (t.name) {
    const o = items.find((i) => i.metadata.name === t.name);
    if (!o) throw notFound(qualified(t.def.plural, t.def.group), t.name);
    return json(200, { kind: t.def.kind, apiVersion: apiVersionOf(t.def), ...o });
  }
  return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: {}, items });
}

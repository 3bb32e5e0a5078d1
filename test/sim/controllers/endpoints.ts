// Endpoints controller: for every Service with a selector, its Endpoints list the matching
// pods that have an IP, Ready ones under `addresses`, the rest under `notReadyAddresses`.
// Written only when the set of addresses or ports differs from what is stored.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ControllerContext } from './index';
import { podReady } from './replicaset';
import { parseLabelSelector } from '../selectors';

const ipKey = (ip: string) => ip.split('.').map((x) => x.padStart(3, '0')).join('.');
const shape = (subsets: any[] | undefined) => JSON.stringify((subsets ?? []).map((s) => ({
  a: (s.addresses ?? []).map((x: any) => `${x.ip}/${x.targetRef?.name ?? ''}`).sort(),
  n: (s.notReadyAddresses ?? []).map((x: any) => `${x.ip}/${x.targetRef?.name ?? ''}`).sort(),
  p: (s.ports ?? []).map((p: any) => `${p.name ?? ''}/${p.port}/${p.protocol ?? 'TCP'}`).sort(),
})).filter((s) => s.a.length || s.n.length));

export function endpointsController({ store }: ControllerContext): boolean {
  let changed = false;
  for (const svc of store.list('services')) {
    const sel = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length) continue;
    const ns = svc.metadata.namespace!;
    const match = parseLabelSelector(Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(','));
    const pods = store.list('pods', ns).filter((p) => match(p.metadata.labels) && p.status?.podIP && !p.metadata.deletionTimestamp
      && !['Succeeded', 'Failed'].includes(p.status?.phase))
      .sort((a, b) => ipKey(a.status.podIP).localeCompare(ipKey(b.status.podIP)));
    const addr = (p: any) => ({ ip: p.status.podIP, ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
      targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns, uid: p.metadata.uid } });
    const portOf = (sp: any): number => {
      if (typeof sp.targetPort === 'number') return sp.targetPort;
      if (typeof sp.targetPort === 'string') {
        for (const p of pods) for (const c of p.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name === sp.targetPort) return cp.containerPort;
      }
      return sp.port;
    };
    const ports = (svc.spec?.ports ?? []).map((sp: any) => ({ ...(sp.name ? { name: sp.name } : {}), port: portOf(sp), protocol: sp.protocol ?? 'TCP' }));
    const ready = pods.filter(podReady).map(addr);
    const notReady = pods.filter((p) => !podReady(p)).map(addr);
    const subsets = ready.length || notReady.length
      ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : [];
    const cur = store.get('endpoints', ns, svc.metadata.name!);
    if (cur && shape(cur.subsets) === shape(subsets)) continue;
    const next: any = cur ? { ...cur } : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } } };
    if (subsets.length) next.subsets = subsets; else delete next.subsets;
    if (cur) store.update('endpoints', next); else store.create('endpoints', next);
    changed = true;
  }
  return changed;
}

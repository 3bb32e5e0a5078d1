import type { KubeApi } from './api';
import type { Gaps } from './gaps';
import { paths } from './paths';
import { nearestNames } from '../kube/nearest';
import type { EnvService } from '../kube/podSpecRefs';
import { matchesLabels } from '../kube/selector';
import type { Reference, ServiceState } from './snapshot';
import { referenceKey, serviceKey } from './snapshot';
import type { Endpoints, ObjectMeta, Pod, Service } from '../kube/types';

/** Reads of the objects a pod names (kube/podSpecRefs.ts): Secrets and ConfigMaps (key names only), Services and their endpoints. */

/** Key names only: the values are dropped here, before anything else can see them. exists: null = could not be read. */
export async function readReference(api: KubeApi, gaps: Gaps, ns: string, ref: { kind: 'Secret' | 'ConfigMap'; name: string }): Promise<Reference> {
  const path = paths.keyed(ns, ref.kind, ref.name);
  type Keyed = { metadata?: ObjectMeta; data?: Record<string, unknown>; binaryData?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const read = await gaps.read({ what: `${ref.kind} ${ref.name}`, piece: 'reference', key: referenceKey(ref) }, `GET ${path}`,
    api.getOptional<Keyed>(path).then((obj) => ({ obj })));
  if (!read) return { ...ref, exists: null, keys: null };
  if (!read.obj) return { ...ref, exists: false, keys: null };
  const keys = [...Object.keys(read.obj.data ?? {}), ...Object.keys(read.obj.binaryData ?? {}), ...Object.keys(read.obj.stringData ?? {})].sort();
  return { ...ref, exists: true, keys, changedAt: lastChange(read.obj.metadata) };
}

/** The newest managedFields time is the last write to the object (kubectl, a controller, an operator). */
function lastChange(m: ObjectMeta | undefined): string | null {
  const times = (m?.managedFields ?? []).map((f) => f.time).filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)));
  return times.sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? m?.creationTimestamp ?? null;
}


/** The namespace's Services, listed once for every host in it; the failure, when the list could not be read. */
interface ServiceList { path: string; items: Service[] | null; failure: unknown }

/**
 * The Services the env names, their endpoints, and which of `pods` each selects. Those in
 * the namespace come from one list, which also gives the similarly named Services when a
 * name is missing; one in another namespace is read by name. A null service or endpoints is
 * absent unless a gap with piece service/endpoints and serviceKey names it.
 */
export async function readServiceStates(api: KubeApi, gaps: Gaps, ns: string, hosts: EnvService[], pods: Pod[]): Promise<ServiceState[]> {
  const path = paths.services(ns);
  // Not awaited here: the endpoints reads do not need the list, so they go out beside it.
  const list: Promise<ServiceList> | null = hosts.some((h) => h.namespace === ns)
    ? api.list<Service>(path).then((l) => ({ path, items: l.items, failure: null }), (failure: unknown) => ({ path, items: null, failure }))
    : null;
  return Promise.all(hosts.map((h) => readServiceState(api, gaps, ns, h, pods, h.namespace === ns ? list : null)));
}

async function readServiceState(api: KubeApi, gaps: Gaps, ns: string, h: EnvService, pods: Pod[], listed: Promise<ServiceList> | null): Promise<ServiceState> {
  const key = serviceKey(h);
  const target = { what: `service ${h.name}`, piece: 'service' as const, key };
  const svcPath = paths.service(h.namespace, h.name);
  const epPath = paths.endpoints(h.namespace, h.name);
  const fromList = (l: ServiceList) => {
    if (!l.items) { gaps.record(target, `GET ${l.path}`, l.failure); return null; }
    return l.items.find((s) => s.metadata.name === h.name) ?? null;
  };
  const [service, endpoints, list] = await Promise.all([
    listed ? listed.then(fromList) : gaps.read(target, `GET ${svcPath}`, api.getOptional<Service>(svcPath)),
    gaps.read({ what: `endpoints ${h.name}`, piece: 'endpoints', key }, `GET ${epPath}`, api.getOptional<Endpoints>(epPath)),
    listed,
  ]);
  // A name that is not there is often a typo of one that is, or the old name of one renamed.
  const similar = service === null && list?.items ? nearestServices(h.name, list.items) : undefined;
  const sel = service?.spec?.selector;
  const backends = sel && h.namespace === ns
    ? pods.filter((p) => matchesLabels(sel, p.metadata.labels))
    : [];
  return { envVar: h.envVar, host: h.host, port: h.port, name: h.name, service, endpoints, backends, ...(similar ? { similar } : {}) };
}

/** Services whose name is close to `name` (a typo, or the prefix they share), newest first. */
function nearestServices(name: string, items: Service[]): { name: string; createdAt: string | null }[] {
  const stem = (n: string) => n.replace(/-(svc|service)$/, '');
  const near = new Set([...nearestNames(name, items.map((s) => s.metadata.name)), ...items.map((s) => s.metadata.name).filter((n) => n !== name && stem(n) === stem(name))]);
  return items.filter((s) => near.has(s.metadata.name))
    .map((s) => ({ name: s.metadata.name, createdAt: s.metadata.creationTimestamp ?? null }))
    .sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? '') || 0);
}

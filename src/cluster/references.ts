import { ApiError, UnreachableError, type KubeApi } from './api';
import { paths } from './paths';
import { nearestNames } from '../kube/nearest';
import { matchesLabels } from '../kube/selector';
import { CliError } from '../errors';
import type { Gap, GapReason, Piece, Reference, ServiceState } from './snapshot';
import { referenceKey, serviceKey } from './snapshot';
import type { Endpoints, ObjectMeta, Pod, PodSpec, Service } from '../kube/types';


/**
 * Why a read failed, as the kind `notLookedAt` reports; null when the error is not a failed
 * read (a bug), which must not be hidden as a gap. A 404 here is an API the cluster does not
 * serve: a missing object is answered by getOptional before it gets this far.
 */
function readFailure(e: unknown): GapReason | null {
  if (e instanceof ApiError) {
    if (e.code === 401) return 'unauthorized';
    if (e.code === 403) return 'forbidden';
    if (e.code === 404) return 'not served';
    return e.code === 429 || e.code >= 500 ? 'server error' : 'rejected';
  }
  if (e instanceof UnreachableError) return e.code === 'TIMEOUT' ? 'timed out' : 'unreachable';
  return e instanceof CliError && e.kind === 'cluster' ? 'unreachable' : null;
}

export interface GapTarget { what: string; piece?: Piece; key?: string }

/**
 * Evidence that is nice to have degrades to a recorded gap instead of failing the command:
 * a missing permission, an overloaded API server or an API the cluster does not serve
 * costs one piece of evidence, and the gap says which and why.
 */
export class Gaps {
  readonly list: Gap[] = [];

  record(t: GapTarget, request: string, e: unknown): GapReason {
    const reason = readFailure(e);
    if (!reason) throw e;
    this.list.push({ ...t, reason, request });
    return reason;
  }

  /** null when the read failed (recorded); an object read with getOptional is also null when absent (not recorded). */
  async read<T>(t: GapTarget, request: string, p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      this.record(t, request, e);
      return null;
    }
  }

  /**
   * The piece was read after all, by another request (the two events APIs serve the same
   * events): the failure stays listed but costs no evidence; an API that is simply not
   * served is then no gap at all.
   */
  settle(piece: Piece): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const g = this.list[i]!;
      if (g.piece !== piece) continue;
      if (g.reason === 'not served') this.list.splice(i, 1);
      else this.list[i] = { what: g.what, reason: g.reason, request: g.request };
    }
  }
}

export interface EnvService { envVar: string; host: string; port: number | null; name: string; namespace: string }

/**
 * The in-cluster host and port a dependency variable names: `postgres-service`,
 * `redis-service.cache.svc:6379`, `redis://redis-service:6379/0`, `http://payments.shop:8080`.
 * Only the host and port are kept: a URL's credentials never leave this function. null for
 * an IP, localhost or a name outside the cluster (`api.stripe.com`).
 */
export function parseEndpoint(value: string): { host: string; port: number | null } | null {
  let host: string;
  let port: string | undefined;
  if (value.includes('://')) {
    try {
      // JDBC URLs wrap the real one: jdbc:postgresql://host:5432/db.
      const u = new URL(value.replace(/^jdbc:/, ''));
      host = u.hostname;
      port = u.port || undefined;
    } catch {
      return null;
    }
  } else [host = '', port] = value.split(':');
  host = host.toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) || host === 'localhost' || /^\d+(\.\d+){3}$/.test(host)) return null;
  const parts = host.split('.');
  if (parts.length > 2 && parts[2] !== 'svc') return null;
  const n = Number(port);
  return { host, port: Number.isInteger(n) && n > 0 ? n : null };
}

const DEPENDENCY_VAR = /_(HOST|URL|ADDR|SERVICE)$/;

/** Services named by dependency env vars (DB_HOST, DATABASE_URL, REDIS_URL, PAYMENTS_ADDR, ...). */
export function envServices(specs: PodSpec[], ns: string): EnvService[] {
  const out = new Map<string, EnvService>();
  for (const spec of specs) {
    for (const c of spec.containers) {
      const env = new Map((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
      for (const [k, value] of env) {
        if (!DEPENDENCY_VAR.test(k)) continue;
        const ep = parseEndpoint(value);
        if (!ep) continue;
        const [name, other] = ep.host.split('.');
        const portVar = Number(env.get(k.replace(DEPENDENCY_VAR, '_PORT')));
        const port = ep.port ?? (Number.isInteger(portVar) && portVar > 0 ? portVar : null);
        const key = `${k}:${ep.host}`;
        if (name && !out.has(key)) out.set(key, { envVar: k, host: ep.host, port, name, namespace: other && other !== 'svc' ? other : ns });
      }
    }
  }
  return [...out.values()];
}

export function referencedObjects(specs: PodSpec[]): { kind: 'Secret' | 'ConfigMap'; name: string }[] {
  const seen = new Map<string, { kind: 'Secret' | 'ConfigMap'; name: string }>();
  const add = (kind: 'Secret' | 'ConfigMap', name: string | undefined) => { if (name) seen.set(`${kind}/${name}`, { kind, name }); };
  for (const spec of specs) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      for (const e of c.env ?? []) { add('Secret', e.valueFrom?.secretKeyRef?.name); add('ConfigMap', e.valueFrom?.configMapKeyRef?.name); }
      for (const e of c.envFrom ?? []) { add('Secret', e.secretRef?.name); add('ConfigMap', e.configMapRef?.name); }
    }
    for (const v of spec.volumes ?? []) { add('Secret', v.secret?.secretName); add('ConfigMap', v.configMap?.name); }
    for (const s of spec.imagePullSecrets ?? []) add('Secret', s.name);
  }
  return [...seen.values()];
}

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
  let list: ServiceList | null = null;
  if (hosts.some((h) => h.namespace === ns)) {
    list = await api.list<Service>(path).then((l) => ({ path, items: l.items, failure: null }), (failure: unknown) => ({ path, items: null, failure }));
  }
  return Promise.all(hosts.map((h) => readServiceState(api, gaps, ns, h, pods, h.namespace === ns ? list : null)));
}

async function readServiceState(api: KubeApi, gaps: Gaps, ns: string, h: EnvService, pods: Pod[], list: ServiceList | null): Promise<ServiceState> {
  const key = serviceKey(h);
  const target = { what: `service ${h.name}`, piece: 'service' as const, key };
  const svcPath = paths.service(h.namespace, h.name);
  const epPath = paths.endpoints(h.namespace, h.name);
  const fromList = async (l: ServiceList) => {
    if (!l.items) { gaps.record(target, `GET ${l.path}`, l.failure); return null; }
    return l.items.find((s) => s.metadata.name === h.name) ?? null;
  };
  const [service, endpoints] = await Promise.all([
    list ? fromList(list) : gaps.read(target, `GET ${svcPath}`, api.getOptional<Service>(svcPath)),
    gaps.read({ what: `endpoints ${h.name}`, piece: 'endpoints', key }, `GET ${epPath}`, api.getOptional<Endpoints>(epPath)),
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

import { ApiError, UnreachableError, type KubeApi } from './api';
import { CliError } from '../errors';
import type { Gap, GapReason, Piece, Reference, ServiceState } from '../diagnose/snapshot';
import { referenceKey, serviceKey } from '../diagnose/unread';
import type { Endpoints, Pod, PodSpec, Service } from '../kube/types';

const enc = encodeURIComponent;

/**
 * Why a read failed, as the kind `notLookedAt` reports; null when the error is not a failed
 * read (a bug), which must not be hidden as a gap. A 404 here is an API the cluster does not
 * serve: a missing object is answered by getOptional before it gets this far.
 */
export function readFailure(e: unknown): GapReason | null {
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

/** Services named by *_HOST env vars (DB_HOST=postgres-service, REDIS_HOST=redis-service.ns.svc). */
export function envServices(specs: PodSpec[], ns: string): EnvService[] {
  const out = new Map<string, EnvService>();
  for (const spec of specs) {
    for (const c of spec.containers) {
      const env = new Map((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
      for (const [k, host] of env) {
        if (!k.endsWith('_HOST') || /^\d+\.\d+\.\d+\.\d+$/.test(host)) continue;
        const [name, other] = host.split('.');
        const port = Number(env.get(k.replace(/_HOST$/, '_PORT')));
        const key = `${k}:${host}`;
        if (name && !out.has(key)) out.set(key, { envVar: k, host, port: Number.isFinite(port) && port > 0 ? port : null, name, namespace: other && other !== 'svc' ? other : ns });
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
  const path = `/api/v1/namespaces/${enc(ns)}/${ref.kind === 'Secret' ? 'secrets' : 'configmaps'}/${enc(ref.name)}`;
  type Keyed = { data?: Record<string, unknown>; binaryData?: Record<string, unknown>; stringData?: Record<string, unknown> };
  const read = await gaps.read({ what: `${ref.kind} ${ref.name}`, piece: 'reference', key: referenceKey(ref) }, `GET ${path}`,
    api.getOptional<Keyed>(path).then((obj) => ({ obj })));
  if (!read) return { ...ref, exists: null, keys: null };
  if (!read.obj) return { ...ref, exists: false, keys: null };
  const keys = [...Object.keys(read.obj.data ?? {}), ...Object.keys(read.obj.binaryData ?? {}), ...Object.keys(read.obj.stringData ?? {})].sort();
  return { ...ref, exists: true, keys };
}


/**
 * A Service named by the env, its endpoints, and which of `pods` it selects. A null service
 * or endpoints is absent unless a gap with piece service/endpoints and serviceKey names it.
 */
export async function readServiceState(api: KubeApi, gaps: Gaps, ns: string, h: EnvService, pods: Pod[]): Promise<ServiceState> {
  const key = serviceKey(h);
  const svcPath = `/api/v1/namespaces/${enc(h.namespace)}/services/${enc(h.name)}`;
  const epPath = `/api/v1/namespaces/${enc(h.namespace)}/endpoints/${enc(h.name)}`;
  const [service, endpoints] = await Promise.all([
    gaps.read({ what: `service ${h.name}`, piece: 'service', key }, `GET ${svcPath}`, api.getOptional<Service>(svcPath)),
    gaps.read({ what: `endpoints ${h.name}`, piece: 'endpoints', key }, `GET ${epPath}`, api.getOptional<Endpoints>(epPath)),
  ]);
  const sel = service?.spec?.selector;
  const backends = sel && h.namespace === ns
    ? pods.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v))
    : [];
  return { envVar: h.envVar, host: h.host, port: h.port, name: h.name, service, endpoints, backends };
}

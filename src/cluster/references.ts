import { ApiError, type KubeApi } from './api';
import { CliError } from '../errors';
import type { Gap, Reference, ServiceState } from '../diagnose/snapshot';
import type { Endpoints, Pod, PodSpec, Service } from '../kube/types';

const enc = encodeURIComponent;

/**
 * Evidence that is nice to have degrades to a recorded gap instead of failing the command:
 * a missing permission or an API the cluster does not serve costs one piece of evidence.
 */
export class Gaps {
  readonly list: Gap[] = [];
  async optional<T>(what: string, p: Promise<T>): Promise<T | null> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof CliError) {
        const reason = e instanceof ApiError ? (e.code === 403 ? 'forbidden' : e.code === 404 ? 'not served' : e.reason) : e.message;
        this.list.push({ what, reason });
        return null;
      }
      throw e;
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

/** Key names only: the values are dropped here, before anything else can see them. */
export async function readReference(api: KubeApi, gaps: Gaps, ns: string, ref: { kind: 'Secret' | 'ConfigMap'; name: string }): Promise<Reference> {
  const path = `/api/v1/namespaces/${enc(ns)}/${ref.kind === 'Secret' ? 'secrets' : 'configmaps'}/${enc(ref.name)}`;
  try {
    const obj = await api.get<{ data?: Record<string, unknown>; binaryData?: Record<string, unknown>; stringData?: Record<string, unknown> }>(path);
    const keys = [...Object.keys(obj.data ?? {}), ...Object.keys(obj.binaryData ?? {}), ...Object.keys(obj.stringData ?? {})].sort();
    return { ...ref, exists: true, keys };
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) return { ...ref, exists: false, keys: null };
    if (e instanceof ApiError) { gaps.list.push({ what: `${ref.kind} ${ref.name}`, reason: e.code === 403 ? 'forbidden' : e.reason }); return { ...ref, exists: null, keys: null }; }
    throw e;
  }
}


/** A Service named by the env, its endpoints, and which of `pods` it selects. */
export async function readServiceState(api: KubeApi, gaps: Gaps, ns: string, h: EnvService, pods: Pod[]): Promise<ServiceState> {
  const [service, endpoints] = await Promise.all([
    gaps.optional(`service ${h.name}`, api.getOptional<Service>(`/api/v1/namespaces/${enc(h.namespace)}/services/${enc(h.name)}`)),
    gaps.optional(`endpoints ${h.name}`, api.getOptional<Endpoints>(`/api/v1/namespaces/${enc(h.namespace)}/endpoints/${enc(h.name)}`)),
  ]);
  const sel = service?.spec?.selector;
  const backends = sel && h.namespace === ns
    ? pods.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v))
    : [];
  return { envVar: h.envVar, host: h.host, port: h.port, name: h.name, service, endpoints, backends };
}

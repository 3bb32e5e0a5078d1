/** What a pod spec names: the Services its env points at, and the Secrets and ConfigMaps it reads. */
import type { Container, PodSpec } from './types';

export interface EnvService { envVar: string; host: string; port: number | null; name: string; namespace: string }

/**
 * The in-cluster host and port a dependency variable names: `postgres-service`,
 * `redis-service.cache.svc:6379`, `redis://redis-service:6379/0`, `http://payments.shop:8080`.
 * Only the host and port are kept: a URL's credentials never leave this function. null for
 * an IP, localhost or a name outside the cluster (`api.stripe.com`).
 */
export function parseEndpoint(text: string): { host: string; port: number | null } | null {
  const value = text.trim();
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
  host = host.toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host) || host === 'localhost' || /^\d+(\.\d+){3}$/.test(host)) return null;
  const parts = host.split('.');
  if (parts.length > 2 && parts[2] !== 'svc') return null;
  const n = Number(port);
  return { host, port: Number.isInteger(n) && n > 0 ? n : null };
}

/** Env names whose value names another service: DB_HOST, REDIS_URL, ORDERS_ADDR, PAYMENT_SERVICE, SENTRY_DSN... */
export const SERVICE_VAR = /_(HOST|HOSTNAME|URL|URI|ADDR|ADDRESS|SERVICE|DSN|ENDPOINT)$/;

/** Services named by dependency env vars (DB_HOST, DATABASE_URL, REDIS_URL, PAYMENTS_ADDR, ...). */
export function envServices(specs: PodSpec[], ns: string): EnvService[] {
  const out = new Map<string, EnvService>();
  for (const spec of specs) {
    for (const c of spec.containers) {
      const env = new Map((c.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
      for (const [k, value] of env) {
        if (!SERVICE_VAR.test(k)) continue;
        const ep = parseEndpoint(value);
        if (!ep) continue;
        const [name, other] = ep.host.split('.');
        const portVar = Number(env.get(k.replace(SERVICE_VAR, '_PORT')));
        const port = ep.port ?? (Number.isInteger(portVar) && portVar > 0 ? portVar : null);
        const key = `${k}:${ep.host}`;
        if (name && !out.has(key)) out.set(key, { envVar: k, host: ep.host, port, name, namespace: other && other !== 'svc' ? other : ns });
      }
    }
  }
  return [...out.values()];
}

export interface ContainerRef { kind: 'Secret' | 'ConfigMap'; name: string; key: string | null; optional: boolean; via: string }

/** The Secrets and ConfigMaps a container cannot start without (or with, when optional), and through what. */
export function containerReferences(spec: PodSpec, c: Container): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const e of c.env ?? []) {
    const s = e.valueFrom?.secretKeyRef;
    const m = e.valueFrom?.configMapKeyRef;
    if (s) out.push({ kind: 'Secret', name: s.name, key: s.key, optional: !!s.optional, via: `env ${e.name}` });
    if (m) out.push({ kind: 'ConfigMap', name: m.name, key: m.key, optional: !!m.optional, via: `env ${e.name}` });
  }
  for (const e of c.envFrom ?? []) {
    if (e.secretRef) out.push({ kind: 'Secret', name: e.secretRef.name, key: null, optional: !!e.secretRef.optional, via: 'envFrom' });
    if (e.configMapRef) out.push({ kind: 'ConfigMap', name: e.configMapRef.name, key: null, optional: !!e.configMapRef.optional, via: 'envFrom' });
  }
  for (const v of spec.volumes ?? []) {
    if (v.secret) out.push({ kind: 'Secret', name: v.secret.secretName, key: null, optional: false, via: `volume ${v.name}` });
    if (v.configMap) out.push({ kind: 'ConfigMap', name: v.configMap.name, key: null, optional: false, via: `volume ${v.name}` });
  }
  return out;
}

/** Every Secret and ConfigMap the specs read (env, envFrom, volumes), each once. */
export function referencedObjects(specs: PodSpec[]): { kind: 'Secret' | 'ConfigMap'; name: string }[] {
  const seen = new Map<string, { kind: 'Secret' | 'ConfigMap'; name: string }>();
  const add = (kind: 'Secret' | 'ConfigMap', name: string) => seen.set(`${kind}/${name}`, { kind, name });
  for (const spec of specs) {
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) for (const r of containerReferences(spec, c)) add(r.kind, r.name);
    for (const v of spec.volumes ?? []) { if (v.secret) add('Secret', v.secret.secretName); if (v.configMap) add('ConfigMap', v.configMap.name); }
  }
  return [...seen.values()];
}

/** Each Secret/ConfigMap once, though the env and imagePullSecrets both name it. */
export function uniqueRefs<R extends { kind: string; name: string }>(refs: R[]): R[] {
  return [...new Map(refs.map((r) => [`${r.kind}/${r.name}`, r])).values()];
}

/** The pod's imagePullSecrets, read by why only for a pod whose image pull fails (kube/imagePull.ts). */
export function pullSecretRefs(spec: PodSpec): { kind: 'Secret'; name: string }[] {
  return (spec.imagePullSecrets ?? []).map((s) => ({ kind: 'Secret', name: s.name }));
}

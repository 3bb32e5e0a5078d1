// Simulator settings a scenario carries besides its Kubernetes objects.

/** A declared HTTP answer for `pods/NAME[:PORT]/proxy/PATH`. */
export interface ProxyAnswer {
  /** Pod name or glob (`dhakacart-backend-*`); omitted = any pod matching `selector`. */
  pod?: string;
  /** Label selector the pod must match. */
  selector?: string;
  port?: number;
  /** Path without query, with a leading slash (`/health`). */
  path: string;
  status?: number;
  body?: unknown;
  contentType?: string;
  delayMs?: number;
}

/** A permission the scenario's user does not have. `*` matches anything. */
export interface Denial { verb: string; resource: string; group?: string; namespace?: string; name?: string }

export interface ContainerLogs { current?: string; previous?: string }

export interface Usage { cpu?: string; memory?: string }

/** A rule the deployment controller applies to the pods it creates (first match wins). */
export interface PodRule {
  /** Matches pods whose labels match this selector (optional). */
  selector?: string;
  /** Matches when the given container's image equals / the memory limit is below this quantity. */
  container?: string;
  image?: string;
  memoryLimitBelow?: string;
  /** The state the pod ends up in. */
  outcome: 'healthy' | 'oom' | 'probe' | 'image' | 'crash' | 'config';
}

export interface SimSettings {
  now?: string;
  description?: string;
  metrics: boolean;
  /** Usage per pod name (or glob) and container; defaults are synthesized from requests. */
  podMetrics: Record<string, Record<string, Usage>>;
  proxy: ProxyAnswer[];
  deny: Denial[];
  /** Key `pod/container` (pod may be a glob). */
  logs: Record<string, ContainerLogs>;
  podRules: PodRule[];
  user: string;
}

export const emptySettings = (): SimSettings => ({ metrics: false, podMetrics: {}, proxy: [], deny: [], logs: {}, podRules: [], user: 'sim-user' });

export function globMatch(pattern: string, s: string): boolean {
  if (!pattern.includes('*')) return pattern === s;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(s);
}

/** Exact key first, then the longest matching glob. */
export function lookupGlob<T>(map: Record<string, T>, key: string): T | undefined {
  if (key in map) return map[key];
  const hits = Object.keys(map).filter((k) => k.includes('*') && globMatch(k, key)).sort((a, b) => b.length - a.length);
  return hits.length ? map[hits[0]!] : undefined;
}

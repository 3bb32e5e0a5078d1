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

/**
 * A rule the deployment controller applies to the pods it creates (first match wins).
 * Every condition given must hold; the outcome applies to the matching container. Rules are
 * consulted after what the cluster itself decides (an image missing from `registry`, a
 * missing Secret/ConfigMap key, a database Service with no Ready pod), before the default
 * `healthy`.
 */
export interface PodRule {
  /** Matches pods whose labels match this selector (optional). */
  selector?: string;
  /** The container the rule looks at (default: any container, the first that matches). */
  container?: string;
  /** The container's image equals this (a glob: `dhakacart/backend:v1.4.*`). */
  image?: string;
  /** The container's memory limit is set and below this quantity. */
  memoryLimitBelow?: string;
  /** The container has a liveness probe whose initialDelaySeconds is below this. */
  livenessDelayBelow?: number;
  /** The container has a liveness probe whose timeoutSeconds (default 1) is below this. */
  livenessTimeoutBelow?: number;
  /** The container has an httpGet/tcpSocket liveness probe whose port (a name resolved through its ports) is not this one. */
  livenessPortNot?: number;
  /** The container has an httpGet liveness probe whose path is not this one. */
  livenessPathNot?: string;
  /**
   * The container has a startup probe that gives up (initialDelaySeconds + failureThreshold ×
   * periodSeconds) before this many seconds: an app that takes that long to listen is killed
   * by the startup probe, not the liveness probe.
   */
  startupBudgetBelow?: number;
  /** The state the pod ends up in. */
  outcome: PodOutcome;
  /** Logs of the matching container instead of the synthesized ones. */
  logs?: ContainerLogs;
}

export type PodOutcome = 'healthy' | 'oom' | 'probe' | 'image' | 'crash' | 'config' | 'db';

export interface SimSettings {
  now?: string;
  description?: string;
  metrics: boolean;
  /** API groups of CustomResourceDefinitions installed (served): `monitoring.coreos.com` for PrometheusRule. */
  crds: string[];
  /** Usage per pod name (or glob) and container; defaults are synthesized from requests. */
  podMetrics: Record<string, Record<string, Usage>>;
  proxy: ProxyAnswer[];
  deny: Denial[];
  /** Key `pod/container` (pod may be a glob). */
  logs: Record<string, ContainerLogs>;
  podRules: PodRule[];
  /**
   * Images the registry has (globs allowed; `docker.io/` and `library/` are ignored). A pod
   * the controller creates with an image not listed here and not already running somewhere
   * fails to pull. Omitted = every image exists.
   */
  registry?: string[];
  user: string;
  /** services/NAME:PORT/proxy answered by a loopback server of the simulator (its Alertmanager); set by startSim. */
  serviceProxy?: { namespace: string; name: string; port: number; url: string }[];
}

export const emptySettings = (): SimSettings => ({ metrics: false, crds: [], podMetrics: {}, proxy: [], deny: [], logs: {}, podRules: [], user: 'sim-user' });

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

import { deploymentHealth, statefulSetHealth } from './deployment';
import { summarizePod, type HealthClock } from './podState';
import { parseEndpoint, SERVICE_VAR } from './podSpecRefs';
import { matchesLabels, selectorMatches } from './selector';
import type { Deployment, Pod, PodSpec, Service, StatefulSet } from './types';

/** A Service a pod names, and where the name came from (never the value: a DSN may hold a password). */
export interface DependencyRef {
  name: string;
  namespace: string;
  via: string;
  /** A single DNS label or NAME.NS.svc[...]: certainly in-cluster. NAME.NS may be an outside host. */
  certain: boolean;
}

/** In-cluster Service names of a host: NAME, NAME.NS, NAME.NS.svc, NAME.NS.svc.cluster.local. */
function serviceOfHost(host: string, podNamespace: string): { name: string; namespace: string; certain: boolean } | null {
  const parts = host.split('.');
  if (parts.length === 1) return { name: parts[0]!, namespace: podNamespace, certain: true };
  if (parts.length >= 3 && parts[2] === 'svc') return { name: parts[0]!, namespace: parts[1]!, certain: true };
  if (parts.length === 2) return { name: parts[0]!, namespace: parts[1]!, certain: false };
  return null;
}

/** Values of env vars and of the ConfigMap keys the containers read, with where each came from. */
function namedValues(spec: PodSpec, ns: string, configMaps: Map<string, Record<string, string>>): { name: string; value: string; via: string }[] {
  const out: { name: string; value: string; via: string }[] = [];
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      if (e.value !== undefined) out.push({ name: e.name, value: e.value, via: `env ${e.name}` });
      const ref = e.valueFrom?.configMapKeyRef;
      const v = ref ? configMaps.get(`${ns}/${ref.name}`)?.[ref.key] : undefined;
      if (ref && v !== undefined) out.push({ name: e.name, value: v, via: `ConfigMap ${ref.name} key ${ref.key}` });
    }
    for (const f of c.envFrom ?? []) {
      const name = f.configMapRef?.name;
      for (const [k, v] of Object.entries((name && configMaps.get(`${ns}/${name}`)) || {})) out.push({ name: k, value: v, via: `ConfigMap ${name} key ${k}` });
    }
  }
  return out;
}

/**
 * The Services the pods name, from the env and the ConfigMaps they read: a value counts
 * when its name says it names a service (`*_HOST`, `*_URL`...) or it is a URL/DSN.
 * `configMaps`: data by "NS/NAME".
 */
export function dependencyRefs(pods: Pod[], configMaps: Map<string, Record<string, string>>): DependencyRef[] {
  const out = new Map<string, DependencyRef>();
  for (const pod of pods) {
    const ns = pod.metadata.namespace ?? '';
    for (const { name, value, via } of namedValues(pod.spec, ns, configMaps)) {
      if (!SERVICE_VAR.test(name) && !value.includes('://')) continue;
      const host = parseEndpoint(value)?.host;
      const svc = host ? serviceOfHost(host, ns) : null;
      if (!svc) continue;
      const key = `${svc.namespace}/${svc.name}`;
      const seen = out.get(key);
      if (!seen) out.set(key, { ...svc, via });
      else if (!seen.via.split(', ').includes(via)) seen.via += `, ${via}`;
    }
  }
  return [...out.values()];
}

/** The contract's `dependencies` entry, and the failing pods behind it (for `why`). */
export interface Dependency {
  kind: 'Deployment' | 'StatefulSet' | 'Service';
  name: string;
  namespace: string;
  via: string;
  /** null: not looked at (another namespace, or a Service with no selector). */
  healthy: boolean | null;
  reason: string | null;
}
export interface ResolvedDependency { dependency: Dependency; failingPods: Pod[] }

/** What was listed: per namespace listed, its Services, workloads and pods. */
export interface World {
  namespaces: Set<string>;
  services: Service[];
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  pods: Pod[];
}

const inNs = <T extends { metadata: { namespace?: string } }>(list: T[], ns: string) => list.filter((o) => o.metadata.namespace === ns);

function podsProblem(pods: Pod[], clock: HealthClock): { failing: Pod[]; reason: string | null } {
  const live = pods.filter((p) => p.status?.phase !== 'Succeeded');
  const failing = live.filter((p) => !summarizePod(p, clock).healthy);
  if (live.length && failing.length === 0) return { failing, reason: null };
  if (!live.length) return { failing, reason: 'no pods' };
  const first = summarizePod(failing[0]!, clock);
  return { failing, reason: `pod ${first.name} ${first.reason ?? first.status}${failing.length > 1 ? ` (and ${failing.length - 1} more)` : ''}` };
}

/**
 * Service → the Deployment or StatefulSet whose pod template it selects → that workload's
 * health and its pods' health (THE pod definition, podState.ts). `isSelected` drops the
 * workloads already shown as selected apps (the frontend naming backend-service).
 */
export function resolveDependencies(refs: DependencyRef[], world: World, clock: HealthClock, isSelected: (kind: string, ns: string, name: string) => boolean): ResolvedDependency[] {
  const out: ResolvedDependency[] = [];
  for (const ref of refs) {
    const base = { name: ref.name, namespace: ref.namespace, via: ref.via };
    if (!world.namespaces.has(ref.namespace)) {
      if (ref.certain) out.push({ dependency: { kind: 'Service', ...base, healthy: null, reason: `in namespace ${ref.namespace}, not looked at (use -A)` }, failingPods: [] });
      continue;
    }
    const svc = inNs(world.services, ref.namespace).find((s) => s.metadata.name === ref.name);
    if (!svc) {
      if (ref.certain) out.push({ dependency: { kind: 'Service', ...base, healthy: false, reason: `Service ${ref.name} not found in namespace ${ref.namespace}` }, failingPods: [] });
      continue;
    }
    const sel = svc.spec?.selector;
    if (!sel || !Object.keys(sel).length) {
      out.push({ dependency: { kind: 'Service', ...base, healthy: null, reason: 'Service without a selector (external endpoints): not checked' }, failingPods: [] });
      continue;
    }
    const selects = (labels: Record<string, string> | undefined) => matchesLabels(sel, labels);
    const backing = inNs(world.pods, ref.namespace).filter((p) => selects(p.metadata.labels));
    const workloads = [
      ...inNs(world.deployments, ref.namespace).filter((d) => selects(d.spec.template.metadata?.labels)).map((d) => ({ kind: 'Deployment' as const, obj: d, health: deploymentHealth(d), selector: d.spec.selector })),
      ...inNs(world.statefulSets, ref.namespace).filter((s) => selects(s.spec.template.metadata?.labels)).map((s) => ({ kind: 'StatefulSet' as const, obj: s, health: statefulSetHealth(s), selector: s.spec.selector })),
    ];
    if (workloads.some((w) => isSelected(w.kind, ref.namespace, w.obj.metadata.name))) continue;
    if (!workloads.length) {
      const p = podsProblem(backing, clock);
      out.push({ dependency: { kind: 'Service', ...base, healthy: p.reason === null, reason: p.reason && `Service ${ref.name}: ${p.reason === 'no pods' ? 'selects no pod' : p.reason}` }, failingPods: p.failing });
      continue;
    }
    for (const w of workloads) {
      const p = podsProblem(backing.filter((pod) => selectorMatches(w.selector, pod.metadata.labels)), clock);
      // At 0 replicas on purpose the workload is still a dependency that serves nothing.
      const reason = w.health.state === 'scaled to zero' ? `${w.health.reason}: nothing serves Service ${ref.name}` : w.health.reason ?? p.reason;
      const healthy = w.health.state === 'ok' && p.reason === null;
      out.push({ dependency: { kind: w.kind, name: w.obj.metadata.name, namespace: ref.namespace, via: `${ref.via} → Service ${ref.name}`, healthy, reason: healthy ? null : reason }, failingPods: p.failing });
    }
  }
  return out;
}

// Small hand-built snapshots: a Deployment with its ReplicaSet history, its pods, events,
// logs and the namespace around them. Every builder takes overrides for what a test is about.
import type { ContainerLogs, Reference, ServiceState, Snapshot } from '../../src/cluster/snapshot';
import type {
  Container, ContainerState, ContainerStatus, Deployment, KubeEvent, NodeObject, Pod, PodCondition, ReplicaSet, StatefulSet,
} from '../../src/kube/types';

export const NS = 'dhakacart';
export const NOW = '2025-06-01T12:00:00Z';
/** An RFC 3339 time `s` seconds before NOW. */
export const ago = (s: number) => new Date(Date.parse(NOW) - s * 1000).toISOString();

export function container(name = 'backend', o: Partial<Container> = {}): Container {
  return { name, image: `dhakacart/${name}:v1.4.3`, resources: { limits: { memory: '512Mi' }, requests: { memory: '256Mi' } }, ...o };
}

export function status(name: string, o: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, ready: true, restartCount: 0, state: { running: { startedAt: ago(3600) } }, ...o };
}

/** A container in CrashLoopBackOff whose last run ended as given. */
export function crashLooping(name: string, last: { exitCode: number; reason?: string; message?: string; ranFor?: number; endedAgo?: number }, restarts = 4): ContainerStatus {
  const ended = last.endedAgo ?? 30;
  const lastState: ContainerState = {
    terminated: { exitCode: last.exitCode, reason: last.reason ?? (last.exitCode ? 'Error' : 'Completed'), message: last.message, startedAt: ago(ended + (last.ranFor ?? 20)), finishedAt: ago(ended) },
  };
  return {
    name, ready: false, restartCount: restarts,
    state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${name} pod=x_${NS}(uid)` } },
    lastState,
  };
}

export function waitingStatus(name: string, reason: string, message?: string, restarts = 0): ContainerStatus {
  return { name, ready: false, restartCount: restarts, state: { waiting: { reason, ...(message ? { message } : {}) } } };
}

export function deployment(name = 'dhakacart-backend', o: { revision?: number; containers?: Container[]; annotations?: Record<string, string> } = {}): Deployment {
  return {
    metadata: { name, namespace: NS, uid: `uid-${name}`, annotations: { 'deployment.kubernetes.io/revision': String(o.revision ?? 7), ...o.annotations } },
    spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: o.containers ?? [container()] } } },
  };
}

/** A ReplicaSet of dep at a revision; its template is dep's unless containers are given. */
export function replicaSet(dep: Deployment, revision: number, o: { createdAgo?: number; containers?: Container[]; annotations?: Record<string, string> } = {}): ReplicaSet {
  const hash = `h${revision}`;
  const template = structuredClone(dep.spec.template);
  if (o.containers) template.spec.containers = o.containers;
  template.metadata = { labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
  return {
    metadata: {
      name: `${dep.metadata.name}-${hash}`, namespace: NS, uid: `uid-rs-${dep.metadata.name}-${revision}`, creationTimestamp: ago(o.createdAgo ?? 86400 * revision),
      annotations: { 'deployment.kubernetes.io/revision': String(revision), ...o.annotations },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name, uid: dep.metadata.uid!, controller: true }],
    },
    spec: { replicas: 3, selector: dep.spec.selector, template },
  };
}

export function statefulSet(name = 'postgres', containers: Container[] = [container('postgres', { image: 'postgres:16' })]): StatefulSet {
  return {
    metadata: { name, namespace: NS, uid: `uid-sts-${name}` },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
  };
}

export interface PodOptions {
  name?: string;
  owner?: ReplicaSet | StatefulSet | null;
  containers?: Container[];
  statuses?: ContainerStatus[];
  initContainers?: Container[];
  initStatuses?: ContainerStatus[];
  phase?: string;
  node?: string | null;
  reason?: string;
  message?: string;
  conditions?: PodCondition[];
  imagePullSecrets?: string[];
  volumes?: Pod['spec']['volumes'];
}

export function pod(o: PodOptions = {}): Pod {
  const owner = o.owner === undefined ? null : o.owner;
  const containers = o.containers ?? (owner ? structuredClone(owner.spec.template.spec.containers) : [container()]);
  const statuses = o.statuses ?? containers.map((c) => status(c.name));
  const ready = statuses.every((s) => s.ready);
  const kind = owner?.metadata.uid?.startsWith('uid-sts') ? 'StatefulSet' : 'ReplicaSet';
  const labels: Record<string, string> = { ...owner?.spec.template.metadata?.labels };
  return {
    metadata: {
      name: o.name ?? 'dhakacart-backend-h7-abcde', namespace: NS, uid: `uid-pod-${o.name ?? 'backend'}`, creationTimestamp: ago(7200), labels,
      ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true }] : undefined,
    },
    spec: {
      containers, nodeName: o.node === null ? undefined : o.node ?? 'worker-1',
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.imagePullSecrets ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
      ...(o.volumes ? { volumes: o.volumes } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.reason ? { reason: o.reason, message: o.message } : {}),
      conditions: o.conditions ?? [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ago(3000) }],
      containerStatuses: statuses,
      ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
    },
  };
}

export interface EventOptions {
  reason: string;
  message: string;
  type?: string;
  container?: string;
  init?: boolean;
  count?: number;
  firstAgo?: number;
  lastAgo?: number;
  /** events.k8s.io style: null first/lastTimestamp and count, eventTime/series instead. */
  newStyle?: boolean;
}

let eventSeq = 0;
export function event(p: Pod, o: EventOptions): KubeEvent {
  const fieldPath = o.container ? `spec.${o.init ? 'initContainers' : 'containers'}{${o.container}}` : undefined;
  const base: KubeEvent = {
    metadata: { name: `${p.metadata.name}.${++eventSeq}`, namespace: NS, uid: `ev-${eventSeq}` },
    involvedObject: { kind: 'Pod', name: p.metadata.name, namespace: NS, uid: p.metadata.uid, ...(fieldPath ? { fieldPath } : {}) },
    reason: o.reason, message: o.message, type: o.type ?? 'Warning',
  };
  if (o.newStyle) return { ...base, count: undefined, firstTimestamp: null, lastTimestamp: null, eventTime: ago(o.lastAgo ?? 60), series: o.count ? { count: o.count, lastObservedTime: ago(o.lastAgo ?? 60) } : undefined };
  return { ...base, count: o.count ?? 1, firstTimestamp: ago(o.firstAgo ?? o.lastAgo ?? 60), lastTimestamp: ago(o.lastAgo ?? 60) };
}

export function nodeEvent(node: string, reason: string, message: string, lastAgo = 60): KubeEvent {
  return {
    metadata: { name: `${node}.${++eventSeq}`, namespace: 'default' },
    involvedObject: { kind: 'Node', name: node },
    reason, message, type: 'Warning', count: 1, firstTimestamp: ago(lastAgo), lastTimestamp: ago(lastAgo),
  };
}

export function node(name = 'worker-1', conditions: { type: string; status: string; reason?: string }[] = []): NodeObject {
  const ready = conditions.find((c) => c.type === 'Ready') ?? { type: 'Ready', status: 'True' };
  return { metadata: { name }, status: { allocatable: { memory: '8Gi' }, conditions: [ready, ...conditions.filter((c) => c.type !== 'Ready')] } };
}

export function logs(previous: string | null, current: string | null = ''): ContainerLogs {
  return { previous: { text: previous, error: previous === null ? 'previous terminated container not found' : null, truncated: false }, current: { text: current, error: null, truncated: false } };
}

export function dbService(o: { ready?: number; exists?: boolean; backends?: Pod[] } = {}): ServiceState {
  const ready = o.ready ?? 1;
  return {
    envVar: 'DB_HOST', host: 'postgres-service', port: 5432, name: 'postgres-service',
    service: o.exists === false ? null : { metadata: { name: 'postgres-service', namespace: NS }, spec: { selector: { app: 'postgres' }, ports: [{ port: 5432 }] } },
    endpoints: o.exists === false ? null : {
      metadata: { name: 'postgres-service' },
      subsets: [{ addresses: Array.from({ length: ready }, (_, i) => ({ ip: `10.0.0.${i + 1}` })), notReadyAddresses: ready ? [] : [{ ip: '10.0.0.9' }], ports: [{ port: 5432 }] }],
    },
    backends: o.backends ?? [],
  };
}

export const secretRef = (name: string, keys: string[] | null, exists = true): Reference => ({ kind: 'Secret', name, exists, keys: exists ? keys : null });

export function snapshot(o: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1, capturedAt: NOW, namespace: NS, context: 'test', target: null, selector: 'app in (dhakacart-backend,dhakacart-frontend)',
    pods: [], events: [], logs: {}, deployments: [], replicaSets: [], statefulSets: [], nodes: [node()], nodeEvents: [],
    services: [], references: [], metrics: null, gaps: [], ...o,
  };
}

export interface BackendWorld { dep: Deployment; rs: ReplicaSet; previous: ReplicaSet; pod: Pod }

/**
 * dhakacart-backend at revision 7 (image v1.4.3), revision 6 before it (v1.4.1), and one pod
 * of revision 7 with the given status of its `backend` container.
 */
export function backendWorld(o: { statuses?: ContainerStatus[]; containers?: Container[]; rolledOutAgo?: number; pod?: Omit<PodOptions, 'owner'> } = {}): BackendWorld {
  const containers = o.containers ?? [container()];
  const dep = deployment('dhakacart-backend', { containers });
  const previous = replicaSet(dep, 6, { createdAgo: 86400 * 3, containers: containers.map((c) => (c.name === 'backend' ? { ...c, image: 'dhakacart/backend:v1.4.1' } : c)) });
  const rs = replicaSet(dep, 7, { createdAgo: o.rolledOutAgo ?? 86400 });
  const p = pod({ ...o.pod, owner: rs, statuses: o.statuses ?? o.pod?.statuses });
  return { dep, rs, previous, pod: p };
}

/** The snapshot of a world, plus whatever else the test adds. */
export function worldSnapshot(w: BackendWorld, o: Partial<Snapshot> = {}): Snapshot {
  return snapshot({ pods: [w.pod], deployments: [w.dep], replicaSets: [w.previous, w.rs], ...o });
}

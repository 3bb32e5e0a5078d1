import type { Deployment, Endpoints, KubeEvent, NodeObject, Pod, PodMetrics, ReplicaSet, Service, StatefulSet } from '../kube/types';

/**
 * Everything `why` knows about a namespace, gathered once (cluster/gatherWhy.ts) and then
 * only read. Plain JSON: it can be saved with --save and replayed with --from-file, so a
 * diagnosis can be repeated offline. `capturedAt` is the clock the rules use.
 */
export interface Snapshot {
  version: 1;
  capturedAt: string;
  namespace: string;
  context: string | null;
  /** The pod asked about, or null for "every unhealthy pod of the selector". */
  target: string | null;
  selector: string;
  pods: Pod[];
  /** core/v1 events of the pods and their owners, de-duplicated with events.k8s.io. */
  events: KubeEvent[];
  /** Previous and current log tails, keyed pod → container; only for failing containers. */
  logs: Record<string, Record<string, ContainerLogs>>;
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  statefulSets: StatefulSet[];
  nodes: NodeObject[];
  /** Node events (SystemOOM, EvictionThresholdMet...) live in namespace default. */
  nodeEvents: KubeEvent[];
  /** Services the containers' env points at (DB_HOST, REDIS_HOST) and their endpoints. */
  services: ServiceState[];
  /** Secrets and ConfigMaps the pods reference: existence and key names, never values. */
  references: Reference[];
  metrics: PodMetrics[] | null;
  /** Evidence that could not be gathered (forbidden, API absent), said once each. */
  gaps: Gap[];
}

export interface LogTail { text: string | null; error: string | null; truncated: boolean }
export interface ContainerLogs { previous: LogTail; current: LogTail }

export interface ServiceState {
  /** The env var that named it, e.g. DB_HOST, and the port var's value when set. */
  envVar: string;
  host: string;
  port: number | null;
  name: string;
  service: Service | null;
  endpoints: Endpoints | null;
  /** Pods the Service selects. */
  backends: Pod[];
}

export interface Reference {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** null when it could not be read (forbidden). */
  exists: boolean | null;
  keys: string[] | null;
}

export interface Gap { what: string; reason: string }

import type { Dependency } from '../kube/dependencies';
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
  /**
   * How far back an abnormal restart makes a Running pod unhealthy (why --since), in ms;
   * absent in snapshots saved before it existed: the default window (1h) then applies.
   */
  healthWindowMs?: number;
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
  /**
   * Without a pod named: the workloads the selected pods depend on (kube/dependencies.ts),
   * judged when gathered, with their failing pods' names. Resolved at gather time so the
   * snapshot never keeps the ConfigMap values they were found in (a DSN may hold a password).
   */
  dependencies?: SnapshotDependency[];
  /**
   * Only when a pod waits for a node: every node, the pods already bound to nodes (all
   * namespaces; null when that list could not be read) and the namespace's Deployment events
   * (ScalingReplicaSet says what the replica count was before a scale-up).
   */
  scheduling?: { nodes: NodeObject[]; placed: Pod[] | null; events: KubeEvent[] } | null;
  /**
   * Evidence that could not be read, said once each. An object that is null (or missing
   * from a list) here is "absent" (the API said 404) unless a gap names it: then it is
   * "unknown", and no rule may read its absence as a fact.
   */
  gaps: Gap[];
}

export type SnapshotDependency = Dependency & { failingPods: string[] };

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
  /** When the Service does not exist: the namespace's Services with a similar name, closest first. */
  similar?: { name: string; createdAt: string | null }[];
  /** Error lines of the backing pod's own log, read only when the app's log says the credentials are refused. */
  dependencyLog?: { pod: string; container: string; lines: string[] } | null;
}

export interface Reference {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** null when it could not be read (forbidden). */
  exists: boolean | null;
  keys: string[] | null;
  /** When the object last changed: the newest managedFields time (else its creation); null when unknown. */
  changedAt?: string | null;
}

/** Why a read failed, after the transport's retries. */
export type GapReason = 'forbidden' | 'unauthorized' | 'timed out' | 'throttled' | 'server error' | 'not served' | 'unreachable' | 'rejected';

/**
 * The kinds of evidence rules depend on (diagnose/context.ts `unread`). `key` names the
 * object within the kind: `POD/CONTAINER` for logs, the node's name, `NS/NAME` for a
 * service or its endpoints, `Secret/NAME` or `ConfigMap/NAME` for a reference.
 */
export type Piece = 'events' | 'logs' | 'node' | 'nodeEvents' | 'service' | 'endpoints' | 'reference' | 'metrics' | 'owner' | 'scheduling';

export interface Gap {
  what: string;
  reason: GapReason;
  /** The request that failed, e.g. `GET /api/v1/namespaces/dhakacart/events`. */
  request?: string;
  /** Absent when the failure costs no evidence (the other events API answered). */
  piece?: Piece;
  key?: string;
}

/** The gaps of one piece (and object, when key is given) that cost evidence. */
export const unreadOf = (gaps: Gap[], piece: Piece, key?: string): Gap[] =>
  gaps.filter((g) => g.piece === piece && (key === undefined || g.key === key));

/** How gaps name a Service (and its endpoints) that an env var points at: the host as written. */
export const serviceKey = (s: { host: string }) => s.host;
export const referenceKey = (ref: { kind: 'Secret' | 'ConfigMap'; name: string }) => `${ref.kind}/${ref.name}`;

/**
 * The parts of Kubernetes objects the plugin reads, in their wire (JSON) form: timestamps
 * are RFC 3339 strings, unknown fields survive. We work on raw JSON rather than
 * client-node's generated models because those drop fields they do not know (a rollback
 * writing such a template back would delete them) and turn timestamps into Dates, which a
 * saved snapshot could not round-trip.
 */
export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Who wrote which fields when (server-side); the times say when an object last changed. */
  managedFields?: { manager?: string; operation?: string; time?: string }[];
}

export interface OwnerReference { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }

export interface LabelSelectorRequirement { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }
export interface LabelSelector { matchLabels?: Labels; matchExpressions?: LabelSelectorRequirement[] }

export interface ListMeta { resourceVersion?: string; continue?: string; remainingItemCount?: number }
export interface List<T> { kind?: string; apiVersion?: string; metadata?: ListMeta; items: T[] }

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
  };
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ResourceList { memory?: string; cpu?: string; [k: string]: string | undefined }

export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  envFrom?: { secretRef?: { name: string; optional?: boolean }; configMapRef?: { name: string; optional?: boolean } }[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  resources?: { limits?: ResourceList; requests?: ResourceList };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  imagePullSecrets?: { name: string }[];
  volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
}

export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}
export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  containerID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodCondition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface PodTemplateSpec { metadata?: Partial<ObjectMeta>; spec: PodSpec }

export interface DeploymentCondition { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string }

export interface Deployment {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; paused?: boolean; progressDeadlineSeconds?: number; revisionHistoryLimit?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: DeploymentCondition[];
  };
}

export interface ReplicaSet {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface KubeStatus { kind: 'Status'; status?: string; message?: string; reason?: string; code?: number }

export interface KubeEvent {
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingController?: string;
}

export interface NodeObject {
  metadata: ObjectMeta;
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: {
    capacity?: ResourceList;
    allocatable?: ResourceList;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

export interface Service {
  metadata: ObjectMeta;
  spec?: { selector?: Labels; ports?: { port: number; targetPort?: number | string; name?: string }[]; clusterIP?: string; type?: string };
}

export interface Endpoints {
  metadata: ObjectMeta;
  subsets?: { addresses?: { ip: string; targetRef?: { name?: string } }[]; notReadyAddresses?: { ip: string; targetRef?: { name?: string } }[]; ports?: { port: number }[] }[];
}

export interface StatefulSet {
  metadata: ObjectMeta;
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { replicas?: number; readyReplicas?: number; currentRevision?: string; updateRevision?: string };
}

export interface PodMetrics {
  metadata: ObjectMeta;
  timestamp?: string;
  window?: string;
  containers: { name: string; usage: ResourceList }[];
}

/** policy/v1 PodDisruptionBudget: the voluntary disruptions (drains, evictions) its pods allow. */
export interface PodDisruptionBudget {
  metadata: ObjectMeta;
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

/** monitoring.coreos.com/v1 PrometheusRule (the Prometheus Operator's CRD): alerting and recording rules. */
export interface PrometheusRule {
  metadata: ObjectMeta;
  spec?: { groups?: { name: string; rules?: { alert?: string; record?: string; expr?: string | number; for?: string; labels?: Record<string, string> }[] }[] };
}

// The baseline scenario, generated: a healthy DhakaCart namespace (backend, frontend, redis,
// postgres on three nodes) as `kubectl get -o yaml` prints it, from the parameters below.
// Every other scenario overlays it (`extends: baseline`); scenario.ts reads these documents
// as it reads a scenario file, so timestamps are relative to BASELINE.now and shift the same way.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash } from 'node:crypto';
import type { KObj } from './store';

const NS = 'dhakacart';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString().replace('.000Z', 'Z');

// ---- parameters ------------------------------------------------------------------------

/** Three m5.xlarge workers, one per zone; the ids are those of the recorded cluster. */
const NODES = [
  { name: 'dhakacart-worker-1', zone: 'ap-south-1a', ip: '10.0.1.11', instance: 'i-0710b3cbb06805e49', bootID: 'ed3b40aab251aba1bbcc6087f9d587ee', machineID: '1961a0646fb29e3340dbebabd543949f', systemUUID: '76d993dd1888a16e0c9d60c43bc01d49' },
  { name: 'dhakacart-worker-2', zone: 'ap-south-1b', ip: '10.0.1.12', instance: 'i-03bad1b3e40b4767f', bootID: '619b3efc0c236e59657264d46df76954', machineID: '4e06e7277260eb8837f7bb7080040f00', systemUUID: 'bb1a90f17a7af95a0fccb27212c0d2cd' },
  { name: 'dhakacart-worker-3', zone: 'ap-south-1c', ip: '10.0.1.13', instance: 'i-0e7aeb92989faf9dc', bootID: '5185e81558e212416a200b105a7f682e', machineID: '179c770ba6c56c4fe9f678850f2fda42', systemUUID: 'ea6caa044b4fee6a35a1f83592bb2f54' },
];
const CLUSTER_CREATED = '2025-02-10T08:00:00Z';
const NODES_HEARTBEAT = '2025-03-14T10:29:40Z';
const NAMESPACE_CREATED = '2025-02-10T09:00:00Z';
/** Services, Endpoints, Secrets and ConfigMaps of the namespace. */
const CONFIG_CREATED = '2025-02-10T09:05:00Z';
/** The last full restart (cluster upgrade): redis and postgres pods date from it. */
const RESTARTED = '2025-03-01T03:14:00Z';

/** Image digests as the registry reports them (containerStatuses imageID). */
const DIGESTS: Record<string, string> = {
  'dhakacart/backend:v1.4.2': 'ee2ee7eae1cf4512e743a9822e3a819815ae2ade0a93bcbbc087d619fbdc509c',
  'dhakacart/frontend:v2.3.0': '617ddd7b9f84fd23aec312c6a3f295e6bec97245cd9982330d051e5977444ca1',
  'redis:7.2-alpine': '3d1f0420678532c29501ea4ecf58880aa16b84a27c2965cf619eacdac03c3183',
  'postgres:16.2': '77cded6fb158582762d99d24657f803fd12d3f137099ec62b3835b3c4a361cfe',
};

interface PodParams { name: string; node: number; ip: string; created: string; started: string; ready: string; uid?: string }
interface Revision { hash: string; revision: number; image: string; pipeline?: number; created: string }
interface AppParams {
  name: string; tier?: string; port: { name: string; port: number }; container: Record<string, unknown>;
  service: { clusterIP: string; type?: 'NodePort'; nodePort?: number };
  imagePullSecrets?: string[];
}
interface DeploymentParams extends AppParams {
  replicas: number; generation: number; created: string; progressed: string;
  /** Older ReplicaSets (scaled to 0, generation 2), then the current one. */
  history: Revision[]; current: Revision; pods: PodParams[];
}

const httpProbe = (path: string, port: number, initialDelaySeconds: number, periodSeconds: number, timeoutSeconds: number) =>
  ({ httpGet: { path, port, scheme: 'HTTP' }, initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold: 1, failureThreshold: 3 });
const execProbe = (command: string[], timeoutSeconds: number, failureThreshold: number) =>
  ({ exec: { command }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds, successThreshold: 1, failureThreshold });
const env = (vars: Record<string, string | { secret: string; key: string }>) => Object.entries(vars).map(([name, v]) =>
  (typeof v === 'string' ? { name, value: v } : { name, valueFrom: { secretKeyRef: { name: v.secret, key: v.key } } }));
const resources = (limits: Record<string, string>, requests: Record<string, string>) => ({ limits, requests });

const BACKEND: DeploymentParams = {
  name: 'dhakacart-backend', tier: 'backend', port: { name: 'http', port: 5000 }, service: { clusterIP: '10.96.0.10' }, imagePullSecrets: ['regcred'],
  container: {
    env: env({
      NODE_ENV: 'production', PORT: '5000', DB_HOST: 'postgres-service', DB_PORT: '5432', DB_NAME: 'dhakacart',
      DB_USER: { secret: 'db-credentials', key: 'username' }, DB_PASSWORD: { secret: 'db-credentials', key: 'password' },
      REDIS_HOST: 'redis-service', REDIS_PORT: '6379',
    }),
    envFrom: [{ configMapRef: { name: 'dhakacart-config' } }],
    resources: resources({ cpu: '500m', memory: '512Mi' }, { cpu: '250m', memory: '256Mi' }),
    livenessProbe: httpProbe('/health', 5000, 30, 10, 5),
    readinessProbe: httpProbe('/health', 5000, 10, 5, 3),
  },
  replicas: 3, generation: 9, created: '2025-02-10T09:20:00Z', progressed: '2025-03-14T09:49:20Z',
  history: [
    { hash: '5c8d7b9f4', revision: 5, image: 'dhakacart/backend:v1.4.0', pipeline: 1142, created: '2025-03-03T11:15:00Z' },
    { hash: '6b7c9d8f5d', revision: 6, image: 'dhakacart/backend:v1.4.1', pipeline: 1163, created: '2025-03-07T16:40:00Z' },
  ],
  current: { hash: '7d9f8c6b5d', revision: 7, image: 'dhakacart/backend:v1.4.2', pipeline: 1187, created: '2025-03-14T09:48:10Z' },
  pods: [
    { name: 'x2x9k', node: 0, ip: '10.244.1.12', created: '2025-03-14T09:48:10Z', started: '2025-03-14T09:48:30Z', ready: '2025-03-14T09:48:42Z', uid: '3f1c2b7e-8a4d-4c6e-9b21-5d7e8f9a0b1c' },
    { name: 'k8m2p', node: 1, ip: '10.244.2.15', created: '2025-03-14T09:48:41Z', started: '2025-03-14T09:48:58Z', ready: '2025-03-14T09:49:10Z', uid: '6a2d4e8f-1b3c-4d5e-8f90-a1b2c3d4e5f6' },
    { name: 'q7w4n', node: 2, ip: '10.244.3.9', created: '2025-03-14T09:49:10Z', started: '2025-03-14T09:49:27Z', ready: '2025-03-14T09:49:39Z', uid: '9c8b7a6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d' },
  ],
};

/** The v1.4.1 → v1.4.2 rollout of the backend, one surge pod at a time: each new pod, then an old one stopped. */
const ROLLOUT = { from: BACKEND.history[1]!.hash, stopped: [{ pod: 'bn6rt', node: 1, at: '2025-03-14T09:48:40Z' }, { pod: 'cw9zl', node: 2, at: '2025-03-14T09:49:11Z' }, { pod: 'j5ldr', node: 0, at: '2025-03-14T09:49:40Z' }] };

const FRONTEND: DeploymentParams = {
  name: 'dhakacart-frontend', tier: 'frontend', port: { name: 'http', port: 80 }, service: { clusterIP: '10.96.0.11', type: 'NodePort', nodePort: 30080 },
  container: {
    env: env({ API_URL: 'http://backend-service:5000' }),
    resources: resources({ cpu: '200m', memory: '128Mi' }, { cpu: '50m', memory: '64Mi' }),
    livenessProbe: httpProbe('/', 80, 10, 10, 1),
    readinessProbe: httpProbe('/', 80, 5, 5, 1),
  },
  replicas: 2, generation: 4, created: '2025-02-10T09:20:00Z', progressed: '2025-03-10T14:02:30Z',
  history: [],
  current: { hash: '5f6d8c9b7', revision: 3, image: 'dhakacart/frontend:v2.3.0', pipeline: 1179, created: '2025-03-10T14:02:00Z' },
  pods: [
    { name: 'hj4tz', node: 1, ip: '10.244.2.7', created: '2025-03-10T14:02:01Z', started: '2025-03-10T14:02:09Z', ready: '2025-03-10T14:02:21Z' },
    { name: 'm9xvq', node: 2, ip: '10.244.3.4', created: '2025-03-10T14:02:01Z', started: '2025-03-10T14:02:10Z', ready: '2025-03-10T14:02:22Z' },
  ],
};

const REDIS: DeploymentParams = {
  name: 'redis', port: { name: 'redis', port: 6379 }, service: { clusterIP: '10.96.0.30' },
  container: {
    resources: resources({ memory: '256Mi' }, { cpu: '50m', memory: '128Mi' }),
    readinessProbe: execProbe(['redis-cli', 'ping'], 1, 3),
  },
  replicas: 1, generation: 1, created: '2025-02-10T09:10:00Z', progressed: '2025-03-14T09:49:20Z',
  history: [],
  current: { hash: '6d4b8c7f9', revision: 1, image: 'redis:7.2-alpine', created: '2025-02-10T09:10:00Z' },
  pods: [{ name: 't5zzw', node: 0, ip: '10.244.1.5', created: '2025-03-01T03:13:05Z', started: '2025-03-01T03:13:21Z', ready: '2025-03-01T03:13:33Z' }],
};

const POSTGRES = {
  name: 'postgres', port: { name: 'postgres', port: 5432 }, service: { clusterIP: '10.96.0.20' }, image: 'postgres:16.2',
  created: '2025-02-10T09:10:00Z', revision: 'postgres-7b9c5d6f8', storage: '20Gi', storageClassName: 'gp3',
  container: {
    env: env({
      POSTGRES_DB: 'dhakacart', POSTGRES_USER: { secret: 'db-credentials', key: 'username' }, POSTGRES_PASSWORD: { secret: 'db-credentials', key: 'password' },
      PGDATA: '/var/lib/postgresql/data/pgdata',
    }),
    resources: resources({ memory: '1Gi' }, { cpu: '250m', memory: '512Mi' }),
    readinessProbe: execProbe(['pg_isready', '-U', 'dhakacart_app', '-d', 'dhakacart'], 5, 6),
    volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
  },
  pod: { name: 'postgres-0', node: 1, ip: '10.244.2.3', created: '2025-03-01T03:12:40Z', started: '2025-03-01T03:13:01Z', ready: '2025-03-01T03:13:13Z' } as PodParams,
};

/** The simulator settings (the Scenario document): registry, metrics, the apps' HTTP answers and logs. */
const HEAD = {
  apiVersion: 'sim.dhakacart.io/v1',
  kind: 'Scenario',
  now: '2025-03-14T10:30:00Z',
  description: 'Healthy DhakaCart: backend (3 replicas, revision 7 rolled out 42m ago), frontend, postgres, redis on three nodes.',
  expect: { cause: 'healthy', confidence: 'confirmed', fix: null },
  metrics: true,
  // Images the registry has (the deployment controller's new pods fail to pull anything else):
  // every image of the history, plus the emergency image of `emergency image`.
  registry: [...BACKEND.history.map((r) => r.image), BACKEND.current.image, 'dhakacart/backend:emergency', FRONTEND.current.image, REDIS.current.image, POSTGRES.image],
  podMetrics: {
    'dhakacart-backend-*': { backend: { cpu: '120m', memory: '212Mi' } },
    'dhakacart-frontend-*': { frontend: { cpu: '4m', memory: '18Mi' } },
    'postgres-0': { postgres: { cpu: '35m', memory: '310Mi' } },
    'redis-*': { redis: { cpu: '6m', memory: '41Mi' } },
  },
  proxy: [
    { selector: 'app=dhakacart-backend', port: 5000, path: '/health', status: 200, body: { status: 'ok', version: '1.4.2', db: 'up', redis: 'up' } },
    {
      selector: 'app=dhakacart-backend', port: 5000, path: '/api/products', status: 200,
      body: {
        items: [
          { id: 101, name: 'Jamdani Saree', price: 8500, currency: 'BDT' },
          { id: 102, name: 'Hilsa Fish (1kg)', price: 1600, currency: 'BDT' },
          { id: 103, name: 'Nakshi Kantha', price: 4200, currency: 'BDT' },
        ],
        total: 3,
      },
    },
    { selector: 'app=dhakacart-frontend', port: 80, path: '/', status: 200, body: '<!doctype html><html><head><title>DhakaCart</title></head><body><div id="root"></div></body></html>\n', contentType: 'text/html' },
  ],
  logs: {
    'dhakacart-backend-*/backend': {
      current: lines(
        '> dhakacart-backend@1.4.2 start',
        '> node dist/server.js',
        '',
        '2025-03-14T09:48:31.204Z info: Starting DhakaCart backend v1.4.2 (NODE_ENV=production)',
        '2025-03-14T09:48:31.512Z info: Connecting to PostgreSQL at postgres-service:5432/dhakacart as dhakacart_app',
        '2025-03-14T09:48:31.688Z info: PostgreSQL connection pool ready (max=20)',
        '2025-03-14T09:48:31.701Z info: Connected to Redis at redis-service:6379',
        '2025-03-14T09:48:31.744Z info: HTTP server listening on :5000',
        '2025-03-14T09:50:02.118Z info: GET /api/products 200 41ms',
        '2025-03-14T09:55:47.302Z info: GET /api/products?category=saree 200 37ms',
        '2025-03-14T10:05:12.876Z info: POST /api/cart 201 22ms',
        '2025-03-14T10:17:40.015Z info: GET /api/orders/88231 200 18ms',
        '2025-03-14T10:29:58.440Z info: GET /api/products 200 39ms',
      ),
    },
    'dhakacart-frontend-*/frontend': {
      current: lines(
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
        '2025-03-10T14:02:09.000Z [notice] 1#1: nginx/1.27.2',
        '2025-03-10T14:02:09.000Z [notice] 1#1: start worker processes',
        '10.244.0.1 - - [14/Mar/2025:10:29:41 +0000] "GET / HTTP/1.1" 200 412 "-" "Mozilla/5.0"',
        '10.244.0.1 - - [14/Mar/2025:10:29:42 +0000] "GET /static/js/main.8c1f2a.js HTTP/1.1" 200 183211 "-" "Mozilla/5.0"',
      ),
    },
    'postgres-0/postgres': {
      current: lines(
        '2025-03-01 03:13:02.114 UTC [1] LOG:  starting PostgreSQL 16.2 on x86_64-pc-linux-gnu',
        '2025-03-01 03:13:02.115 UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432',
        '2025-03-01 03:13:02.131 UTC [29] LOG:  database system was shut down at 2025-03-01 03:11:58 UTC',
        '2025-03-01 03:13:02.140 UTC [1] LOG:  database system is ready to accept connections',
        '2025-03-14 10:13:02.201 UTC [27] LOG:  checkpoint complete: wrote 312 buffers (1.9%)',
      ),
    },
    'redis-*/redis': {
      current: lines(
        '1:C 01 Mar 2025 03:13:21.004 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '1:M 01 Mar 2025 03:13:21.006 * Running mode=standalone, port=6379.',
        '1:M 01 Mar 2025 03:13:21.007 * Server initialized',
        '1:M 01 Mar 2025 03:13:21.007 * Ready to accept connections tcp',
      ),
    },
  },
};

function lines(...l: string[]): string {
  return l.map((x) => `${x}\n`).join('');
}

// ---- builders ----------------------------------------------------------------------------

const meta = (name: string, created: string, extra: Record<string, unknown> = {}) => ({ name, namespace: NS, creationTimestamp: created, ...extra });
/** Workloads print labels and generation before creationTimestamp. */
const workloadMeta = (name: string, labels: Record<string, string>, generation: number, created: string, extra: Record<string, unknown> = {}) =>
  ({ name, namespace: NS, labels, generation, creationTimestamp: created, ...extra });
const owner = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, controller: true, blockOwnerDeletion: true }];

function namespace(name: string, created: string, labels: Record<string, string> = {}): KObj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, creationTimestamp: created }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function node(n: (typeof NODES)[number], i: number): KObj {
  const condition = (type: string, status: string, reason: string, message: string, since = CLUSTER_CREATED) =>
    ({ type, status, lastHeartbeatTime: NODES_HEARTBEAT, lastTransitionTime: since, reason, message });
  const size = { cpu: '4', 'ephemeral-storage': '103680420Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16139972Ki', pods: '110' };
  const cidr = `10.244.${i + 1}.0/24`;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: n.name, creationTimestamp: CLUSTER_CREATED,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'm5.xlarge', 'topology.kubernetes.io/region': 'ap-south-1', 'topology.kubernetes.io/zone': n.zone,
      },
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `aws:///${n.zone}/${n.instance}` },
    status: {
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      allocatable: { ...size, cpu: '3920m', 'ephemeral-storage': '95551679124', memory: '15242500Ki' },
      capacity: size,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', at(CLUSTER_CREATED, 70)),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64', bootID: n.bootID, containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '6.1.119-129.201.amzn2023.x86_64',
        kubeProxyVersion: 'v1.32.2', kubeletVersion: 'v1.32.2', machineID: n.machineID, operatingSystem: 'linux', osImage: 'Amazon Linux 2023.6.20250218', systemUUID: n.systemUUID,
      },
    },
  };
}

function service(app: AppParams): KObj {
  const port: Record<string, unknown> = { ...app.port, protocol: 'TCP', targetPort: app.port.port };
  if (app.service.nodePort) port.nodePort = app.service.nodePort;
  const name = app.name.replace(/^dhakacart-/, '');
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(`${name}-service`, CONFIG_CREATED, { labels: { app: app.name } }),
    spec: {
      type: app.service.type ?? 'ClusterIP', clusterIP: app.service.clusterIP, clusterIPs: [app.service.clusterIP], internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [port], selector: { app: app.name }, sessionAffinity: 'None',
    },
    status: { loadBalancer: {} },
  };
}

function endpoints(app: AppParams, pods: { name: string; p: PodParams }[]): KObj {
  const name = app.name.replace(/^dhakacart-/, '');
  return {
    apiVersion: 'v1', kind: 'Endpoints', metadata: meta(`${name}-service`, CONFIG_CREATED, { labels: { app: app.name } }),
    subsets: [{
      addresses: pods.map(({ name: pod, p }) => ({ ip: p.ip, nodeName: NODES[p.node]!.name, targetRef: { kind: 'Pod', name: pod, namespace: NS } })),
      ports: [{ ...app.port, protocol: 'TCP' }],
    }],
  };
}

function container(app: AppParams, image: string): Record<string, unknown> {
  const { volumeMounts, ...rest } = app.container;
  return {
    name: app.name.replace(/^dhakacart-/, ''), image, imagePullPolicy: 'IfNotPresent', ports: [{ name: app.port.name, containerPort: app.port.port, protocol: 'TCP' }],
    ...rest, ...(volumeMounts ? { volumeMounts } : {}), terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  };
}

function podSpec(app: AppParams, image: string): Record<string, unknown> {
  return {
    containers: [container(app, image)], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30,
    ...(app.imagePullSecrets ? { imagePullSecrets: app.imagePullSecrets.map((name) => ({ name })) } : {}),
  };
}

const appLabels = (app: AppParams) => ({ app: app.name, ...(app.tier ? { tier: app.tier } : {}) });
const changeCause = (r: Revision) => (r.pipeline ? { 'kubernetes.io/change-cause': `CI: deploy ${r.image} (pipeline #${r.pipeline})` } : {});

function deployment(d: DeploymentParams): KObj {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: workloadMeta(d.name, { app: d.name }, d.generation, d.created, { annotations: { 'deployment.kubernetes.io/revision': String(d.current.revision), ...changeCause(d.current) } }),
    spec: {
      replicas: d.replicas, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, selector: { matchLabels: { app: d.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: appLabels(d) }, spec: podSpec(d, d.current.image) },
    },
    status: {
      availableReplicas: d.replicas, readyReplicas: d.replicas, replicas: d.replicas, updatedReplicas: d.replicas, observedGeneration: d.generation,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: RESTARTED, lastTransitionTime: RESTARTED, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: d.progressed, lastTransitionTime: '2025-02-10T09:20:00Z', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.name}-${d.current.hash}" has successfully progressed.` },
      ],
    },
  };
}

function replicaSet(d: DeploymentParams, r: Revision): KObj {
  const current = r === d.current;
  const labels = { ...appLabels(d), 'pod-template-hash': r.hash };
  const replicas = current ? d.replicas : 0;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: workloadMeta(`${d.name}-${r.hash}`, labels, current ? 1 : 2, r.created, {
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(d.replicas), 'deployment.kubernetes.io/max-replicas': String(d.replicas + Math.ceil(d.replicas / 4)),
        'deployment.kubernetes.io/revision': String(r.revision), ...changeCause(r),
      },
      ownerReferences: owner('Deployment', d.name),
    }),
    spec: { replicas, selector: { matchLabels: { app: d.name, 'pod-template-hash': r.hash } }, template: { metadata: { labels }, spec: podSpec(d, r.image) } },
    status: current
      ? { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 }
      : { replicas: 0, observedGeneration: 2 },
  };
}

const TOLERATIONS = ['not-ready', 'unreachable'].map((t) => ({ effect: 'NoExecute', key: `node.kubernetes.io/${t}`, operator: 'Exists', tolerationSeconds: 300 }));

function pod(app: AppParams, image: string, name: string, p: PodParams, metadata: Record<string, unknown>, spec: Record<string, unknown> = {}): KObj {
  const n = NODES[p.node]!;
  const c = container(app, image);
  const condition = (type: string, since: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: since });
  const registryPath = image.includes('/') ? image : `library/${image}`;
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, ...(p.uid ? { uid: p.uid } : {}), ...metadata },
    spec: {
      ...podSpec(app, image), ...spec, nodeName: n.name, serviceAccountName: 'default', serviceAccount: 'default', enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority', priority: 0, tolerations: TOLERATIONS,
    },
    status: {
      phase: 'Running', hostIP: n.ip, hostIPs: [{ ip: n.ip }], podIP: p.ip, podIPs: [{ ip: p.ip }], qosClass: 'Burstable', startTime: p.created,
      conditions: [
        condition('PodReadyToStartContainers', p.created), condition('Initialized', p.created), condition('Ready', p.ready), condition('ContainersReady', p.ready), condition('PodScheduled', p.created),
      ],
      containerStatuses: [{
        name: c.name, image: `docker.io/${registryPath}`, imageID: `docker.io/${registryPath.replace(/:.*$/, '')}@sha256:${DIGESTS[image]}`,
        containerID: `containerd://${sha256(`${name}/${c.name}/0`)}`, ready: true, started: true, restartCount: 0,
        state: { running: { startedAt: p.started } }, lastState: {},
      }],
    },
  };
}

function deploymentPods(d: DeploymentParams): { name: string; p: PodParams; obj: KObj }[] {
  const rs = `${d.name}-${d.current.hash}`;
  return d.pods.map((p) => {
    const name = `${rs}-${p.name}`;
    const obj = pod(d, d.current.image, name, p, {
      labels: { ...appLabels(d), 'pod-template-hash': d.current.hash }, creationTimestamp: p.created, generateName: `${rs}-`, ownerReferences: owner('ReplicaSet', rs),
    });
    return { name, p, obj };
  });
}

function statefulSet(): KObj {
  const s = POSTGRES;
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: workloadMeta(s.name, { app: s.name }, 1, s.created),
    spec: {
      replicas: 1, serviceName: `${s.name}-service`, podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10, selector: { matchLabels: { app: s.name } },
      template: { metadata: { labels: { app: s.name } }, spec: podSpec(s, s.image) },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: s.storage } }, storageClassName: s.storageClassName, volumeMode: 'Filesystem' },
      }],
    },
    status: { availableReplicas: 1, collisionCount: 0, currentReplicas: 1, currentRevision: s.revision, observedGeneration: 1, readyReplicas: 1, replicas: 1, updateRevision: s.revision, updatedReplicas: 1 },
  };
}

function statefulPod(): KObj {
  const s = POSTGRES;
  const name = s.pod.name;
  return pod(s, s.image, name, s.pod, {
    labels: { app: s.name, 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': s.revision, 'statefulset.kubernetes.io/pod-name': name },
    creationTimestamp: s.pod.created, ownerReferences: owner('StatefulSet', s.name),
  }, { hostname: name, subdomain: `${s.name}-service`, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-${name}` } }] });
}

// ---- events of the backend rollout -----------------------------------------------------------

interface Involved { apiVersion: string; kind: string; name: string; fieldPath?: string }
/**
 * An event named as the recorded cluster named them: the object's name and a hash of its
 * name and reason (and of the message for the reasons given one).
 */
function event(io: Involved, reason: string, message: string, time: string, source: { component: string; host?: string }, hashMessage: boolean): KObj {
  const suffix = sha256(hashMessage ? `${io.name}/${reason}/${message}` : `${io.name}/${reason}`).slice(0, 16);
  return {
    apiVersion: 'v1', kind: 'Event', metadata: meta(`${io.name}.${suffix}`, time), involvedObject: { apiVersion: io.apiVersion, kind: io.kind, name: io.name, namespace: NS, ...(io.fieldPath ? { fieldPath: io.fieldPath } : {}) },
    reason, message, type: 'Normal', count: 1, firstTimestamp: time, lastTimestamp: time, source,
    reportingComponent: source.component, reportingInstance: source.host ?? '', eventTime: null,
  };
}

function scheduled(podName: string, nodeName: string, time: string): KObj {
  const suffix = sha256(`${podName}/Scheduled`).slice(0, 16);
  return {
    apiVersion: 'v1', kind: 'Event', metadata: meta(`${podName}.${suffix}`, time), involvedObject: { apiVersion: 'v1', kind: 'Pod', name: podName, namespace: NS },
    reason: 'Scheduled', message: `Successfully assigned ${NS}/${podName} to ${nodeName}`, type: 'Normal', action: 'Binding',
    eventTime: time.replace('Z', '.104512Z'), firstTimestamp: null, lastTimestamp: null, source: {},
    reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-dhakacart-control-plane',
  };
}

function rolloutEvents(d: DeploymentParams, pods: { name: string; p: PodParams }[]): KObj[] {
  const newRs = `${d.name}-${d.current.hash}`;
  const oldRs = `${d.name}-${ROLLOUT.from}`;
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name };
  const out: KObj[] = [];
  pods.forEach(({ name, p }, i) => {
    const host = NODES[p.node]!.name;
    const kubelet = { component: 'kubelet', host };
    const c = { apiVersion: 'v1', kind: 'Pod', name, fieldPath: `spec.containers{${d.name.replace(/^dhakacart-/, '')}}` };
    const cname = d.name.replace(/^dhakacart-/, '');
    out.push(
      scheduled(name, host, p.created),
      event(c, 'Pulling', `Pulling image "${d.current.image}"`, at(p.created, 1), kubelet, true),
      event(c, 'Pulled', `Successfully pulled image "${d.current.image}" in 14.212s (14.212s including waiting). Image size: 48213456 bytes.`, at(p.created, 16), kubelet, true),
      event(c, 'Created', `Created container: ${cname}`, at(p.created, 17), kubelet, false),
      event(c, 'Started', `Started container ${cname}`, at(p.created, 18), kubelet, false),
      event({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: newRs }, 'SuccessfulCreate', `Created pod: ${name}`, p.created, { component: 'replicaset-controller' }, true),
      event(dep, 'ScalingReplicaSet', `Scaled up replica set ${newRs} from ${i} to ${i + 1}`, p.created, { component: 'deployment-controller' }, true),
    );
    const stop = ROLLOUT.stopped[i]!;
    const old = `${oldRs}-${stop.pod}`;
    out.push(
      event(dep, 'ScalingReplicaSet', `Scaled down replica set ${oldRs} from ${d.replicas - i} to ${d.replicas - i - 1}`, stop.at, { component: 'deployment-controller' }, true),
      event({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: oldRs }, 'SuccessfulDelete', `Deleted pod: ${old}`, stop.at, { component: 'replicaset-controller' }, true),
      event({ apiVersion: 'v1', kind: 'Pod', name: old, fieldPath: c.fieldPath }, 'Killing', `Stopping container ${cname}`, stop.at, { component: 'kubelet', host: NODES[stop.node]!.name }, true),
    );
  });
  return out;
}

// ---- the documents -------------------------------------------------------------------------

/** The baseline as scenario.ts reads a scenario file: the Scenario document, then the objects (fresh copies each call). */
export function baselineDocuments(): any[] {
  const apps = [BACKEND, FRONTEND, REDIS];
  const podsOf = new Map(apps.map((d) => [d, deploymentPods(d)]));
  const objects: KObj[] = [
    namespace('default', CLUSTER_CREATED), namespace('kube-system', CLUSTER_CREATED), namespace(NS, NAMESPACE_CREATED, { team: 'dhakacart' }),
    ...NODES.map(node),
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('db-credentials', CONFIG_CREATED, { labels: { app: 'dhakacart' } }), type: 'Opaque',
      data: { username: Buffer.from('dhakacart_app').toString('base64'), password: Buffer.from('fake-password-for-tests-only').toString('base64') } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('regcred', CONFIG_CREATED), type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'registry.example.invalid': { auth: Buffer.from('fake:fake').toString('base64') } } })).toString('base64') } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('dhakacart-config', CONFIG_CREATED, { labels: { app: 'dhakacart' } }),
      data: { LOG_LEVEL: 'info', API_PREFIX: '/api', CACHE_TTL_SECONDS: '300', CORS_ORIGIN: 'https://dhakacart.example.invalid' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-root-ca.crt', NAMESPACE_CREATED), data: { 'ca.crt': lines('-----BEGIN CERTIFICATE-----', '(simulated)', '-----END CERTIFICATE-----') } },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default', creationTimestamp: CLUSTER_CREATED, labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
      status: { loadBalancer: {} },
    },
    ...[BACKEND, FRONTEND, POSTGRES, REDIS].map(service),
  ];
  for (const d of apps) {
    const pods = podsOf.get(d)!;
    objects.push(deployment(d), ...[...d.history, d.current].map((r) => replicaSet(d, r)), ...pods.map((x) => x.obj), endpoints(d, pods));
  }
  objects.push(statefulSet(), statefulPod(), endpoints(POSTGRES, [{ name: POSTGRES.pod.name, p: POSTGRES.pod }]));
  objects.push(...rolloutEvents(BACKEND, podsOf.get(BACKEND)!));
  return structuredClone([HEAD, ...objects]);
}

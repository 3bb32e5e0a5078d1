import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import { fromNewApi, type NewApiEvent } from './newApiEvents';
import { mapLimit } from './pool';
import { Gaps, type GapTarget } from './gaps';
import { readReference, readServiceStates } from './readNamedObjects';
import { envServices, pullSecretRefs, referencedObjects, uniqueRefs } from '../kube/podSpecRefs';
import { pullFailing } from '../kube/imagePull';
import { gatherScheduling } from './gatherScheduling';
import { assertNamespace } from './gatherStatus';
import { CliError } from '../errors';
import { serviceKey } from './snapshot';
import type { ContainerLogs, LogTail, ServiceState, Snapshot } from './snapshot';
import { dependencyRefs, resolveDependencies } from '../kube/dependencies';
import { summarizePod, type HealthClock } from '../kube/podState';
import { didYouMean } from '../kube/nearest';
import { matchesLabels, matchesRequirements, parseSelector } from '../kube/selector';
import type { Deployment, KubeEvent, NodeObject, Pod, PodMetrics, ReplicaSet, Service, StatefulSet } from '../kube/types';

const LOG_TAIL_LINES = 200;
const LOG_LIMIT_BYTES = 256 * 1024;
const LOG_CONCURRENCY = 4;

/** The running pod behind a Service, whose own log is worth reading (it decides an auth failure). */
function backingPod(svc: ServiceState, pods: Pod[]): Pod | null {
  const sel = svc.service?.spec?.selector;
  if (!sel || !Object.keys(sel).length) return null;
  return pods.find((p) => matchesLabels(sel, p.metadata.labels) && p.status?.phase === 'Running') ?? null;
}


/** Containers worth reading logs of: restarting, not ready, or waiting on a failure. */
function failingContainers(pod: Pod): string[] {
  const st = pod.status ?? {};
  return [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
    .filter((c) => c.restartCount > 0 || (!c.ready && c.state?.terminated?.exitCode !== 0))
    .map((c) => c.name);
}

/**
 * A log the kubelet has not got (400: the container never ran, or has no previous run) is
 * absent; any other failure is a gap: the log may hold what decides the cause.
 */
async function readLog(api: KubeApi, gaps: Gaps, ns: string, pod: string, container: string, previous: boolean, gapAs?: Pick<GapTarget, 'piece' | 'key'>): Promise<LogTail> {
  const path = paths.podLog(ns, pod);
  try {
    const text = await api.text(path, { container, previous, tailLines: LOG_TAIL_LINES, limitBytes: LOG_LIMIT_BYTES });
    return { text, error: null, truncated: Buffer.byteLength(text) >= LOG_LIMIT_BYTES };
  } catch (e) {
    if (e instanceof ApiError && (e.code === 400 || e.code === 404)) return { text: null, error: e.message.replace(/^Error from server \(\w+\): /, ''), truncated: false };
    const t: GapTarget = { what: `log of ${pod}/${container} (${previous ? 'previous' : 'current'})`, piece: 'logs', key: `${pod}/${container}`, ...gapAs };
    return { text: null, error: gaps.record(t, `GET ${path}`, e), truncated: false };
  }
}

/** The pod asked about is not in the namespace: a cluster error, typed so that a caller expecting gone pods (an alert's) can tell it apart. */
export class PodNotFoundError extends CliError {
  constructor(readonly pod: string, namespace: string, hint: string) {
    super('cluster', `pod "${pod}" not found in namespace "${namespace}"`, hint);
  }
}

/**
 * What the gather step asks the rules (it does not know them): which env vars name a
 * database, and which log lines say it refused the app's credentials. When an app's log has
 * such lines, the database's own log is read too: it decides an authentication failure.
 */
export interface DatabaseLogJudge {
  isDatabase(envVar: string): boolean;
  credentialLines(text: string | null): string[];
}

/** -A: one cluster-wide pod list finds the namespaces with selected pods; each is then gathered as one namespace is. */
export async function namespacesWithPods(api: KubeApi, selector: string): Promise<string[]> {
  const pods = await api.list<Pod>(paths.pods(null));
  const reqs = parseSelector(selector) ?? [];
  return [...new Set(pods.items.filter((p) => matchesRequirements(reqs, p.metadata.labels)).map((p) => p.metadata.namespace ?? ''))].sort();
}

/** `windowMs`: how far back an abnormal restart makes a pod unhealthy (--since). */
export interface WhyRequest { namespace: string; pod: string | null; selector: string; context: string | null; now: number; windowMs: number }

type ConfigMap = { metadata: { name: string; namespace?: string }; data?: Record<string, string> };

/**
 * One snapshot for `why`, in two rounds of parallel requests: first the pods, events and
 * owners (one list each, joined in memory: no request per pod), then, for failing
 * containers only, logs (bounded concurrency), nodes, the Services the env points at,
 * referenced Secrets/ConfigMaps (key names) and metrics.
 */
export async function gatherWhy(api: KubeApi, req: WhyRequest, judge: DatabaseLogJudge): Promise<Snapshot> {
  const ns = req.namespace;
  const gaps = new Gaps();
  const eventsQuery = req.pod ? { fieldSelector: `involvedObject.name=${req.pod}` } : {};
  const newEventsQuery = req.pod ? { fieldSelector: `regarding.name=${req.pod}` } : {};
  const eventsPath = paths.events(ns);
  const newEventsPath = paths.newEvents(ns);
  // Without a pod named, the selected apps' dependencies are followed: Services, the
  // StatefulSets behind them, and the ConfigMaps whose values may name them (one list each).
  const scope = <T>(what: string, path: string) => (req.pod ? Promise.resolve([] as T[])
    : gaps.read({ what, piece: 'owner' }, `GET ${path}`, api.list<T>(path)).then((l) => l?.items ?? []));
  // Both events APIs serve the same stored events: events.k8s.io is asked only when the core list failed.
  const readEvents = async (): Promise<KubeEvent[] | null> => {
    try {
      return (await api.list<KubeEvent>(eventsPath, eventsQuery)).items;
    } catch (e) {
      const reason = gaps.record({ what: 'events', piece: 'events' }, `GET ${eventsPath}`, e);
      // The same server: after a timeout or a connection that failed its retries, the other
      // API would only keep the command (and the process, after the command failed) waiting as long again.
      if (reason === 'timed out' || reason === 'unreachable') return null;
    }
    const newer = await gaps.read({ what: 'events (events.k8s.io)', piece: 'events' }, `GET ${newEventsPath}`, api.list<NewApiEvent>(newEventsPath, newEventsQuery));
    return newer && fromNewApi(newer.items);
  };
  const [podList, events, deployments, replicaSets, svcList, stsList, cmList] = await Promise.all([
    // The whole namespace's pods, also when only the selector's are diagnosed: the database
    // pods behind DB_HOST and the other failing services (escalation) come from this one list.
    api.list<Pod>(paths.pods(ns)),
    readEvents(),
    gaps.read({ what: 'deployments', piece: 'owner' }, `GET ${paths.deployments(ns)}`, api.list<Deployment>(paths.deployments(ns))),
    gaps.read({ what: 'replicasets', piece: 'owner' }, `GET ${paths.replicasets(ns)}`, api.list<ReplicaSet>(paths.replicasets(ns))),
    scope<Service>('services', paths.services(ns)),
    scope<StatefulSet>('statefulsets', paths.statefulsets(ns)),
    scope<ConfigMap>('configmaps', paths.configmaps(ns)),
  ]);
  if (events) gaps.settle('events');
  const pods = podList.items;
  if (req.pod && !pods.some((p) => p.metadata.name === req.pod)) {
    await assertNamespace(api, ns);
    throw new PodNotFoundError(req.pod, ns, didYouMean(req.pod, pods.map((p) => p.metadata.name)) ?? `list them with: kubectl dhakacart status -n ${ns}`);
  }
  if (pods.length === 0) await assertNamespace(api, ns);
  const selected = parseSelector(req.selector) ?? [];
  const clock: HealthClock = { now: req.now, windowMs: req.windowMs };
  const picked = pods.filter((p) => matchesRequirements(selected, p.metadata.labels));
  const isShown = (kind: string, _ns: string, name: string) => kind === 'Deployment'
    && (deployments?.items ?? []).some((d) => d.metadata.name === name && matchesRequirements(selected, d.spec.template.metadata?.labels));
  const configMaps = new Map(cmList.map((c) => [`${ns}/${c.metadata.name}`, c.data ?? {}]));
  const dependencies = req.pod ? [] : resolveDependencies(dependencyRefs(picked, configMaps),
    { namespaces: new Set([ns]), services: svcList, deployments: deployments?.items ?? [], statefulSets: stsList, pods }, clock, isShown);
  const dependencyPods = new Set(dependencies.flatMap((d) => d.failingPods.map((p) => p.metadata.name)));
  const targets = req.pod
    ? pods.filter((p) => p.metadata.name === req.pod)
    : pods.filter((p) => (dependencyPods.has(p.metadata.name) || picked.includes(p)) && !summarizePod(p, clock).healthy);

  const logJobs = targets.flatMap((p) => failingContainers(p).map((c) => ({ pod: p.metadata.name, container: c })));
  const nodeNames = [...new Set(targets.map((p) => p.spec.nodeName).filter((n): n is string => !!n))];
  const hosts = envServices(targets.map((p) => p.spec), ns);

  const nodeEventsPath = paths.events('default');
  const metricsPath = paths.podMetrics(ns);
  const statefulSetsPath = paths.statefulsets(ns);
  const pending = targets.filter((p) => !p.spec.nodeName && p.status?.phase === 'Pending');
  const [logs, nodes, nodeEvents, services, references, statefulSets, metrics, scheduling] = await Promise.all([
    // A container's two logs do not depend on each other: both in flight at once.
    mapLimit(logJobs, LOG_CONCURRENCY, async (j) => {
      const [previous, current] = await Promise.all([readLog(api, gaps, ns, j.pod, j.container, true), readLog(api, gaps, ns, j.pod, j.container, false)]);
      return { ...j, logs: { previous, current } as ContainerLogs };
    }),
    Promise.all(nodeNames.map((n) => gaps.read({ what: `node ${n}`, piece: 'node', key: n }, `GET ${paths.node(n)}`, api.getOptional<NodeObject>(paths.node(n))))),
    nodeNames.length
      ? gaps.read({ what: 'node events', piece: 'nodeEvents' }, `GET ${nodeEventsPath}`, api.list<KubeEvent>(nodeEventsPath, { fieldSelector: 'involvedObject.kind=Node' }))
      : Promise.resolve(null),
    readServiceStates(api, gaps, ns, hosts, pods),
    Promise.all(uniqueRefs([...referencedObjects(targets.map((p) => p.spec)), ...targets.filter(pullFailing).flatMap((p) => pullSecretRefs(p.spec))]).map((r) => readReference(api, gaps, ns, r))),
    // One list: the owners of failing StatefulSet pods and the workloads behind the Services the env names.
    // Without a pod named, the first round listed them already.
    targets.length && req.pod
      ? gaps.read({ what: 'statefulsets', piece: 'owner' }, `GET ${statefulSetsPath}`, api.list<StatefulSet>(statefulSetsPath)).then((l) => l?.items ?? [])
      : Promise.resolve(stsList),
    targets.length
      ? gaps.read({ what: 'pod metrics', piece: 'metrics' }, `GET ${metricsPath}`, api.list<PodMetrics>(metricsPath)).then((l) => l?.items ?? null)
      : Promise.resolve(null),
    pending.length ? gatherScheduling(api, gaps, ns) : Promise.resolve(null),
  ]);

  const logMap: Snapshot['logs'] = {};
  for (const l of logs) (logMap[l.pod] ??= {})[l.container] = l.logs;
  // The database's own log decides an authentication failure: read only when an app's log reports one.
  const refused = logs.some((l) => [l.logs.previous.text, l.logs.current.text].some((t) => judge.credentialLines(t).length > 0));
  if (refused) {
    await Promise.all(services.filter((sv) => judge.isDatabase(sv.envVar)).map(async (sv) => {
      const p = backingPod(sv, pods);
      const c = p?.spec.containers[0]?.name;
      if (!p || !c) return;
      // Its gap is the dependency's evidence, so it is named for the pods that depend on it.
      const tail = await readLog(api, gaps, ns, p.metadata.name, c, false, { piece: 'service', key: serviceKey(sv) });
      sv.dependencyLog = { pod: p.metadata.name, container: c, lines: judge.credentialLines(tail.text).slice(-3) };
    }));
  }
  const nodeSet = new Set(nodeNames);
  return {
    version: 1,
    capturedAt: new Date(req.now).toISOString(),
    namespace: ns,
    context: req.context,
    target: req.pod,
    selector: req.selector,
    healthWindowMs: req.windowMs,
    pods,
    events: events ?? [],
    logs: logMap,
    deployments: deployments?.items ?? [],
    replicaSets: replicaSets?.items ?? [],
    statefulSets,
    nodes: nodes.filter((n): n is NodeObject => !!n),
    nodeEvents: (nodeEvents?.items ?? []).filter((e) => nodeSet.has(e.involvedObject.name ?? '')),
    services,
    references,
    metrics,
    ...(req.pod ? {} : { dependencies: dependencies.map((d) => ({ ...d.dependency, failingPods: d.failingPods.map((p) => p.metadata.name) })) }),
    ...(scheduling ? { scheduling } : {}),
    gaps: gaps.list,
  };
}


import { ApiError, paths, type KubeApi } from './api';
import { mergeEvents, type NewApiEvent } from './events';
import { mapLimit } from './pool';
import { envServices, Gaps, readReference, readServiceState, referencedObjects } from './references';
import { assertNamespace } from './gatherStatus';
import { clusterError } from '../errors';
import type { ContainerLogs, LogTail, Snapshot } from '../diagnose/snapshot';
import { summarizePod } from '../kube/podState';
import { didYouMean } from '../kube/nearest';
import { matchesRequirements, parseSelector } from '../kube/selector';
import type { Deployment, KubeEvent, NodeObject, Pod, PodMetrics, ReplicaSet, StatefulSet } from '../kube/types';

export const LOG_TAIL_LINES = 200;
export const LOG_LIMIT_BYTES = 256 * 1024;
const LOG_CONCURRENCY = 4;

const enc = encodeURIComponent;

/** Containers worth reading logs of: restarting, not ready, or waiting on a failure. */
function failingContainers(pod: Pod): string[] {
  const st = pod.status ?? {};
  return [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
    .filter((c) => c.restartCount > 0 || (!c.ready && c.state?.terminated?.exitCode !== 0))
    .map((c) => c.name);
}

async function readLog(api: KubeApi, ns: string, pod: string, container: string, previous: boolean): Promise<LogTail> {
  try {
    const text = await api.text(`${paths.pod(ns, pod)}/log`, { container, previous, tailLines: LOG_TAIL_LINES, limitBytes: LOG_LIMIT_BYTES });
    return { text, error: null, truncated: Buffer.byteLength(text) >= LOG_LIMIT_BYTES };
  } catch (e) {
    if (e instanceof ApiError) return { text: null, error: e.message.replace(/^Error from server \(\w+\): /, ''), truncated: false };
    throw e;
  }
}

export interface WhyRequest { namespace: string; pod: string | null; selector: string; context: string | null; now: number }

/**
 * One snapshot for `why`, in two rounds of parallel requests: first the pods, events and
 * owners (one list each, joined in memory: no request per pod), then, for failing
 * containers only, logs (bounded concurrency), nodes, the Services the env points at,
 * referenced Secrets/ConfigMaps (key names) and metrics.
 */
export async function gatherWhy(api: KubeApi, req: WhyRequest): Promise<Snapshot> {
  const ns = req.namespace;
  const gaps = new Gaps();
  const eventsQuery = req.pod ? { fieldSelector: `involvedObject.name=${req.pod}` } : {};
  const newEventsQuery = req.pod ? { fieldSelector: `regarding.name=${req.pod}` } : {};
  const [podList, coreEvents, newEvents, deployments, replicaSets] = await Promise.all([
    // The whole namespace's pods, also when only the selector's are diagnosed: the database
    // pods behind DB_HOST and the other failing services (escalation) come from this one list.
    api.list<Pod>(paths.pods(ns)),
    gaps.optional('events', api.list<KubeEvent>(paths.events(ns), eventsQuery)),
    api.list<NewApiEvent>(`/apis/events.k8s.io/v1/namespaces/${enc(ns)}/events`, newEventsQuery).catch(() => null),
    gaps.optional('deployments', api.list<Deployment>(paths.deployments(ns))),
    gaps.optional('replicasets', api.list<ReplicaSet>(paths.replicasets(ns))),
  ]);
  const pods = podList.items;
  if (req.pod && !pods.some((p) => p.metadata.name === req.pod)) {
    await assertNamespace(api, ns);
    throw clusterError(`pod "${req.pod}" not found in namespace "${ns}"`, didYouMean(req.pod, pods.map((p) => p.metadata.name)) ?? `list them with: kubectl dhakacart status -n ${ns}`);
  }
  if (pods.length === 0) await assertNamespace(api, ns);
  const selected = parseSelector(req.selector) ?? [];
  const targets = req.pod
    ? pods.filter((p) => p.metadata.name === req.pod)
    : pods.filter((p) => matchesRequirements(selected, p.metadata.labels) && !summarizePod(p).healthy);

  const logJobs = targets.flatMap((p) => failingContainers(p).map((c) => ({ pod: p.metadata.name, container: c })));
  const nodeNames = [...new Set(targets.map((p) => p.spec.nodeName).filter((n): n is string => !!n))];
  const owners = targets.flatMap((p) => p.metadata.ownerReferences ?? []).filter((o) => o.kind === 'StatefulSet');
  const hosts = envServices(targets.map((p) => p.spec), ns);

  const [logs, nodes, nodeEvents, services, references, statefulSets, metrics] = await Promise.all([
    mapLimit(logJobs, LOG_CONCURRENCY, async (j) => ({
      ...j,
      logs: { previous: await readLog(api, ns, j.pod, j.container, true), current: await readLog(api, ns, j.pod, j.container, false) } as ContainerLogs,
    })),
    Promise.all(nodeNames.map((n) => gaps.optional(`node ${n}`, api.get<NodeObject>(`/api/v1/nodes/${enc(n)}`)))),
    nodeNames.length
      ? gaps.optional('node events', api.list<KubeEvent>(paths.events('default'), { fieldSelector: 'involvedObject.kind=Node' }))
      : Promise.resolve(null),
    Promise.all(hosts.map((h) => readServiceState(api, gaps, ns, h, pods))),
    Promise.all(referencedObjects(targets.map((p) => p.spec)).map((r) => readReference(api, gaps, ns, r))),
    Promise.all([...new Set(owners.map((o) => o.name))].map((n) =>
      gaps.optional(`statefulset ${n}`, api.get<StatefulSet>(`/apis/apps/v1/namespaces/${enc(ns)}/statefulsets/${enc(n)}`)))),
    targets.length
      ? api.list<PodMetrics>(`/apis/metrics.k8s.io/v1beta1/namespaces/${enc(ns)}/pods`).then((l) => l.items, () => {
        gaps.list.push({ what: 'pod metrics', reason: 'metrics.k8s.io not served' });
        return null;
      })
      : Promise.resolve(null),
  ]);

  const logMap: Snapshot['logs'] = {};
  for (const l of logs) (logMap[l.pod] ??= {})[l.container] = l.logs;
  const nodeSet = new Set(nodeNames);
  return {
    version: 1,
    capturedAt: new Date(req.now).toISOString(),
    namespace: ns,
    context: req.context,
    target: req.pod,
    selector: req.selector,
    pods,
    events: mergeEvents(coreEvents?.items ?? [], newEvents?.items ?? []),
    logs: logMap,
    deployments: deployments?.items ?? [],
    replicaSets: replicaSets?.items ?? [],
    statefulSets: statefulSets.filter((s): s is StatefulSet => !!s),
    nodes: nodes.filter((n): n is NodeObject => !!n),
    nodeEvents: (nodeEvents?.items ?? []).filter((e) => nodeSet.has(e.involvedObject.name ?? '')),
    services,
    references,
    metrics,
    gaps: gaps.list,
  };
}


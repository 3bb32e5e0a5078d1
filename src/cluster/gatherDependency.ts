import type { KubeApi } from './api';
import { paths } from './paths';
import { mapLimit } from './pool';
import { Gaps } from './gaps';
import { readReference, readServiceStates } from './readNamedObjects';
import { referencedObjects, type EnvService } from '../kube/podSpecRefs';
import type { Gap, Reference, ServiceState } from './snapshot';
import { summarizePod, type HealthClock } from '../kube/podState';
import { matchesLabels } from '../kube/selector';
import type { Container, Deployment, Pod, StatefulSet } from '../kube/types';

/** Enough pods to tell a dead connection pool from a healthy app, without one request per replica. */
const APP_PODS = 3;

/** One of the app's pods, and the tails of its previous and current log when it is failing. */
export interface AppPodReading { pod: Pod; failing: boolean; logs: string[] }

/** What `fix db` judges, read in one round; the judgement is the caller's (diagnose's rules). */
export interface DatabaseReading {
  state: ServiceState;
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  pods: Pod[];
  references: Reference[];
  gaps: Gap[];
  app: AppPodReading[];
}

/**
 * `fix db`'s reads: the database Service `host` (and, if missing, its similarly named
 * neighbours), its endpoints, the workloads and pods behind it, the credentials the container
 * reads (key names only), and the logs of a few of the app's failing pods.
 */
export async function readDatabasePath(api: KubeApi, dep: Deployment, c: Container, host: EnvService, clock: HealthClock): Promise<DatabaseReading> {
  const ns = dep.metadata.namespace!;
  const gaps = new Gaps();
  const [pods, references, statefulSets, deployments] = await Promise.all([
    api.list<Pod>(paths.pods(ns)).then((l) => l.items),
    Promise.all(referencedObjects([{ containers: [c] }]).map((r) => readReference(api, gaps, ns, r))),
    gaps.read({ what: 'statefulsets', piece: 'owner' }, `GET ${paths.statefulsets(ns)}`, api.list<StatefulSet>(paths.statefulsets(ns))).then((l) => l?.items ?? []),
    gaps.read({ what: 'deployments', piece: 'owner' }, `GET ${paths.deployments(ns)}`, api.list<Deployment>(paths.deployments(ns))).then((l) => l?.items ?? []),
  ]);
  const [state] = await readServiceStates(api, gaps, ns, [host], pods);
  if (!state) throw new Error('readServiceStates returned no state for its host');
  const sel = dep.spec.selector.matchLabels ?? {};
  const mine = pods.filter((p) => matchesLabels(sel, p.metadata.labels));
  const failing = mine.filter((p) => !summarizePod(p, clock).healthy);
  const logs = await mapLimit(failing.slice(0, APP_PODS), APP_PODS, async (p) => {
    const read = (previous: boolean) => api.text(paths.podLog(ns, p.metadata.name), { container: c.name, previous, tailLines: 200 }).catch(() => '');
    return { pod: p, logs: [await read(true), await read(false)] };
  });
  const app = mine.map((pod) => ({ pod, failing: failing.includes(pod), logs: logs.find((l) => l.pod === pod)?.logs ?? [] }));
  return { state, deployments, statefulSets, pods, references, gaps: gaps.list, app };
}

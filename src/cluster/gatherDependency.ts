import { paths, type KubeApi } from './api';
import { mapLimit } from './pool';
import { envServices, Gaps, readReference, readServiceStates, referencedObjects } from './references';
import { dependencyKind, evaluatePath, restartVerdict, type DependencyPath, type RestartVerdict } from '../diagnose/dependencyPath';
import { scanLog } from '../diagnose/logLines';
import { unreadOf } from './snapshot';
import { DEFAULT_HEALTH_WINDOW_MS, summarizePod } from '../kube/podState';
import type { Container, Deployment, Pod, StatefulSet } from '../kube/types';

/** The app's log lines that say it could not talk to the database. */
const CONNECTION = new Set(['connection-refused', 'dns', 'timeout', 'connection-reset', 'db-connection']);
/** Enough pods to tell a dead connection pool from a healthy app, without one request per replica. */
const APP_PODS = 3;

export interface DatabaseReading { path: DependencyPath | null; restart: RestartVerdict }

/**
 * `fix db`'s reads, in one round: the database Service (and, if missing, its similarly
 * named neighbours), its endpoints, the workloads and pods behind it, the credentials the
 * container reads (key names only), and the logs of a few of the app's failing pods.
 */
export async function gatherDatabasePath(api: KubeApi, dep: Deployment, c: Container, now: number): Promise<DatabaseReading> {
  const ns = dep.metadata.namespace!;
  const gaps = new Gaps();
  const host = envServices([{ containers: [c] }], ns).find((h) => dependencyKind(h.envVar) === 'database') ?? null;
  const stsPath = `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/statefulsets`;
  const [pods, refs, statefulSets, deployments] = await Promise.all([
    api.list<Pod>(paths.pods(ns)).then((l) => l.items),
    Promise.all(referencedObjects([{ containers: [c] }]).map((r) => readReference(api, gaps, ns, r))),
    gaps.read({ what: 'statefulsets', piece: 'owner' }, `GET ${stsPath}`, api.list<StatefulSet>(stsPath)).then((l) => l?.items ?? []),
    gaps.read({ what: 'deployments', piece: 'owner' }, `GET ${paths.deployments(ns)}`, api.list<Deployment>(paths.deployments(ns))).then((l) => l?.items ?? []),
  ]);
  if (!host) return { path: null, restart: { helps: false, why: `container ${c.name} sets no DB_HOST or DATABASE_URL` } };
  const [state] = await readServiceStates(api, gaps, ns, [host], pods);
  if (!state) throw new Error('readServiceStates returned no state for its host');
  const sel = dep.spec.selector.matchLabels ?? {};
  const app = pods.filter((p) => Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
  const clock = { now: Date.now(), windowMs: DEFAULT_HEALTH_WINDOW_MS };
  const failing = app.filter((p) => !summarizePod(p, clock).healthy);
  const logs = await mapLimit(failing.slice(0, APP_PODS), APP_PODS, async (p) => {
    const read = (previous: boolean) => api.text(`${paths.pod(ns, p.metadata.name)}/log`, { container: c.name, previous, tailLines: 200 }).catch(() => '');
    const hits = [...scanLog(await read(true)), ...scanLog(await read(false))];
    return { name: p.metadata.name, hits };
  });
  const path = evaluatePath({
    namespace: ns, app: `deployment/${dep.metadata.name}`, container: c, dep: state, deployments, statefulSets, pods, references: refs,
    unread: (piece, key) => unreadOf(gaps.list, piece, key), now, authFailed: logs.some((l) => l.hits.some((h) => h.class === 'db-auth')),
  });
  const appPods = app.map((p) => ({
    name: p.metadata.name,
    failing: failing.includes(p),
    connectionErrors: (logs.find((l) => l.name === p.metadata.name)?.hits ?? []).filter((h) => !h.noise && CONNECTION.has(h.class)).map((h) => h.line),
  }));
  return { path, restart: restartVerdict(path, appPods) };
}

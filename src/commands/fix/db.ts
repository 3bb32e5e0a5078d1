import type { KubeApi } from '../../cluster/api';
import { readDatabasePath, type DatabaseReading } from '../../cluster/gatherDependency';
import { sleep } from '../../cluster/interrupt';
import { envServices } from '../../kube/podSpecRefs';
import { unreadOf } from '../../cluster/snapshot';
import type { RecoveryCheck } from '../../verify/judge';
import type { Precheck } from '../../change/runChange';
import { dependencyKind, evaluatePath, restartVerdict, type DependencyPath, type RestartVerdict } from '../../diagnose/dependencyPath';
import { scanLog } from '../../diagnose/logLines';
import { CliError } from '../../errors';
import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import type { Container, Deployment } from '../../kube/types';
import { pickContainer } from '../../remedy/container';

/** The app's log lines that say it could not talk to the database. */
const CONNECTION = new Set(['connection-refused', 'dns', 'timeout', 'connection-reset', 'db-connection']);

export interface DatabaseVerdict { path: DependencyPath | null; restart: RestartVerdict }

/** The rules' judgement of one reading: the dependency path `why` follows, and whether a restart helps. */
function judgeDatabasePath(r: DatabaseReading, dep: Deployment, c: Container, now: number): DatabaseVerdict {
  const hits = new Map(r.app.map((a) => [a.pod, a.logs.flatMap((t) => scanLog(t))]));
  const path = evaluatePath({
    namespace: dep.metadata.namespace!, app: `deployment/${dep.metadata.name}`, container: c, dep: r.state, deployments: r.deployments,
    statefulSets: r.statefulSets, pods: r.pods, references: r.references, unread: (piece, key) => unreadOf(r.gaps, piece, key), now,
    authFailed: [...hits.values()].some((hs) => hs.some((h) => h.class === 'db-auth')),
  });
  const appPods = r.app.map((a) => ({
    name: a.pod.metadata.name,
    failing: a.failing,
    connectionErrors: (hits.get(a.pod) ?? []).filter((h) => !h.noise && CONNECTION.has(h.class)).map((h) => h.line),
  }));
  return { path, restart: restartVerdict(path, appPods) };
}

export interface DatabaseWait { wait: boolean; timeoutMs: number; now(): number; say(m: string): void }

/**
 * fix db: the same dependency chain `why` follows. The Deployment is restarted only when every
 * link is sound and the app's log shows connections that died before the database came back;
 * a broken link is reported with the command that repairs it, and nothing is changed. A link
 * that mends alone (pods starting) is waited for, within the timeout.
 */
export async function waitForDatabase(api: KubeApi, dep: Deployment, o: DatabaseWait): Promise<Precheck> {
  const c = pickContainer(dep, undefined);
  const host = envServices([{ containers: [c] }], dep.metadata.namespace!).find((h) => dependencyKind(h.envVar) === 'database') ?? null;
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const { path, restart } = host
      ? judgeDatabasePath(await readDatabasePath(api, dep, c, host, { now: o.now(), windowMs: DEFAULT_HEALTH_WINDOW_MS }), dep, c, o.now())
      : { path: null, restart: { helps: false, why: `container ${c.name} sets no DB_HOST or DATABASE_URL` } };
    const checks: RecoveryCheck[] = (path?.links ?? []).map((l) => ({ name: l.name, ok: l.state === 'ok', detail: `${l.detail}${l.state === 'unknown' ? ' (unknown)' : ''}` }));
    if (restart.helps) return { checks: [...checks, { name: 'restart helps', ok: true, detail: restart.why }] };
    const first = path?.broken ?? null;
    const help = first?.fix ? `what would help: ${first.fix.command}` : 'fix the database first, then re-run kubectl dhakacart fix db';
    if (path?.links.every((l) => l.state === 'ok')) return { refusal: { refused: `nothing restarted: ${restart.why}`, hint: `kubectl dhakacart why -n ${dep.metadata.namespace}` } };
    const mends = !!path && path.links.every((l) => l.state === 'ok' || l.mendsAlone);
    const refused = `the database path is broken, so a restart would not help: ${restart.why}`;
    if (mends && o.wait && Date.now() >= deadline) throw new CliError('timeout', refused, help);
    if (!mends || !o.wait) return { refusal: { refused, hint: help } };
    o.say(`waiting for the database: ${restart.why}`);
    await sleep(2000);
  }
}

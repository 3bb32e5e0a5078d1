import { humanDuration } from '../kube/duration';
import { REPLICAS_BEFORE_EMERGENCY } from '../kube/deployment';
import { SERVICE_VAR } from '../kube/podSpecRefs';
import { matchesLabels } from '../kube/selector';
import { endpointAddresses } from '../kube/endpoints';
import { DEFAULT_HEALTH_WINDOW_MS, isPodReady, summarizePod } from '../kube/podState';
import type { Container, Deployment, Pod, StatefulSet } from '../kube/types';
import type { EvidenceSource, Fix } from './diagnosis';
import { refState } from './references';
import type { Gap, Piece, Reference, ServiceState } from '../cluster/snapshot';
import { describeGaps } from './unread';
import { referenceKey, serviceKey } from '../cluster/snapshot';

/**
 * The path from a container to one service it names (DB_HOST, REDIS_URL, PAYMENTS_ADDR), as
 * links in the order a request travels them: Service → ready endpoints → the workload behind
 * them → the credentials the container reads for it. Each link is ok, broken or unknown (its
 * evidence could not be read: never broken), and a broken link carries the command that
 * repairs it. Used by the db and dependency rules, by `fix db` and by whoever shows
 * dependencies.
 */
export type LinkState = 'ok' | 'broken' | 'unknown';
export type LinkKind = 'service' | 'endpoints' | 'workload' | 'credentials';
export interface Link {
  kind: LinkKind; name: string; state: LinkState; detail: string; source: EvidenceSource; fix: Fix | null;
  /** Broken in a way that mends without anyone (pods starting, a database in recovery): worth waiting for. */
  mendsAlone?: boolean;
}

export type DependencyKind = 'database' | 'cache' | 'service';

export interface DependencyPath {
  envVar: string;
  host: string;
  kind: DependencyKind;
  /** `statefulset/postgres`, when a workload's pod template matches the Service's selector. */
  workload: string | null;
  links: Link[];
  /** The first broken link: the one to repair; null when none is broken. */
  broken: Link | null;
}

export interface PathInput {
  namespace: string;
  /** The app's own workload (`deployment/dhakacart-backend`), for a fix that changes its env. */
  app: string | null;
  container: Container;
  dep: ServiceState;
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  pods: Pod[];
  references: Reference[];
  unread(piece: Piece, key?: string): Gap[];
  now: number;
  /** The app's log says the dependency rejects its credentials (db-auth, cache-auth lines). */
  authFailed: boolean;
  /** The failing pod's own diagnosis, when the caller can make one: its fix is the workload link's. */
  backing?(pod: Pod): { cause: string; fix: Fix | null } | null;
}

export function dependencyKind(envVar: string): DependencyKind {
  if (/^(DB|DATABASE|POSTGRES|PG|MYSQL|MONGO)_/.test(envVar)) return 'database';
  if (/^(REDIS|CACHE|MEMCACHED?)_/.test(envVar)) return 'cache';
  return 'service';
}

/** The env vars that belong to the same dependency: DB_HOST → DB_*, DATABASE_URL → DATABASE_* and DB_*. */
function sameDependency(envVar: string, other: string): boolean {
  const prefix = envVar.replace(SERVICE_VAR, '_');
  if (other.startsWith(prefix)) return true;
  return dependencyKind(envVar) === 'database' && dependencyKind(other) === 'database';
}

/** The count to scale back to: what emergency stop remembered, what was last applied, else 1. */
function replicasToRestore(w: Deployment | StatefulSet): number {
  const a = w.metadata.annotations ?? {};
  const remembered = Number(a[REPLICAS_BEFORE_EMERGENCY]);
  if (Number.isInteger(remembered) && remembered > 0) return remembered;
  try {
    const applied = JSON.parse(a['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}') as { spec?: { replicas?: unknown } };
    const n = applied.spec?.replicas;
    if (typeof n === 'number' && Number.isInteger(n) && n > 0) return n;
  } catch { /* not JSON: no count known */ }
  return 1;
}

const ago = (now: number, at: string | null | undefined) => (at ? `${humanDuration(now - Date.parse(at))} ago` : null);

function serviceLink(i: PathInput): Link {
  const { dep, namespace: ns } = i;
  const name = `service ${dep.name}`;
  const gaps = i.unread('service', serviceKey(dep));
  if (gaps.length) return { kind: 'service', name, state: 'unknown', detail: `could not be read: ${describeGaps(gaps)}`, source: 'service', fix: null };
  if (dep.service) {
    const ports = dep.service.spec?.ports ?? [];
    if (dep.port !== null && !ports.some((p) => p.port === dep.port)) {
      const portVar = dep.envVar.replace(SERVICE_VAR, '_PORT');
      return { kind: 'service', name, state: 'broken', detail: `${portVar}=${dep.port} is not a port of service ${dep.name} (${ports.map((p) => p.port).join(',')})`, source: 'service',
        fix: i.app && ports[0] ? { command: `kubectl set env ${i.app} -n ${ns} ${portVar}=${ports[0].port}`, kubectl: [`kubectl set env ${i.app} -n ${ns} ${portVar}=${ports[0].port}`] } : null };
    }
    return { kind: 'service', name, state: 'ok', detail: `exists (${ports.map((p) => p.port).join(',') || 'no ports'})`, source: 'service', fix: null };
  }
  const near = dep.similar?.[0];
  if (!near) return { kind: 'service', name, state: 'broken', detail: `${dep.envVar}=${dep.host} names no Service`, source: 'service', fix: null };
  const created = ago(i.now, near.createdAt);
  // Only a plain host can be rewritten here: a URL may carry a password the plugin must not print.
  const settable = i.app && !/_(URL|URI|DSN)$/.test(dep.envVar);
  const cmd = `kubectl set env ${i.app} -n ${ns} ${dep.envVar}=${dep.host.replace(dep.name, near.name)}`;
  return {
    kind: 'service', name, state: 'broken', source: 'service',
    detail: `${dep.envVar}=${dep.host} names no Service; service ${near.name} exists${created ? ` (created ${created})` : ''}`,
    fix: settable ? { command: cmd, kubectl: [cmd] } : { command: `# point ${dep.envVar} at service ${near.name} instead of ${dep.name}`, kubectl: [] },
  };
}

interface Behind { ref: string; desired: number; ready: number; pods: Pod[]; object: Deployment | StatefulSet }

function workloadBehind(i: PathInput): Behind | null {
  const sel = i.dep.service?.spec?.selector;
  if (!sel || !Object.keys(sel).length) return null;
  const all: { kind: string; o: Deployment | StatefulSet; ready: number }[] = [
    ...i.statefulSets.map((o) => ({ kind: 'statefulset', o, ready: o.status?.readyReplicas ?? 0 })),
    ...i.deployments.map((o) => ({ kind: 'deployment', o, ready: o.status?.readyReplicas ?? 0 })),
  ];
  const hit = all.find((w) => matchesLabels(sel, w.o.spec.template.metadata?.labels));
  if (!hit) return null;
  const pods = i.pods.filter((p) => matchesLabels(sel, p.metadata.labels) && !p.metadata.deletionTimestamp);
  // The pods say it now; the workload's status counters may lag behind them.
  const ready = pods.length ? pods.filter(isPodReady).length : hit.ready;
  return { ref: `${hit.kind}/${hit.o.metadata.name}`, desired: hit.o.spec.replicas ?? 1, ready, pods, object: hit.o };
}

/** Without the workload (not gathered, or in another namespace), the endpoints still name the pods behind the Service. */
function podsPerEndpoints(i: PathInput): Link | null {
  const names = (list: { targetRef?: { name?: string } }[]) => list.map((a) => a.targetRef?.name).filter((n): n is string => !!n);
  const addresses = endpointAddresses(i.dep.endpoints);
  const ready = names(addresses.ready);
  const notReady = names(addresses.notReady);
  if (!ready.length && !notReady.length) return null;
  const first = notReady[0];
  return {
    kind: 'workload', name: `pods behind ${i.dep.name}`, state: ready.length ? 'ok' : 'broken', source: 'service',
    detail: `${ready.length}/${ready.length + notReady.length} Ready per endpoints ${i.dep.name} (${[...ready, ...notReady].join(', ')})`,
    fix: !ready.length && first ? { command: `kubectl dhakacart why ${first} -n ${i.namespace}`, kubectl: [`kubectl describe pod ${first} -n ${i.namespace}`] } : null,
  };
}

function workloadLink(i: PathInput, w: Behind | null): Link | null {
  if (!w) {
    const gaps = i.unread('owner');
    if (gaps.length && i.dep.service) return { kind: 'workload', name: 'workload', state: 'unknown', detail: `could not be read: ${describeGaps(gaps)}`, source: 'deployment', fix: null };
    return podsPerEndpoints(i);
  }
  const ns = i.namespace;
  if (w.desired === 0) {
    const n = replicasToRestore(w.object);
    const cmd = `kubectl scale ${w.ref} --replicas=${n} -n ${ns}`;
    return { kind: 'workload', name: w.ref, state: 'broken', detail: `scaled to 0 replicas`, source: 'deployment', fix: { command: cmd, kubectl: [cmd] } };
  }
  const clock = { now: i.now, windowMs: DEFAULT_HEALTH_WINDOW_MS };
  const failing = w.pods.filter((p) => !summarizePod(p, clock).healthy);
  if (w.ready >= w.desired && w.ready > 0) return { kind: 'workload', name: w.ref, state: 'ok', detail: `${w.ready}/${w.desired} ready`, source: 'deployment', fix: null };
  const why = failing.map((p) => `${p.metadata.name}: ${summarizePod(p, clock).reason ?? p.status?.phase ?? 'not ready'}`);
  const first = failing[0];
  const own = first ? i.backing?.(first) ?? null : null;
  return {
    kind: 'workload', name: w.ref, state: 'broken', source: 'deployment', mendsAlone: !own?.fix,
    detail: `${w.ready}/${w.desired} ready${why.length ? ` (${why.join(', ')})` : ''}${own ? `; ${first!.metadata.name}: ${own.cause}` : ''}`,
    fix: own?.fix ? own.fix : first ? { command: `kubectl dhakacart why ${first.metadata.name} -n ${ns}`, kubectl: [`kubectl describe pod ${first.metadata.name} -n ${ns}`, `kubectl logs ${first.metadata.name} -n ${ns} --previous --tail=50`] } : null,
  };
}

function endpointsLink(i: PathInput, behind: Link | null): Link | null {
  const { dep } = i;
  const name = `endpoints ${dep.name}`;
  const gaps = i.unread('endpoints', serviceKey(dep));
  if (gaps.length) return { kind: 'endpoints', name, state: 'unknown', detail: `could not be read: ${describeGaps(gaps)}`, source: 'service', fix: null };
  if (!dep.service) return null;
  const { ready, notReady } = endpointAddresses(dep.endpoints);
  const detail = `${ready.length} ready, ${notReady.length} not ready`;
  if (ready.length) return { kind: 'endpoints', name, state: 'ok', detail, source: 'service', fix: null };
  // No ready address is what the workload behind it does (or no workload at all): its repair is this link's.
  const mine = behind?.state === 'broken';
  return { kind: 'endpoints', name, state: 'broken', detail, source: 'service', fix: mine ? behind.fix : null, mendsAlone: mine ? !!behind.mendsAlone : true };
}

/** How the server's own password is set to the Secret's new value, where its client is known. */
function setPassword(kind: DependencyKind, ns: string, pod: string, secret: string): string[] {
  if (kind === 'database') return [`kubectl exec -n ${ns} ${pod} -- psql -U postgres -c "ALTER USER <user> WITH PASSWORD '<the new value in ${secret}>'"`];
  if (kind === 'cache') return [`kubectl exec -n ${ns} ${pod} -- redis-cli -a '<the old password>' CONFIG SET requirepass '<the new value in ${secret}>'`];
  return [];
}

/**
 * The server's pods that read Secret `secret` from their env (read once, at start) and started
 * before it last changed. A database is never restarted for this: PostgreSQL and MySQL apply
 * their password env only when the data directory is first made.
 */
function startedBefore(w: Behind | null, secret: string, changedAt: string | null | undefined): string[] {
  const at = changedAt ? Date.parse(changedAt) : NaN;
  if (!w || Number.isNaN(at)) return [];
  const reads = (p: Pod) => [...(p.spec.initContainers ?? []), ...p.spec.containers].some((c) =>
    (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef?.name === secret) || (c.envFrom ?? []).some((f) => f.secretRef?.name === secret));
  return w.pods.filter((p) => reads(p) && Date.parse(p.status?.startTime ?? '') < at).map((p) => p.metadata.name);
}

/**
 * One link per Secret the container reads for this dependency (its key names, never values).
 * Named `secret NAME`, and the keys listed without a colon after them, so no line reads as
 * `password: ...` (which the sanitiser would rightly mask).
 */
function credentialLinks(i: PathInput, w: Behind | null): Link[] {
  const ns = i.namespace;
  const bySecret = new Map<string, { env: string; key: string; optional: boolean }[]>();
  for (const e of i.container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref && sameDependency(i.dep.envVar, e.name)) bySecret.set(ref.name, [...(bySecret.get(ref.name) ?? []), { env: e.name, key: ref.key, optional: !!ref.optional }]);
  }
  return [...bySecret].map(([secret, refs]): Link => {
    const name = `secret ${secret}`;
    const reads = `keys ${refs.map((r) => r.key).join(', ')} (as ${refs.map((r) => r.env).join(', ')})`;
    const gaps = i.unread('reference', referenceKey({ kind: 'Secret', name: secret }));
    const r = i.references.find((x) => x.kind === 'Secret' && x.name === secret);
    const changed = ago(i.now, r?.changedAt);
    const states = refs.map((x) => ({ ...x, st: gaps.length ? 'unreadable' : refState(i.references, { kind: 'Secret', name: secret, key: x.key }) }));
    if (states.some((x) => x.st === 'unreadable')) return { kind: 'credentials', name, state: 'unknown', detail: `${reads}: could not be read${gaps.length ? `: ${describeGaps(gaps)}` : ''}`, source: 'secret', fix: null };
    const absent = states.filter((x) => !x.optional && x.st !== 'ok');
    if (absent.length) {
      const gone = absent.some((x) => x.st === 'missing');
      return {
        kind: 'credentials', name, state: 'broken', source: 'secret',
        detail: gone ? `${reads}; the Secret does not exist` : `${reads}; missing ${absent.map((x) => x.key).join(', ')} (has ${r?.keys?.join(', ') || 'none'})`,
        fix: { command: `# ${gone ? 'create' : `add ${absent.map((x) => x.key).join(', ')} to`} Secret ${secret} (kubectl dhakacart does not write Secrets); the kubelet retries on its own`, kubectl: [`kubectl describe secret ${secret} -n ${ns}`] },
      };
    }
    const stale = i.authFailed && i.dep.service && dependencyKind(i.dep.envVar) !== 'database' ? startedBefore(w, secret, r?.changedAt) : [];
    if (stale.length) {
      // The server reads the same Secret when it starts (Redis --requirepass $(REDIS_PASSWORD)) and started before it changed: it still expects the old value.
      const cmd = `kubectl rollout restart ${w!.ref} -n ${ns}`;
      return {
        kind: 'credentials', name, state: 'broken', source: 'secret',
        detail: `${reads} are refused by ${i.dep.name}; the Secret last changed ${changed} (${r?.changedAt}), after ${stale.join(', ')} started, which read${stale.length > 1 ? '' : 's'} it only at start`,
        fix: { command: cmd, kubectl: [cmd] },
      };
    }
    if (i.authFailed && i.dep.service) {
      // The Secret is there and the database refuses it: the two disagree, and a restart re-reads the same Secret.
      const log = i.dep.dependencyLog;
      const said = log?.lines.at(-1);
      const at = log?.pod ?? w?.pods[0]?.metadata.name ?? `${w?.ref ?? i.dep.name}`;
      return {
        kind: 'credentials', name, state: 'broken', source: 'secret',
        detail: `${reads} are refused by ${i.dep.name}${changed ? `; the Secret last changed ${changed} (${r?.changedAt})` : ''}${said ? `; ${log!.pod} log: ${said}` : ''}`,
        fix: {
          command: `# a restart cannot help: Secret ${secret}${changed ? ` changed ${changed} and` : ''} no longer matches what ${i.dep.name} accepts; put the previous value back in the Secret, or set ${i.dep.name}'s password to the Secret's new value`,
          kubectl: setPassword(dependencyKind(i.dep.envVar), ns, at, secret),
        },
      };
    }
    return { kind: 'credentials', name, state: 'ok', detail: `${reads} present${changed ? `; the Secret last changed ${changed}` : ''}`, source: 'secret', fix: null };
  });
}

export function evaluatePath(i: PathInput): DependencyPath {
  const w = workloadBehind(i);
  const service = serviceLink(i);
  const workload = workloadLink(i, w);
  const endpoints = endpointsLink(i, workload);
  const links = [service, ...(endpoints ? [endpoints] : []), ...(workload ? [workload] : []), ...credentialLinks(i, w)];
  return { envVar: i.dep.envVar, host: i.dep.host, kind: dependencyKind(i.dep.envVar), workload: w?.ref ?? null, links, broken: links.find((l) => l.state === 'broken') ?? null };
}

export interface RestartVerdict { helps: boolean; why: string }

/**
 * Whether restarting the app can help, once the path is sound: only when the app is failing
 * and its log holds connection errors to the dependency, i.e. connections made before it
 * came back. A restart cannot mend a broken link, and an app that does not complain about the
 * dependency is failing for another reason.
 */
export function restartVerdict(path: DependencyPath, appPods: { name: string; failing: boolean; connectionErrors: string[] }[]): RestartVerdict {
  const notOk = path.links.filter((l) => l.state !== 'ok');
  if (notOk.length) return { helps: false, why: notOk.map((l) => `${l.name}: ${l.detail} (${l.state})`).join('; ') };
  const stuck = appPods.filter((p) => p.failing && p.connectionErrors.length);
  if (!stuck.length) {
    return { helps: false, why: appPods.some((p) => p.failing) ? 'the app is failing, but its log shows no connection errors to the database: a restart would not help (run kubectl dhakacart why)' : 'the app is healthy' };
  }
  return { helps: true, why: `${stuck.map((p) => p.name).join(', ')}: ${stuck[0]!.connectionErrors.at(-1)}` };
}

/**
 * The runbook's "Monitoring Recovery", judged: pure functions of what one look at the new
 * pods and the app's answers showed. The follow loop (follow.ts) does the looking.
 */
import type { AppAnswer, AppTarget } from '../cluster/appProxy';
import { isFailureWaitingReason, summarizePod, type HealthClock } from '../kube/podState';
import type { Container, Deployment, Pod } from '../kube/types';
import { accept, quoted, refuse, type Checked } from '../kube/validate';

/** One row of what a verification (or fix db's precheck) looked at: the contract's `checks`. */
export interface RecoveryCheck { name: string; ok: boolean; detail: string }

/** The runbook's "Verify Functionality" paths, beyond a workload's own probe path. */
export const RUNBOOK_PATHS: Record<string, string[]> = { 'dhakacart-backend': ['/health', '/api/products'] };

/**
 * What to ask the app: the first container's HTTP probe path (on the probe's port, else its
 * first declared port), the runbook's paths for the workload, and the paths asked for with
 * --check. None when the container declares no port to ask on.
 */
export function appTargets(dep: Deployment, extra: readonly string[]): AppTarget[] {
  const c: Container | undefined = dep.spec.template.spec.containers[0];
  const probe = c?.readinessProbe?.httpGet ?? c?.livenessProbe?.httpGet;
  const named = typeof probe?.port === 'string' ? c?.ports?.find((p) => p.name === probe.port)?.containerPort : probe?.port;
  const port = named ?? c?.ports?.[0]?.containerPort;
  if (!port) return [];
  const list = [...(probe?.path ? [probe.path] : []), ...(RUNBOOK_PATHS[dep.metadata.name] ?? []), ...extra];
  return [...new Set(list)].map((path) => ({ port, path }));
}

/** `--check PATH`: a path of the app, as a URL path without scheme or host. */
export function checkPath(path: string): Checked<string> {
  if (!path.startsWith('/')) return refuse(`invalid value ${quoted(path)} for --check: not a path`, 'give the path the app serves, starting with /, such as /health');
  if (/[\s#]|[^\x21-\x7e]/.test(path)) return refuse(`invalid value ${quoted(path)} for --check: a URL path has no spaces, fragment or control characters`);
  return accept(path);
}

/** A new pod's restart count going up while it is watched. */
export interface Climb { pod: string; from: number; to: number }

export interface PodsVerdict {
  ready: Pod[];
  /** Restart counts that went up since each pod was first seen. */
  climbing: Climb[];
  /** A new pod waiting on a failure (CrashLoopBackOff, ImagePullBackOff...): waiting will not cure it. */
  failing: string | null;
  checks: RecoveryCheck[];
}

const restartsOf = (p: Pod) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0);

/**
 * One look at the new ReplicaSet's pods. `firstSeen` holds each pod's restart count when
 * the follow first saw it, and takes the count of pods seen now for the first time. The
 * clock's window is the time followed: a restart before the follow began is history, one
 * during it is a climb.
 */
export function judgePods(pods: readonly Pod[], want: number, firstSeen: Map<string, number>, clock: HealthClock, followedMs: number): PodsVerdict {
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter((p) => summarizePod(p, clock).healthy);
  const climbing: Climb[] = [];
  for (const p of live) {
    const now = restartsOf(p);
    const before = firstSeen.get(p.metadata.name);
    if (before === undefined) firstSeen.set(p.metadata.name, now);
    else if (now > before) climbing.push({ pod: p.metadata.name, from: before, to: now });
  }
  let failing: string | null = null;
  for (const p of live) {
    const c = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].find((s) => isFailureWaitingReason(s.state?.waiting?.reason));
    if (c) { failing = `pod ${p.metadata.name} container ${c.name}: ${c.state!.waiting!.reason}`; break; }
  }
  const secs = Math.round(followedMs / 1000);
  const checks: RecoveryCheck[] = [
    { name: 'pods ready', ok: ready.length >= want && !failing, detail: failing ?? `${ready.length}/${want} new pods Ready` },
    {
      name: 'restarts settled', ok: climbing.length === 0,
      detail: climbing.length ? `restarts climbed on ${climbing.map((c) => `${c.pod} (${c.from} -> ${c.to})`).join(', ')}` : `no restarts in ${secs}s`,
    },
  ];
  return { ready, climbing, failing, checks };
}

/**
 * One row per path across the pods asked: ok when every pod answered 2xx. Null when some
 * answer was not had (transient): that look decides nothing, and the path is asked again.
 */
export function judgeAnswers(path: string, answers: readonly AppAnswer[]): RecoveryCheck | null {
  if (answers.some((a) => 'transient' in a)) return null;
  const got = answers as Exclude<AppAnswer, { transient: string }>[];
  const bad = got.filter((a): a is { pod: string; ok: false; detail: string } => !a.ok);
  if (bad.length) return { name: `GET ${path}`, ok: false, detail: bad.map((a) => `${a.pod}: ${a.detail}`).join('; ') };
  return { name: `GET ${path}`, ok: true, detail: got.length === 1 ? `${got[0]!.pod} answered` : `all ${got.length} new pods answered` };
}

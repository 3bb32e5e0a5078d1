import type { ContainerStateTerminated, ContainerStatus, Pod } from './types';

/** Waiting reasons that are part of a normal start, not a failure. */
const BENIGN_WAITING = new Set(['ContainerCreating', 'PodInitializing']);

export function isFailureWaitingReason(reason: string | undefined): boolean {
  return !!reason && !BENIGN_WAITING.has(reason);
}

/**
 * The clock and window the health definition reads: a container that restarted within
 * `windowMs` before `now` after an abnormal termination is unhealthy, even while Running
 * and Ready again (DhakaCartPodCrashLooping fires on the restart rate, not on the state).
 */
export interface HealthClock { now: number; windowMs: number }

export const DEFAULT_HEALTH_WINDOW_MS = 60 * 60 * 1000;

/** The pod's Ready condition: what Services route by (endpoints) and what readiness means everywhere here. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** An exit the container did not choose to make cleanly: OOMKilled, Error, a signal, any non-zero code. */
export function isAbnormalTermination(t: ContainerStateTerminated): boolean {
  return t.exitCode !== 0 || !!t.signal || (!!t.reason && t.reason !== 'Completed');
}

/**
 * The app container's last abnormal termination that was followed by a restart within the
 * window, or null. Init containers are left out: one that failed and then completed let
 * the pod start, and a stuck one already shows as Init:... in the status.
 */
function recentAbnormalRestart(pod: Pod, clock: HealthClock): (ContainerStateTerminated & { container: string }) | null {
  let best: (ContainerStateTerminated & { container: string }) | null = null;
  for (const c of pod.status?.containerStatuses ?? []) {
    const t = c.lastState?.terminated;
    if (!t || c.restartCount === 0 || !isAbnormalTermination(t)) continue;
    const at = Date.parse(t.finishedAt ?? '');
    if (Number.isNaN(at) || clock.now - at > clock.windowMs) continue;
    if (!best || (t.finishedAt ?? '') > (best.finishedAt ?? '')) best = { ...t, container: c.name };
  }
  return best;
}

export interface LastTermination { reason: string | null; exitCode: number; finishedAt: string | null; container: string }

export interface PodSummary {
  name: string;
  namespace: string | null;
  app: string | null;
  phase: string;
  /** kubectl's STATUS column: CrashLoopBackOff, Init:Error, Evicted, Terminating, Running... */
  status: string;
  ready: string;
  healthy: boolean;
  reason: string | null;
  restarts: number;
  lastRestartAt: string | null;
  lastTermination: LastTermination | null;
  node: string | null;
  ip: string | null;
  images: string[];
  createdAt: string | null;
}

/** kubectl's STATUS text for a termination without a reason (its printer's `Signal:N`/`ExitCode:N`); diagnose/exitCode.ts explains the code. */
function kubectlExitText(t: ContainerStateTerminated): string {
  return t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

/** kubectl's STATUS column (printers' printPod), reduced to what pods of a Deployment show. */
function podStatusText(pod: Pod): string {
  const st = pod.status ?? {};
  let reason = st.reason || st.phase || 'Unknown';
  const inits = st.initContainerStatuses ?? [];
  let initializing = false;
  for (const [i, c] of inits.entries()) {
    const s = c.state ?? {};
    if (s.terminated && s.terminated.exitCode === 0) continue;
    initializing = true;
    if (s.terminated) reason = `Init:${s.terminated.reason || kubectlExitText(s.terminated)}`;
    else if (s.waiting?.reason && s.waiting.reason !== 'PodInitializing') reason = `Init:${s.waiting.reason}`;
    else reason = `Init:${i}/${pod.spec.initContainers?.length ?? inits.length}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(st.containerStatuses ?? [])].reverse()) {
      const s = c.state ?? {};
      if (s.waiting?.reason) reason = s.waiting.reason;
      else if (s.terminated) reason = s.terminated.reason || kubectlExitText(s.terminated);
      else if (c.ready && s.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  return reason;
}

function latestTermination(statuses: ContainerStatus[]): LastTermination | null {
  let best: LastTermination | null = null;
  for (const c of statuses) {
    for (const t of [c.state?.terminated, c.lastState?.terminated]) {
      if (!t) continue;
      const cand = { reason: t.reason ?? null, exitCode: t.exitCode, finishedAt: t.finishedAt ?? null, container: c.name };
      if (!best || (cand.finishedAt ?? '') > (best.finishedAt ?? '')) best = cand;
    }
  }
  return best;
}

/**
 * THE definition of an unhealthy pod, used by status, why (which pods to gather and
 * diagnose) and escalation: Succeeded (a completed Job) is healthy; otherwise the pod must
 * be Running, not terminating, every container ready, none waiting on a failure, and none
 * restarted within the clock's window after an abnormal termination.
 */
export function summarizePod(pod: Pod, clock: HealthClock): PodSummary {
  const st = pod.status ?? {};
  const containers = st.containerStatuses ?? [];
  const inits = st.initContainerStatuses ?? [];
  const all = [...inits, ...containers];
  const readyCount = containers.filter((c) => c.ready).length;
  const total = pod.spec.containers.length;
  const phase = st.phase ?? 'Unknown';
  const failingWait = all.some((c) => isFailureWaitingReason(c.state?.waiting?.reason));
  const running = phase === 'Running' && readyCount === total && total > 0 && !failingWait && !pod.metadata.deletionTimestamp;
  const recent = running ? recentAbnormalRestart(pod, clock) : null;
  const healthy = (phase === 'Succeeded' && !pod.metadata.deletionTimestamp) || (running && !recent);
  const status = podStatusText(pod);
  let reason: string | null = null;
  if (recent) reason = `Restarted (${recent.reason || kubectlExitText(recent)})`;
  else if (!healthy) reason = status === 'Running' ? 'NotReady' : status;
  const lastRestartAt = containers
    .map((c) => c.lastState?.terminated?.finishedAt)
    .filter((t): t is string => !!t)
    .sort()
    .at(-1) ?? null;
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? null,
    app: pod.metadata.labels?.app ?? null,
    phase,
    status,
    ready: `${readyCount}/${total}`,
    healthy,
    reason,
    restarts: all.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    lastRestartAt,
    lastTermination: latestTermination(all),
    node: pod.spec.nodeName ?? null,
    ip: st.podIP ?? null,
    images: pod.spec.containers.map((c) => c.image ?? ''),
    createdAt: pod.metadata.creationTimestamp ?? null,
  };
}

import { humanDuration } from '../../kube/duration';
import { dependencyRefs, resolveDependencies, type Dependency } from '../../kube/dependencies';
import { summarizeDeployment, type DeploymentSummary } from '../../kube/deployment';
import { summarizePod, type HealthClock, type PodSummary } from '../../kube/podState';
import { matchesRequirements, parseSelector } from '../../kube/selector';
import type { StatusSnapshot } from '../../cluster/gatherStatus';
import { notLookedAt, type NotLookedAt } from '../../diagnose/unread';

/** What `status` shows: the contract's JSON, computed purely from listed objects and a clock. */
export interface StatusPod {
  name: string;
  namespace: string | null;
  app: string | null;
  phase: string;
  ready: string;
  healthy: boolean;
  reason: string | null;
  restarts: number;
  lastTermination: { reason: string | null; exitCode: number; finishedAt: string | null } | null;
  node: string | null;
  age: string;
}

/**
 * `healthy` covers what was looked at; `notLookedAt` (only when something could not be read)
 * says what was not, so a healthy answer never hides an unread Deployment list. `namespace`
 * is null with -A (each pod, Deployment and dependency names its own).
 */
export interface StatusReport {
  namespace: string | null;
  healthy: boolean;
  deployments: DeploymentSummary[];
  pods: StatusPod[];
  dependencies: Dependency[];
  notLookedAt?: NotLookedAt[];
}

/** The extra facts the table shows but the contract's JSON does not carry. */
export interface StatusView { report: StatusReport; details: Map<string, PodSummary> }

export function toStatusPod(s: PodSummary, now: number): StatusPod {
  const lt = s.lastTermination;
  return {
    name: s.name,
    namespace: s.namespace,
    app: s.app,
    phase: s.phase,
    ready: s.ready,
    healthy: s.healthy,
    reason: s.reason,
    restarts: s.restarts,
    lastTermination: lt ? { reason: lt.reason, exitCode: lt.exitCode, finishedAt: lt.finishedAt } : null,
    node: s.node,
    age: s.createdAt ? humanDuration(now - Date.parse(s.createdAt)) : '<unknown>',
  };
}

/**
 * A Deployment belongs in the summary when the pods it creates would be selected, so a
 * Deployment scaled to zero (an emergency stop) still shows. `selector` null means --all.
 * The workloads the selected pods name (env, ConfigMaps → Services) are listed as
 * dependencies, judged by the same pod definition; a failing one makes the report unhealthy.
 */
export function buildStatus(namespace: string | null, selector: string | null, snap: StatusSnapshot, clock: HealthClock): StatusView {
  const reqs = selector === null ? null : parseSelector(selector) ?? [];
  const picked = (labels: Record<string, string> | undefined) => reqs === null || matchesRequirements(reqs, labels);
  const shown = snap.deployments.filter((d) => picked(d.spec.template.metadata?.labels));
  const shownDeps = shown.map(summarizeDeployment).sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
  const selected = snap.pods.filter((p) => picked(p.metadata.labels));
  const summaries = selected.map((p) => summarizePod(p, clock)).sort((a, b) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name));
  const details = new Map(summaries.map((s) => [podKey(s.namespace, s.name), s]));
  const podsOut = summaries.map((s) => toStatusPod(s, clock.now));
  const namespaces = new Set(namespace === null ? snap.pods.map((p) => p.metadata.namespace ?? '') : [namespace]);
  const isShown = (kind: string, ns: string, name: string) => kind === 'Deployment' && shown.some((d) => d.metadata.namespace === ns && d.metadata.name === name);
  const dependencies = resolveDependencies(dependencyRefs(selected, snap.configMaps), { namespaces, ...snap }, clock, isShown).map((r) => r.dependency);
  const healthy = podsOut.every((p) => p.healthy) && shownDeps.every((d) => d.healthy) && dependencies.every((d) => d.healthy !== false);
  return {
    report: {
      namespace, healthy, deployments: shownDeps, pods: podsOut, dependencies,
      ...(snap.gaps.length ? { notLookedAt: notLookedAt(snap.gaps) } : {}),
    },
    details,
  };
}

/** Pod names repeat across namespaces (-A). */
export const podKey = (namespace: string | null, name: string) => `${namespace ?? ''}/${name}`;

import { humanDuration } from '../../kube/duration';
import { summarizeDeployment, type DeploymentSummary } from '../../kube/deployment';
import { summarizePod, type PodSummary } from '../../kube/podState';
import { matchesRequirements, parseSelector } from '../../kube/selector';
import type { Deployment, Pod } from '../../kube/types';
import type { Gap } from '../../diagnose/snapshot';
import { notLookedAt, type NotLookedAt } from '../../diagnose/unread';

/** What `status` shows: the contract's JSON, computed purely from listed objects and a clock. */
export interface StatusPod {
  name: string;
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
 * says what was not, so a healthy answer never hides an unread Deployment list.
 */
export interface StatusReport { namespace: string; healthy: boolean; deployments: DeploymentSummary[]; pods: StatusPod[]; notLookedAt?: NotLookedAt[] }

/** The extra facts the table shows but the contract's JSON does not carry. */
export interface StatusView { report: StatusReport; details: Map<string, PodSummary> }

export function toStatusPod(s: PodSummary, now: number): StatusPod {
  const lt = s.lastTermination;
  return {
    name: s.name,
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
 */
export function buildStatus(namespace: string, selector: string | null, pods: Pod[], deployments: Deployment[], now: number, gaps: Gap[] = []): StatusView {
  const reqs = selector === null ? null : parseSelector(selector) ?? [];
  const shownDeps = deployments
    .filter((d) => reqs === null || matchesRequirements(reqs, d.spec.template.metadata?.labels))
    .map(summarizeDeployment)
    .sort((a, b) => a.name.localeCompare(b.name));
  const summaries = pods.map(summarizePod).sort((a, b) => a.name.localeCompare(b.name));
  const details = new Map(summaries.map((s) => [s.name, s]));
  const podsOut = summaries.map((s) => toStatusPod(s, now));
  const depsHealthy = shownDeps.every((d) => d.available >= d.desired && d.updated >= d.desired);
  return {
    report: {
      namespace, healthy: podsOut.every((p) => p.healthy) && depsHealthy, deployments: shownDeps, pods: podsOut,
      ...(gaps.length ? { notLookedAt: notLookedAt(gaps) } : {}),
    },
    details,
  };
}

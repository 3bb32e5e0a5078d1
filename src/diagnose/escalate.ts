import { CHANGE_CAUSE_ANNOTATION } from '../kube/deployment';
import { DEFAULT_HEALTH_WINDOW_MS, summarizePod, type HealthClock } from '../kube/podState';
import { templatesEqual } from '../kube/template';
import type { NodeObject, Pod } from '../kube/types';
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { eventEvidence, withReason } from './events';
import type { Finding } from './finding';
import { ownerRef } from './owner';
import type { Snapshot } from '../cluster/snapshot';

/** The runbook's contacts. */
export const PLATFORM_TEAM = 'Platform Team (platform@dhakacart.com)';
export const INFRA_TEAM = 'Infrastructure Team (infra@dhakacart.com)';

const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export interface Escalation { text: string | null; evidence: Evidence[] }

/** The snapshot's clock: captured at, and the health window it was gathered with. */
export const healthClock = (s: Snapshot): HealthClock => ({ now: Date.parse(s.capturedAt), windowMs: s.healthWindowMs ?? DEFAULT_HEALTH_WINDOW_MS });

/** Unhealthy by the one definition (kube/podState.ts); a Job's Succeeded pod is done, not failing. */
export const isFailing = (pod: Pod, clock: HealthClock) => !summarizePod(pod, clock).healthy;

/** Workloads with failing pods in the snapshot: more than one means more than one service is down. */
export function failingWorkloads(s: Snapshot): string[] {
  const clock = healthClock(s);
  return [...new Set(s.pods.filter((p) => isFailing(p, clock)).map((p) => ownerRef(s, p)))].sort();
}

export function nodeProblems(n: NodeObject): string[] {
  const out: string[] = [];
  for (const c of n.status?.conditions ?? []) {
    if (c.type === 'Ready' && c.status !== 'True') out.push(`node ${n.metadata.name} is NotReady${c.reason ? ` (${c.reason})` : ''}`);
    if (PRESSURE.includes(c.type) && c.status === 'True') out.push(`node ${n.metadata.name} has ${c.type}`);
  }
  return out;
}

/** A rollback already happened: its change-cause says so, the controller re-stamped an old ReplicaSet, or two revisions share a template. */
export function rollbackTried(ctx: RuleContext): string | null {
  const dep = ctx.owner.deployment;
  const rs = ctx.owner.replicaSet;
  if (!dep) return null;
  const cause = [dep.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION], rs?.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION]].find((c) => c && /rollout undo|rollback/i.test(c));
  if (cause) return `change-cause says ${JSON.stringify(cause)}`;
  const reused = rs?.metadata.annotations?.[REVISION_HISTORY];
  if (reused) return `the current ReplicaSet ${rs!.metadata.name} was re-used by a rollback (revision-history ${reused})`;
  const twin = rs && ctx.owner.history.find((o) => o !== rs && templatesEqual(o.spec.template, rs.spec.template));
  if (twin) return `the current template equals that of ReplicaSet ${twin.metadata.name}`;
  return null;
}

/**
 * The runbook's "escalate immediately if": several services affected, a rollback that did
 * not help, infrastructure trouble. Node trouble goes to the Infrastructure Team.
 */
export function escalation(ctx: RuleContext, top: Finding | undefined): Escalation {
  const platform: string[] = [];
  const infra: string[] = [];
  const evidence: Evidence[] = [];

  const workloads = failingWorkloads(ctx.snapshot);
  if (workloads.length > 1) platform.push(`${workloads.length} services have failing pods (${workloads.join(', ')})`);
  const rollback = rollbackTried(ctx);
  if (rollback) {
    platform.push(`a rollback was already tried and pods still fail (${rollback})`);
    evidence.push({ source: 'deployment', detail: `rollback already tried: ${rollback}`, at: null });
  }

  const own = ctx.node ? nodeProblems(ctx.node) : [];
  const troubled = ctx.snapshot.nodes.filter((n) => nodeProblems(n).length);
  infra.push(...own);
  if (troubled.length > 1) infra.push(`${troubled.length} nodes are in trouble (${troubled.map((n) => n.metadata.name).join(', ')})`);
  evidence.push(...own.map((p) => ({ source: 'node' as const, detail: p, at: null })));
  const systemOom = withReason(ctx.nodeEvents, 'SystemOOM');
  if (systemOom.length) {
    infra.push(`node ${ctx.pod.spec.nodeName} reports SystemOOM`);
    if (top?.cause !== 'oom') evidence.push(...systemOom.slice(-1).map((e) => eventEvidence(e, ctx.now, 'node')));
  }
  infra.push(...(top?.infra ?? []));

  const parts = [
    infra.length ? `${INFRA_TEAM}: ${[...new Set(infra)].join('; ')}` : null,
    platform.length ? `${PLATFORM_TEAM}: ${platform.join('; ')}` : null,
  ].filter(Boolean);
  return { text: parts.length ? `Escalate to ${parts.join('. Also ')}.` : null, evidence };
}

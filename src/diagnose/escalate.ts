import { CHANGE_CAUSE_ANNOTATION } from '../kube/deployment';
import { DEFAULT_HEALTH_WINDOW_MS, isPodReady, summarizePod, type HealthClock } from '../kube/podState';
import { matchesRequirements, parseSelector } from '../kube/selector';
import { templatesEqual } from '../kube/template';
import type { NodeObject, Pod } from '../kube/types';
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { eventEvidence, withReason } from './events';
import type { Finding } from './finding';
import { ownerRef } from './owner';
import type { Snapshot } from '../cluster/snapshot';

/**
 * The runbook's three contacts. Their addresses are the user's to configure (escalation/,
 * the ConfigMap dhakacart-escalation); the rules only name who is to act. Listed in the order
 * of who acts first when reasons of several teams apply: suspected infrastructure trouble is
 * the infrastructure team's to clear before anyone else can help, then the senior engineer
 * (a rollback that did not help, a customer-facing service down), then the platform team.
 */
export const TEAMS = ['infrastructure', 'senior', 'platform'] as const;
export type Team = (typeof TEAMS)[number];
export const TEAM_NAMES: Record<Team, string> = { infrastructure: 'Infrastructure Team', senior: 'Senior Engineer', platform: 'Platform Team' };

/** One of the runbook's "escalate immediately if" conditions that holds, and who must hear it. */
export interface EscalationReason { team: Team; reason: string }

const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const PRESSURE = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export interface Escalation { text: string | null; reasons: EscalationReason[]; evidence: Evidence[] }

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
 * The runbook's "business impact is severe": the pod's Deployment is one the selector picks
 * (the shop's own services, not what they depend on), it wants replicas, its controller counts
 * none available (the API omits a zero availableReplicas) and no pod of it is ready. Without a
 * status the count is unknown, and nothing is claimed.
 */
function everyReplicaDown(ctx: RuleContext): string | null {
  const dep = ctx.owner.deployment;
  const s = ctx.snapshot;
  if (!dep?.status || !matchesRequirements(parseSelector(s.selector) ?? [], dep.spec.template.metadata?.labels)) return null;
  const want = dep.spec.replicas ?? 1;
  if (want === 0 || (dep.status.availableReplicas ?? 0) > 0) return null;
  if (s.pods.some((p) => isPodReady(p) && ownerRef(s, p) === ctx.owner.ref)) return null;
  return `every replica of ${ctx.owner.ref} is down (0 of ${want} available)`;
}

/** The runbook's "rollback did not resolve the issue", seen by the command that made the rollback and followed it. */
export const rollbackDidNotResolve = (to: string, outcome: string): EscalationReason => ({ team: 'senior', reason: `the rollback to ${to} did not resolve it (${outcome})` });

/** "Escalate to Infrastructure Team: a; b. Also Platform Team: c.", teams in the order they act. */
export function escalationText(reasons: EscalationReason[]): string | null {
  const parts = TEAMS.map((t) => [t, [...new Set(reasons.filter((r) => r.team === t).map((r) => r.reason))]] as const)
    .filter(([, rs]) => rs.length)
    .map(([t, rs]) => `${TEAM_NAMES[t]}: ${rs.join('; ')}`);
  return parts.length ? `Escalate to ${parts.join('. Also ')}.` : null;
}

/**
 * The runbook's "escalate immediately if": several services affected (platform), a rollback
 * that did not help or a customer-facing service with every replica down (senior),
 * infrastructure trouble: node conditions, pressure, SystemOOM, evictions, no room to
 * schedule, a full volume (infrastructure).
 */
export function escalation(ctx: RuleContext, top: Finding | undefined): Escalation {
  const reasons: EscalationReason[] = [];
  const evidence: Evidence[] = [];
  const add = (team: Team, ...rs: string[]) => reasons.push(...rs.map((reason) => ({ team, reason })));

  const workloads = failingWorkloads(ctx.snapshot);
  if (workloads.length > 1) add('platform', `${workloads.length} services have failing pods (${workloads.join(', ')})`);
  const rollback = rollbackTried(ctx);
  if (rollback) {
    add('senior', `a rollback was already tried and pods still fail (${rollback})`);
    evidence.push({ source: 'deployment', detail: `rollback already tried: ${rollback}`, at: null });
  }
  const down = everyReplicaDown(ctx);
  if (down) {
    add('senior', down);
    evidence.push({ source: 'deployment', detail: down, at: null });
  }

  const own = ctx.node ? nodeProblems(ctx.node) : [];
  const troubled = ctx.snapshot.nodes.filter((n) => nodeProblems(n).length);
  add('infrastructure', ...own);
  if (troubled.length > 1) add('infrastructure', `${troubled.length} nodes are in trouble (${troubled.map((n) => n.metadata.name).join(', ')})`);
  evidence.push(...own.map((p) => ({ source: 'node' as const, detail: p, at: null })));
  const systemOom = withReason(ctx.nodeEvents, 'SystemOOM');
  if (systemOom.length) {
    add('infrastructure', `node ${ctx.pod.spec.nodeName} reports SystemOOM`);
    if (top?.cause !== 'oom') evidence.push(...systemOom.slice(-1).map((e) => eventEvidence(e, ctx.now, 'node')));
  }
  if (top?.cause === 'evicted') add('infrastructure', `the kubelet evicted ${ctx.pod.metadata.name}${ctx.pod.spec.nodeName ? ` on node ${ctx.pod.spec.nodeName}` : ''}`);
  add('infrastructure', ...(top?.infra ?? []));

  return { text: escalationText(reasons), reasons, evidence };
}

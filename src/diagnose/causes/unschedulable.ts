import { parseQuantity } from '../../kube/quantity';
import type { KubeEvent, NodeObject } from '../../kube/types';
import type { RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { fitsEmpty, formatResource, nodeFits, podRequests, type NodeFit } from '../nodeFit';
import { eventEvidence, withReason } from '../events';
import { sanitizeLogLine } from '../../security/sanitize';
import { defineCause, type CauseModule, type Found } from './cause';

/**
 * scaleBack: the replica count that fitted (unschedulable after a scale-up). lower: a request
 * no node can hold even empty, lowered below the largest allocatable (the value is a human's).
 */
interface PlacementFix { scaleBack?: Fix; lower?: Fix }

const INSUFFICIENT = /Insufficient (cpu|memory|ephemeral-storage|[\w.-]+\/[\w.-]+)/gi;

const SCALED_UP = /^Scaled up replica set (\S+) (?:from (\d+) )?to (\d+)/;
const MAX_NODE_LINES = 6;

const eventTime = (e: KubeEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;

/** The replica count before the newest scale-up of the Deployment: `from M` in its event, else the scale-up before it. */
export function countBeforeScaleUp(events: KubeEvent[], deployment: string): { from: number; to: number; at: string | null } | null {
  const ups = events.filter((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.kind === 'Deployment' && e.involvedObject.name === deployment)
    .map((e) => ({ e, m: SCALED_UP.exec(e.message ?? '') })).filter((x): x is { e: KubeEvent; m: RegExpExecArray } => !!x.m)
    .sort((a, b) => eventTime(a.e) - eventTime(b.e));
  const last = ups.at(-1);
  if (!last) return null;
  const from = last.m[2] !== undefined ? Number(last.m[2]) : ups.length > 1 ? Number(ups.at(-2)!.m[3]) : NaN;
  return Number.isFinite(from) ? { from, to: Number(last.m[3]), at: last.e.lastTimestamp ?? last.e.eventTime ?? null } : null;
}

/**
 * Every node against the pod (nodeFit.ts): which could take it, or by how much the closest
 * one falls short; and, when it would fit an empty node and a scale-up just happened, the
 * count to go back to.
 */
function placement(ctx: RuleContext): { evidence: Evidence[]; text: string; fix: PlacementFix | null } | null {
  const sch = ctx.snapshot.scheduling;
  if (!sch?.nodes.length) return null;
  const fits = nodeFits(ctx.pod, sch.nodes, sch.placed ?? ctx.snapshot.pods);
  const bound = sch.placed ? '' : ' (pods of other namespaces could not be listed: free capacity may be less)';
  const evidence: Evidence[] = fits.slice(0, MAX_NODE_LINES).map((f) => ({ source: 'node', detail: `node ${f.node}: ${f.fits ? 'can take the pod now' : f.reasons.join('; ')}${bound}`, at: null }));
  const open = fits.filter((f) => f.fits).map((f) => f.node);
  if (open.length) return { evidence, text: ` Node ${open.join(', ')} could take it now${bound}: the scheduler retries on its own.`, fix: null };
  // Nodes ruled out only by what is already running on them: fewer replicas would fit.
  const byLoad = sch.nodes.filter((n, i) => fits[i]!.reasons.length === fits[i]!.short.length && fitsEmpty(ctx.pod, n));
  const worst = new Map<string, number>();
  for (const f of fits) for (const sh of f.short) worst.set(sh.resource, Math.min(worst.get(sh.resource) ?? Infinity, sh.want - sh.free));
  const over = [...worst].map(([r, v]) => `${r} by ${formatResource(r, v)}`).join(', ');
  let text = ` No node can take it${over ? `: the closest falls short on ${over}` : ''}${bound}.`;
  const dep = ctx.owner.deployment;
  const up = dep ? countBeforeScaleUp([...sch.events, ...ctx.snapshot.events], dep.metadata.name) : null;
  if (!byLoad.length || !dep || !up || (dep.spec.replicas ?? 1) < up.to || up.from >= up.to) {
    if (!byLoad.length) text += ' Its request is larger than any eligible node\'s allocatable: only a smaller request (or a bigger node) helps.';
    return { evidence, text, fix: byLoad.length ? null : lowerRequest(ctx, sch.nodes, fits) };
  }
  const cmd = `kubectl scale deployment/${dep.metadata.name} --replicas=${up.from} -n ${ctx.namespace}`;
  evidence.push({ source: 'deployment', detail: `ScalingReplicaSet: scaled up from ${up.from} to ${up.to}; ${up.from} replicas fitted`, at: up.at });
  return { evidence, text: `${text} It was scaled up from ${up.from} to ${up.to}: ${up.from} fitted.`, fix: { scaleBack: { command: cmd, kubectl: [cmd] } } };
}

/**
 * The nodes ruled out by resources alone (not cordoned, tainted or unselected), the largest
 * allocatable among them for each resource the pod asks too much of, and the container that
 * asks the most: `kubectl set resources` with SIZE for the value, which only a person knows.
 */
function lowerRequest(ctx: RuleContext, nodes: NodeObject[], fits: NodeFit[]): Pick<PlacementFix, 'lower'> {
  const workload = ctx.owner.deployment ? `deployment/${ctx.owner.deployment.metadata.name}` : ctx.owner.statefulSet ? `statefulset/${ctx.owner.statefulSet.metadata.name}` : null;
  const eligible = nodes.filter((_n, i) => fits[i]!.reasons.length === fits[i]!.short.length);
  if (!workload || !eligible.length) return {};
  const max = (r: string) => Math.max(...eligible.map((n) => parseQuantity(n.status?.allocatable?.[r] ?? '0') ?? 0));
  const over = [...podRequests(ctx.pod)].filter(([r, want]) => want > max(r)).map(([r]) => r);
  if (!over.length) return {};
  const request = (c: { resources?: { requests?: Record<string, string | undefined> } }, r: string) => parseQuantity(c.resources?.requests?.[r] ?? '0') ?? 0;
  const most = (r: string) => [...ctx.pod.spec.containers].sort((a, b) => request(b, r) - request(a, r))[0]!.name;
  const limits = over.map((r) => `${r} below ${formatResource(r, max(r))}`).join(', ');
  return {
    lower: {
      command: `# no node can hold the pod's request even empty: lower it (${limits}, the largest node's allocatable, less what its system pods use) or add a bigger node`,
      kubectl: over.map((r) => `kubectl set resources ${workload} -n ${ctx.namespace} -c ${most(r)} --requests=${r}=SIZE`),
    },
  };
}

/** PodScheduled=False/Unschedulable is the scheduler's verdict; FailedScheduling events say the same (new-style: null timestamps). */
function findUnschedulable(ctx: RuleContext): Found<'unschedulable', PlacementFix> | null {
  const cond = ctx.pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const failed = ctx.pod.spec.nodeName ? [] : withReason(ctx.podEvents, 'FailedScheduling');
  if (!cond && !failed.length) return null;
  const evidence: Evidence[] = [];
  if (cond) evidence.push({ source: 'status', detail: `PodScheduled=False (Unschedulable): ${sanitizeLogLine(cond.message ?? '')}`, at: cond.lastTransitionTime ?? null });
  evidence.push(...failed.slice(-2).map((e) => eventEvidence(e, ctx.now)));
  const message = sanitizeLogLine(cond?.message ?? failed.at(-1)?.message ?? '');
  // "Insufficient memory": what the pod asks for is the other half of the comparison.
  const short = [...new Set([...message.matchAll(INSUFFICIENT)].map((m) => m[1]!.toLowerCase()))];
  const wants = podRequests(ctx.pod);
  const asks = short.filter((r) => wants.has(r)).map((r) => [r, formatResource(r, wants.get(r)!)] as const);
  if (asks.length) evidence.push({ source: 'spec', detail: `the pod requests ${asks.map(([r, q]) => `${r} ${q}`).join(', ')} (sum of its containers' requests)`, at: null });
  const fit = placement(ctx);
  if (fit) evidence.push(...fit.evidence);
  return {
    cause: 'unschedulable',
    confidence: 'confirmed',
    summary: `The scheduler finds no node for the pod: ${message || 'no message'}${asks.length ? ` The pod requests ${asks.map(([r, q]) => `${r} ${q}`).join(', ')}.` : ''}${fit?.text ?? ''}`,
    evidence,
    ...(fit?.fix ? { hint: fit.fix } : {}),
    ...(short.some((r) => r === 'cpu' || r === 'memory') ? { infra: ['no node has room for the pod'] } : {}),
  };
}

/** A pod with no node: the scheduler's FailedScheduling events can say so when the condition does not (yet). */
export const unschedulable: CauseModule<'unschedulable'> = defineCause({
  cause: 'unschedulable',
  find: findUnschedulable,
  dependsOn: (ctx) => (ctx.pod.spec.nodeName ? [] : [{ piece: 'events', could: { confidence: 'confirmed' } }]),
  // A rollout that asks for more than any node has (requests, selectors, affinity): go back.
  fix: (k, f) => f.hint?.scaleBack ?? k.rollbackIfRecent() ?? f.hint?.lower ?? null,
});

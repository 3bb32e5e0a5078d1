import type { ContainerStateTerminated, KubeEvent, NodeObject, Pod, PodMetrics } from '../kube/types';
import { containerFieldPath, podEvents } from './events';
import type { Diagnosis } from './diagnosis';
import { pickFocus, type Focus } from './focus';
import { DEFAULT_LOG_LINES } from './logLines';
import { resolveOwner, type Owner } from './owner';
import type { ContainerLogs, Gap, Piece, Reference, ServiceState, Snapshot } from '../cluster/snapshot';
import { podGaps } from './unread';
import { unreadOf } from '../cluster/snapshot';

/** Everything a rule may read about one pod, resolved once. Rules never look at the snapshot for these. */
export interface RuleContext {
  snapshot: Snapshot;
  namespace: string;
  /** snapshot.capturedAt in ms: the rules' "now". */
  now: number;
  pod: Pod;
  focus: Focus;
  /** Events of the focused container (fieldPath spec.containers{name} / spec.initContainers{name}). */
  events: KubeEvent[];
  /** Every event of the pod, pod-level ones (FailedScheduling, Evicted, FailedMount) included. */
  podEvents: KubeEvent[];
  logs: ContainerLogs | null;
  logLines: number;
  owner: Owner;
  node: NodeObject | null;
  nodeEvents: KubeEvent[];
  services: ServiceState[];
  references: Reference[];
  metrics: PodMetrics | null;
  /** What could not be read that concerns this pod. */
  gaps: Gap[];
  /** The gaps of one piece of evidence (one object when key is given): non-empty = unknown, not absent. */
  unread(piece: Piece, key?: string): Gap[];
  /** Another pod's own diagnosis (a dependency's), null when that would go round in a circle. */
  diagnoseOther?(pod: string): Diagnosis | null;
}

export interface DiagnoseOptions { container?: string; logLines?: number; /** Pods whose diagnosis asked for this one (dependencies). */ visiting?: string[] }

export function buildContext(s: Snapshot, pod: Pod, opts: DiagnoseOptions = {}): RuleContext {
  const focus = pickFocus(pod, opts.container);
  const all = podEvents(s.events, pod);
  const path = containerFieldPath(focus.name, focus.init);
  const nodeName = pod.spec.nodeName;
  const gaps = podGaps(s.gaps, pod);
  return {
    snapshot: s,
    namespace: pod.metadata.namespace ?? s.namespace,
    now: Date.parse(s.capturedAt),
    pod,
    focus,
    events: all.filter((e) => e.involvedObject.fieldPath === path),
    podEvents: all,
    logs: s.logs[pod.metadata.name]?.[focus.name] ?? null,
    logLines: opts.logLines ?? DEFAULT_LOG_LINES,
    owner: resolveOwner(s, pod),
    node: s.nodes.find((n) => n.metadata.name === nodeName) ?? null,
    nodeEvents: nodeName ? s.nodeEvents.filter((e) => e.involvedObject.name === nodeName) : [],
    services: s.services,
    references: s.references,
    metrics: s.metrics?.find((m) => m.metadata.name === pod.metadata.name) ?? null,
    gaps,
    unread: (piece, key) => unreadOf(gaps, piece, key),
  };
}

/** The focused container's terminations, newest first: the current state, then the last one. */
export function terminations(ctx: RuleContext): ContainerStateTerminated[] {
  const st = ctx.focus.status;
  return [st?.state?.terminated, st?.lastState?.terminated].filter((t): t is ContainerStateTerminated => !!t);
}

export const lastTermination = (ctx: RuleContext): ContainerStateTerminated | null => terminations(ctx)[0] ?? null;

export const waitingReason = (ctx: RuleContext): string | null => ctx.focus.status?.state?.waiting?.reason ?? null;

export const containerLabel = (ctx: RuleContext) => `${ctx.focus.init ? 'init container' : 'container'} ${ctx.focus.name}`;

/** The focused container's log, as gaps key it. */
export const logKey = (ctx: RuleContext) => `${ctx.pod.metadata.name}/${ctx.focus.name}`;

import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { humanDuration } from '../kube/duration';
import { diffLeaves, POD_TEMPLATE_HASH } from '../kube/template';
import type { ReplicaSet } from '../kube/types';
import { sanitizeLogLine } from '../security/sanitize';
import { terminations, type RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { firstSeen, withReason } from './events';

/** Failures starting within this long after a rollout are laid at its door. */
export const CHANGE_WINDOW_MS = 30 * 60_000;
const FAILURE_EVENTS = ['BackOff', 'Unhealthy', 'Failed', 'Killing', 'FailedMount'];
/** Pod-level signs of trouble: they carry no container fieldPath. */
const POD_FAILURE_EVENTS = ['FailedScheduling', 'FailedMount', 'FailedCreatePodSandBox'];

export interface ChangeInfo {
  /** The pod's revision rolled out shortly before its failures began, and an earlier revision exists to go back to. */
  recent: boolean;
  revision: number | null;
  previous: ReplicaSet | null;
  evidence: Evidence | null;
}

/** The earliest sign of trouble the snapshot holds for the focused container. */
export function firstFailureAt(ctx: RuleContext): number | null {
  const times = [
    ...withReason(ctx.events, ...FAILURE_EVENTS).map(firstSeen),
    ...withReason(ctx.podEvents.filter((e) => !e.involvedObject.fieldPath), ...POD_FAILURE_EVENTS).map(firstSeen),
    ...terminations(ctx).filter((t) => t.exitCode !== 0).map((t) => t.finishedAt ?? null),
  ].filter((t): t is string => !!t).map(Date.parse).filter((t) => !Number.isNaN(t));
  return times.length ? Math.min(...times) : null;
}

const CONTAINER_LISTS = [['initContainers', 'init container'], ['containers', 'container']] as const;
const entries = (rs: ReplicaSet, list: 'initContainers' | 'containers') => rs.spec.template.spec[list] ?? [];

/**
 * What changed from one revision to the next, as paths only: values may be credentials.
 * The focused container's image first; containers added or removed are named once, not
 * leaf by leaf (a new init container is one change, not twenty paths).
 */
function changedPaths(from: ReplicaSet, to: ReplicaSet, container: string): string {
  const rev = revisionOf(from);
  const find = (rs: ReplicaSet, name: string) => CONTAINER_LISTS.flatMap(([l]) => entries(rs, l)).find((c) => c.name === name);
  const whole: string[] = [];
  const covered: string[] = [];
  for (const [l, label] of CONTAINER_LISTS) {
    const before = new Set(entries(from, l).map((c) => c.name));
    const after = new Set(entries(to, l).map((c) => c.name));
    for (const c of entries(to, l).filter((x) => !before.has(x.name))) whole.push(`new ${label} ${c.name} (image ${c.image ?? 'none'})`);
    for (const c of entries(from, l).filter((x) => !after.has(x.name))) whole.push(`${label} ${c.name} removed`);
    covered.push(...[...before, ...after].filter((n) => !before.has(n) || !after.has(n)).map((n) => `spec.template.spec.${l}[${n}]`));
  }
  const also = whole.length ? `; also ${whole.join(', ')}` : '';
  const mine = [find(from, container), find(to, container)] as const;
  if (mine[0] && mine[1] && mine[0].image !== mine[1].image) return `image ${mine[1].image ?? 'none'} (revision ${rev} ran ${mine[0].image ?? 'none'})${also}`;
  const images = CONTAINER_LISTS.flatMap(([l]) => entries(to, l))
    .map((c) => [c, find(from, c.name)] as const)
    .filter(([c, was]) => was && was.image !== c.image)
    .map(([c, was]) => `image ${c.image ?? 'none'} for ${c.name} (revision ${rev} ran ${was!.image ?? 'none'})`);
  // An added env entry differs in .name and .value: name the entry once.
  const paths = [...new Set(diffLeaves(from.spec.template, to.spec.template, 'spec.template')
    .filter((d) => !covered.some((c) => d.path.startsWith(c)) && !(images.length && /(?:c|C)ontainers\[[^\]]+\]\.image$/.test(d.path)))
    .map((d) => d.path.replace(/(\[[^\]]+\])\.\w+$/, '$1'))
    .filter((p) => !p.includes(POD_TEMPLATE_HASH)))];
  const rest = paths.length ? [`a change to ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`] : [];
  const all = [...whole, ...images, ...rest];
  if (!all.length) return `the same template as revision ${rev}`;
  return all.join(', ');
}

export function changeCorrelation(ctx: RuleContext): ChangeInfo {
  const none: ChangeInfo = { recent: false, revision: null, previous: null, evidence: null };
  const rs = ctx.owner.replicaSet;
  if (!ctx.owner.deployment || !rs) return none;
  const revision = revisionOf(rs);
  const previous = ctx.owner.history.find((r) => (revisionOf(r) ?? 0) < (revision ?? 0)) ?? null;
  const created = Date.parse(rs.metadata.creationTimestamp ?? '');
  const first = firstFailureAt(ctx);
  if (Number.isNaN(created) || first === null) return { ...none, revision, previous };
  const delta = first - created;
  if (delta < 0 || delta > CHANGE_WINDOW_MS) return { ...none, revision, previous };
  const verb = (ctx.focus.status?.restartCount ?? 0) > 0 ? 'restarts' : ctx.pod.spec.nodeName ? 'failures' : 'scheduling failures';
  const what = previous ? changedPaths(previous, rs, ctx.focus.name) : `image ${rs.spec.template.spec.containers.find((c) => c.name === ctx.focus.name)?.image ?? '?'}`;
  const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
  return {
    recent: !!previous,
    revision,
    previous,
    evidence: {
      source: 'deployment',
      detail: `${verb} began ${humanDuration(delta)} after revision ${revision} rolled out ${what}${cause ? `; change-cause: ${sanitizeLogLine(cause)}` : ''}`,
      at: rs.metadata.creationTimestamp ?? null,
    },
  };
}

import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { humanDuration } from '../kube/duration';
import { diffLeaves, POD_TEMPLATE_HASH } from '../kube/template';
import type { ReplicaSet } from '../kube/types';
import { sanitizeLogLine } from '../render/sanitize';
import { terminations, type RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { firstSeen, withReason } from './events';

/** Failures starting within this long after a rollout are laid at its door. */
export const CHANGE_WINDOW_MS = 30 * 60_000;
const FAILURE_EVENTS = ['BackOff', 'Unhealthy', 'Failed', 'Killing', 'FailedMount'];

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
    ...terminations(ctx).filter((t) => t.exitCode !== 0).map((t) => t.finishedAt ?? null),
  ].filter((t): t is string => !!t).map(Date.parse).filter((t) => !Number.isNaN(t));
  return times.length ? Math.min(...times) : null;
}

/** What changed from one revision to the next, as paths only: values may be credentials. */
function changedPaths(from: ReplicaSet, to: ReplicaSet, container: string): string {
  const image = (rs: ReplicaSet) => rs.spec.template.spec.containers.find((c) => c.name === container)?.image;
  if (image(from) !== image(to)) return `image ${image(to)} (revision ${revisionOf(from)} ran ${image(from) ?? 'none'})`;
  // An added env entry differs in .name and .value: name the entry once.
  const paths = [...new Set(diffLeaves(from.spec.template, to.spec.template, 'spec.template')
    .map((d) => d.path.replace(/(\[[^\]]+\])\.\w+$/, '$1'))
    .filter((p) => !p.includes(POD_TEMPLATE_HASH)))];
  if (!paths.length) return `the same template as revision ${revisionOf(from)}`;
  return `a change to ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}`;
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
  const verb = (ctx.focus.status?.restartCount ?? 0) > 0 ? 'restarts' : 'failures';
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

import type { Rule } from '../context';
import type { Evidence } from '../diagnosis';
import { eventEvidence, withReason } from '../events';
import { sanitizeLogLine } from '../../render/sanitize';

/** PodScheduled=False/Unschedulable is the scheduler's verdict; FailedScheduling events say the same (new-style: null timestamps). */
export const unschedulableRule: Rule = (ctx) => {
  const cond = ctx.pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  const failed = ctx.pod.spec.nodeName ? [] : withReason(ctx.podEvents, 'FailedScheduling');
  if (!cond && !failed.length) return null;
  const evidence: Evidence[] = [];
  if (cond) evidence.push({ source: 'status', detail: `PodScheduled=False (Unschedulable): ${sanitizeLogLine(cond.message ?? '')}`, at: cond.lastTransitionTime ?? null });
  evidence.push(...failed.slice(-2).map((e) => eventEvidence(e, ctx.now)));
  const message = sanitizeLogLine(cond?.message ?? failed.at(-1)?.message ?? '');
  return {
    cause: 'unschedulable',
    confidence: 'confirmed',
    summary: `The scheduler finds no node for the pod: ${message || 'no message'}`,
    evidence,
  };
};

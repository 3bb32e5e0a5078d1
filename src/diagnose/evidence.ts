import { humanDuration } from '../kube/duration';
import { sanitizeLogLine } from '../security/sanitize';
import type { ContainerStateTerminated } from '../kube/types';
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { exitText } from './exitCode';
import { excerptLabel, messageLine, type LogExcerpt } from './logLines';

/** How a termination reads in evidence: `last termination: OOMKilled, exit 137 (SIGKILL: ...), after 2m running`. */
export function terminationEvidence(ctx: RuleContext, t: ContainerStateTerminated): Evidence {
  const current = ctx.focus.status?.state?.terminated === t;
  const ran = t.startedAt && t.finishedAt ? `, after ${humanDuration(Date.parse(t.finishedAt) - Date.parse(t.startedAt))} running` : '';
  const msg = t.message ? `: ${messageLine(t.message)}` : '';
  return {
    source: 'status',
    detail: `${current ? 'state' : 'lastState'}.terminated of ${ctx.focus.name}: ${t.reason ?? 'no reason'}, ${exitText(t)}${ran}${msg}`,
    at: t.finishedAt ?? null,
  };
}

/** The waiting state as evidence: none, or one item. */
export function waitingEvidence(ctx: RuleContext): Evidence[] {
  const w = ctx.focus.status?.state?.waiting;
  if (!w?.reason) return [];
  return [{ source: 'status', detail: `${ctx.focus.name} waiting: ${w.reason}${w.message ? `: ${sanitizeLogLine(w.message)}` : ''}`, at: null }];
}

export function logEvidence(excerpt: LogExcerpt | string[], from: LogExcerpt['from'] = null): Evidence[] {
  const ex = Array.isArray(excerpt) ? { lines: excerpt, from, plain: false } : excerpt;
  const label = excerptLabel(ex);
  return ex.lines.map((l) => ({ source: 'log', detail: `${label}: ${l}`, at: null }));
}

export const restartsText = (ctx: RuleContext): string => {
  const n = ctx.focus.status?.restartCount ?? 0;
  return n ? `; restarted ${n} time${n === 1 ? '' : 's'}` : '';
};

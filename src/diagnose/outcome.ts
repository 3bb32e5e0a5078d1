import { humanDuration } from '../kube/duration';
import { isAbnormalTermination, summarizePod, type PodSummary } from '../kube/podState';
import { containerLabel, lastTermination, terminations, type RuleContext } from './context';
import type { Diagnosis, Evidence } from './diagnosis';
import { terminationEvidence, waitingEvidence, logEvidence } from './evidence';
import { healthClock } from './escalate';
import { errorLines } from './logLines';

type Base = Pick<Diagnosis, 'pod' | 'namespace' | 'container' | 'owner' | 'notLookedAt'>;

export function healthyDiagnosis(base: Base, ctx: RuleContext, sum: PodSummary): Diagnosis {
  const evidence: Evidence[] = [{ source: 'status', detail: `${sum.phase}, ${sum.ready} containers ready, ${sum.restarts} restart${sum.restarts === 1 ? '' : 's'}`, at: null }];
  const t = lastTermination(ctx);
  if (t) evidence.push(terminationEvidence(ctx, t));
  const window = humanDuration(healthClock(ctx.snapshot).windowMs);
  const old = t && isAbnormalTermination(t) && t.finishedAt ? ` Its last crash (${t.reason ?? `exit ${t.exitCode}`}) was ${humanDuration(ctx.now - Date.parse(t.finishedAt))} ago, before the ${window} window (--since).` : '';
  const summary = sum.phase === 'Succeeded'
    ? `Pod ${sum.name} ran to completion (Succeeded, as a Job's pod does): nothing is failing.`
    : `Pod ${sum.name} is running and every container is ready.${old}`;
  return { ...base, cause: 'healthy', confidence: 'confirmed', summary, evidence, fix: null, escalate: null };
}

/** Nothing fitted: say what was looked at, so the reader knows where not to look again. */
export function unknownDiagnosis(base: Base, ctx: RuleContext, escalate: string | null, extra: Evidence[]): Diagnosis {
  const sum = summarizePod(ctx.pod, healthClock(ctx.snapshot));
  const logs = ctx.logs ? (['previous', 'current'] as const).map((k) => `${k} log ${ctx.logs![k].text !== null ? 'read' : `unavailable (${ctx.logs![k].error ?? 'not gathered'})`}`).join(', ') : 'no logs gathered';
  const looked = `container states, ${ctx.podEvents.length} event${ctx.podEvents.length === 1 ? '' : 's'}, ${logs}, ${ctx.services.length} service(s), ${ctx.references.length} Secret/ConfigMap reference(s), node ${ctx.node ? 'conditions' : 'not gathered'}, metrics ${ctx.metrics ? 'read' : 'absent'}`;
  const other = ctx.focus.status?.ready ? ctx.pod.spec.containers.find((c) => c.name !== ctx.focus.name && !ctx.pod.status?.containerStatuses?.find((s) => s.name === c.name)?.ready) : undefined;
  const pointer = other ? ` ${containerLabel(ctx)} is ready; container ${other.name} is not (try --container ${other.name}).` : '';
  const evidence: Evidence[] = [
    { source: 'status', detail: `pod status ${sum.status}, ready ${sum.ready}, restarts ${sum.restarts}`, at: null },
    ...waitingEvidence(ctx),
    ...terminations(ctx).slice(0, 1).map((t) => terminationEvidence(ctx, t)),
    ...logEvidence(errorLines(ctx.logs, ctx.logLines)),
    ...extra,
    ...ctx.gaps.map((g) => ({ source: 'status' as const, detail: `not looked at: ${g.what} (${g.reason})`, at: null })),
  ];
  return { ...base, cause: 'unknown', confidence: 'unknown', summary: `No rule explains why pod ${sum.name} is ${sum.reason ?? sum.status}.${pointer} Looked at: ${looked}.`, evidence, fix: null, escalate };
}
